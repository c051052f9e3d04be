"""The worker never loses a result, however fast the job ends."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from quizapp.ui import worker


def failing_job(_progress: worker.Progress, _cancel: threading.Event) -> None:
    raise ValueError("malformed at once")


def test_a_job_that_fails_instantly_is_still_reported(qtbot: QtBot) -> None:
    for _ in range(20):
        job = worker.start(failing_job)
        # Connect after start returns, as every caller does; the failure must still arrive.
        with qtbot.wait_signal(job.signals.failed, timeout=5000) as blocker:
            pass
        assert isinstance(blocker.args[0], ValueError)


def test_result_progress_and_cancel(qtbot: QtBot) -> None:
    def counting(progress: worker.Progress, cancel: threading.Event) -> int:
        for i in range(3):
            progress(i + 1, 3)
        return 42

    job = worker.start(counting)
    seen: list[tuple[int, int]] = []
    job.signals.progress.connect(lambda done, total: seen.append((done, total)))
    with qtbot.wait_signal(job.signals.finished, timeout=5000) as blocker:
        pass
    assert blocker.args == [42]
    qtbot.wait_until(lambda: seen == [(1, 3), (2, 3), (3, 3)])

    release = threading.Event()

    def waiting(_progress: worker.Progress, cancel: threading.Event) -> None:
        release.wait(5)
        if cancel.is_set():
            raise RuntimeError("stopped")

    job = worker.start(waiting)
    with qtbot.wait_signal(job.signals.cancelled, timeout=5000):
        job.cancel()
        release.set()
