"""Python code run in a fresh interpreter, offscreen: what a new process imports and paints
cannot be seen from inside the test's own process, which has imported everything."""

from __future__ import annotations

import subprocess
import sys


def run_fresh(code: str, *args: str) -> str:
    """Run `code` (with `args` as sys.argv[1:]) in a new Python with Qt offscreen; its
    stdout, stripped. Fails the test, showing stderr, if it fails."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()
