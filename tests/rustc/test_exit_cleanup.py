"""quizapp ends, its children end: a real `quizapp verify` killed by SIGTERM mid-compile.

The compile is held mid-way without a clock: the snippet `include_str!`s a FIFO, so rustc
blocks reading it until the test, which holds the writing end, lets go. Whatever is still
running afterwards with its working folder in the test's temp dir is a leftover child.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from quizapp import rustc

pytestmark = [
    pytest.mark.rustc,
    pytest.mark.skipif(sys.platform != "linux", reason="reads /proc to find leftovers"),
]

DECK = """\
format = 1

[deck]
id = "d0000000-0000-4000-8000-0000000000ee"
name = "Held compile"

[[cards]]
id = "c0000000-0000-4000-8000-0000000000e1"
kind = "compiles"
prompt = "Does it compile?"
code = '''
const HELD: &str = include_str!("FIFO");
fn main() {
    println!("{}", HELD.len());
}
'''
compiles = true
"""


def processes_in(folder: Path) -> list[tuple[int, str]]:
    """Processes whose working folder is inside `folder`, with their command line."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cwd = os.readlink(f"/proc/{entry}/cwd")
            command = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if cwd == str(folder) or cwd.startswith(f"{folder}/"):
            found.append((int(entry), command.decode(errors="replace")[:120]))
    return found


@pytest.mark.parametrize("no_sandbox", ["0", "1"], ids=["sandbox", "fallback"])
def test_sigterm_mid_compile_leaves_no_rustc_and_no_temp_folder(
    tmp_path: Path, no_sandbox: str
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    fifo = tmp_path / "gate"
    os.mkfifo(fifo)
    deck = tmp_path / "held.toml"
    deck.write_text(DECK.replace("FIFO", str(fifo)), encoding="utf-8")
    env = dict(
        os.environ,
        TMPDIR=str(temp),
        QUIZAPP_CACHE_DIR=str(tmp_path / "cache"),
        **{rustc.NO_SANDBOX_ENV: no_sandbox},
    )
    quizapp = subprocess.Popen(
        [sys.executable, "-m", "quizapp", "verify", str(deck)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    gate: list[int] = []
    # Opening the writing end returns once rustc has opened the FIFO to read it.
    opener = threading.Thread(target=lambda: gate.append(os.open(fifo, os.O_WRONLY)))
    opener.start()
    opener.join(timeout=120)
    try:
        assert gate, "rustc never started reading the snippet's include"
        assert processes_in(temp), "rustc should be running in its build folder now"
        quizapp.send_signal(signal.SIGTERM)
        quizapp.wait(timeout=60)
        assert quizapp.returncode == -signal.SIGTERM
        assert processes_in(temp) == []
        assert sorted(p.name for p in temp.iterdir()) == []
    finally:
        if quizapp.poll() is None:
            quizapp.kill()
            quizapp.wait()
        if not gate:  # unblock our own opener thread
            os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
            opener.join()
        for fd in gate:
            os.close(fd)  # a leftover rustc reads EOF and finishes
        if quizapp.stderr is not None:
            quizapp.stderr.close()


def test_stale_temp_folders_are_removed_at_start(tmp_path: Path) -> None:
    """Folders of a dead quizapp go; a live one's (its lock is held) stay, at every start."""
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(dead.stdout)
    locked_stale = tmp_path / f"quizapp-build-{dead_pid}-a1"
    unlocked_stale = tmp_path / f"quizapp-run-{dead_pid}-b2"
    live = tmp_path / f"quizapp-build-{os.getpid()}-c3"
    other = tmp_path / "someone-elses-folder"
    for folder in (locked_stale, unlocked_stale, live, other):
        (folder / "work").mkdir(parents=True)
    (locked_stale / ".quizapp-lock").touch()
    held = os.open(live / ".quizapp-lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        subprocess.run(
            [sys.executable, "-m", "quizapp", "--version"],
            env=dict(os.environ, TMPDIR=str(tmp_path)),
            capture_output=True,
            check=True,
            timeout=120,
        )
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, other.name])
    finally:
        os.close(held)
