"""A process that answers cards through the real services, for the crash and full-disk tests.

    python answering_child.py answer DATA_DIR REPORT   # answer forever
    python answering_child.py zygote DATA_DIR REPORT   # fork an answering child per stdin line

After each answer is committed, its review-log id is appended to REPORT with one write(2),
which reaches the kernel before the next answer starts: a SIGKILL cannot take back what
was reported. The child also says `saved ID` on stdout, so a test can wait for the Nth
answer instead of sleeping. The zygote imports everything once and forks children on
demand: it prints `pid N`, waits for that child to end and prints `exited N`, so a test can
kill fifty of them without fifty interpreter start-ups and without polling for their end.
A write the disk refuses ends the child with status 3 and the message on stderr.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from quizapp.core.grading import SelfGraded
from quizapp.services import study
from quizapp.services.collection import CollectionUnwritable, open_collection

QUALITIES = (4, 5, 3, 1, 4, 5)


def answer_forever(data_dir: Path, report: Path) -> int:
    fd = os.open(report, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    col = open_collection(data_dir)
    try:
        session = study.start_session(col)
        answered = 0
        while True:
            view = study.current_card(col, session)
            if view is None:
                session = study.start_session(col)
                continue
            quality = QUALITIES[answered % len(QUALITIES)]
            study.answer_card(col, session, view, SelfGraded(), quality, seconds=1.0)
            saved = session.undo_stack[-1].log_id
            os.write(fd, f"{saved}\n".encode())
            os.write(1, f"saved {saved}\n".encode())
            answered += 1
    except CollectionUnwritable as exc:
        print(f"UNWRITABLE: {exc}", file=sys.stderr, flush=True)
        return 3
    finally:
        col.close()


def zygote(data_dir: Path, report: Path) -> int:
    for _line in sys.stdin:
        pid = os.fork()
        if pid == 0:
            os._exit(answer_forever(data_dir, report))
        os.write(1, f"pid {pid}\n".encode())
        os.waitpid(pid, 0)
        os.write(1, f"exited {pid}\n".encode())
    return 0


if __name__ == "__main__":
    mode, data, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    if mode == "answer-with-fsize-limit":
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
        limit = int(os.environ["FSIZE_LIMIT"])
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        mode = "answer"
    sys.exit(answer_forever(data, out) if mode == "answer" else zygote(data, out))
