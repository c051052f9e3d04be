"""Evict files from the OS page cache, for a start-up "as after a reboot" without root.

`posix_fadvise(POSIX_FADV_DONTNEED)` on every file under the given folders drops their
clean cached pages (Linux), so the next start reads them from the disk again: the
collection, the interpreter's standard library and every installed package (Qt's shared
libraries included). Pages another running process has mapped stay (a shared libpython,
say): the same for both apps measured. Without root, `echo 3 > /proc/sys/vm/drop_caches`
is not available, and it would empty the whole machine's cache besides.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

_LISTED: dict[Path, list[Path]] = {}


def _files(root: Path) -> list[Path]:
    if root not in _LISTED:  # listing 1.7 GB of packages takes seconds: once per run
        _LISTED[root] = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
    return _LISTED[root]


def evict(roots: Iterable[Path]) -> int:
    """Drop every file under `roots` (files or folders) from the page cache; bytes asked."""
    total = 0
    for root in roots:
        for path in _files(root):
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError:
                continue
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                total += os.fstat(fd).st_size
            except OSError:
                pass
            finally:
                os.close(fd)
    return total


def interpreter_roots(python: str | None = None) -> list[Path]:
    """The folders a Python start reads: its environment and its standard library."""
    if python is None:
        prefixes = {sys.prefix, sys.base_prefix}
    else:
        out = subprocess.run(
            [python, "-c", "import sys; print(sys.prefix); print(sys.base_prefix)"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        prefixes = set(out.split())
    return sorted(Path(p) for p in prefixes)
