"""The local rustc, as an adapter: compile a snippet, run what it built, say what happened.

Deck answers are only as good as the compiler that confirmed them, so `quizapp verify` (and
later the "Try it" editor) asks the real rustc rather than trusting the author. Everything
about processes, temp dirs and rustc's JSON lives here; callers get plain values.

Snippets compile as a binary crate without `-O`, so debug assertions and overflow checks are
on, as deck authors assume. Diagnostics are rendered as rustc prints them, with the file
named `main.rs` (the compile runs inside the temp dir), never with a temp-dir path.

Running a snippet is running someone's code. The program gets an empty directory, no stdin,
a minimal environment, capped output, a wall-clock timeout and, on POSIX, resource limits on
CPU time, file size and address space. That stops honest mistakes (an endless loop, a
runaway allocation, a file that fills the disk); it is not a sandbox against a hostile
author, which is why verify only runs decks that did not ship with quizapp when asked to.

Every call can be cancelled from another thread with a `threading.Event`: the child
process group is killed and `Cancelled` raised, so a window never waits on a runaway child.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any

if sys.platform != "win32":
    import resource

EDITIONS = ("2015", "2018", "2021", "2024")
DEFAULT_COMPILE_TIMEOUT = 120.0
"""Generous: a cold rustc on a busy two-core machine can take several seconds per snippet."""
DEFAULT_RUN_TIMEOUT = 10.0
OUTPUT_CAP = 1 << 20
"""A quiz program that prints more than 1 MiB is broken; it is killed rather than buffered."""
MEMORY_LIMIT = 1 << 30
"""Address space, not RSS: 1 GiB leaves room for Rust's thread stacks and malloc arenas."""
FILE_SIZE_LIMIT = 16 << 20
_RUSTC_STDERR_CAP = 64 << 20
"""rustc's JSON embeds each error code's long explanation, so its stderr may be large."""
_POLL_SECONDS = 0.05
_ERROR_CODE = re.compile(r"^E\d{4}$")


class RustcError(Exception):
    """A problem with the compiler or the child process, not with the snippet's code."""


class RustcMissing(RustcError):
    def __init__(self) -> None:
        super().__init__(
            "rustc was not found on the PATH. Install Rust from https://rustup.rs "
            "(then open a new terminal) to check and run code cards."
        )


class RustcTimeout(RustcError):
    """rustc itself took too long: the machine is overloaded, or the snippet is pathological."""


class Cancelled(RustcError):
    """The caller's cancel event was set; the child process was killed."""


@dataclass(frozen=True)
class CompileResult:
    success: bool
    error_codes: tuple[str, ...]
    """Sorted distinct `E0000` codes of errors; lints denied by default have none."""
    diagnostic: str
    """rustc's rendered errors as plain text, without warnings or the closing summary."""
    uncoded_errors: tuple[str, ...] = ()
    """Messages of errors without an `E0000` code (parse errors, denied lints, linker)."""
    primary_lines: tuple[int, ...] = ()
    """Per error, in rustc's order, the first line of its primary span (0 when it has none)."""


@dataclass(frozen=True)
class RunResult:
    stdout: str
    stderr: str
    exit_code: int | None
    """None when the program was killed for a timeout or for printing too much."""
    panicked: bool
    timed_out: bool
    truncated: bool = False
    """Output passed OUTPUT_CAP and the program was killed."""

    @property
    def panic_message(self) -> str:
        """The line that says where and why it panicked, for reports."""
        lines = self.stderr.splitlines()
        for i, line in enumerate(lines):
            if "panicked at" in line:
                rest = lines[i + 1] if i + 1 < len(lines) else ""
                return f"{line.strip()} {rest.strip()}".strip()
        return self.stderr.strip().splitlines()[0] if self.stderr.strip() else ""


@dataclass(frozen=True)
class Execution:
    """A compile, and the run of what it built when it compiled."""

    compile: CompileResult
    run: RunResult | None


def find_rustc() -> str:
    found = shutil.which("rustc")
    if found is None:
        raise RustcMissing()
    return found


def rustc_version(rustc: str | None = None) -> str:
    """`rustc --version`, asked once per compiler path: rustup's proxy makes each ask slow."""
    return _version_of(rustc or find_rustc())


@cache
def _version_of(rustc: str) -> str:
    try:
        done = subprocess.run(
            [rustc, "--version"],
            capture_output=True,
            text=True,
            timeout=DEFAULT_COMPILE_TIMEOUT,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except FileNotFoundError as exc:
        raise RustcMissing() from exc
    except subprocess.TimeoutExpired as exc:
        raise RustcTimeout(f"`{rustc} --version` did not answer") from exc
    if done.returncode != 0 or not done.stdout.strip():
        raise RustcError(f"`{rustc} --version` failed: {done.stderr.strip()}")
    return done.stdout.strip()


def check(
    code: str,
    edition: str = "2021",
    *,
    timeout: float = DEFAULT_COMPILE_TIMEOUT,
    cancel: threading.Event | None = None,
    rustc: str | None = None,
) -> CompileResult:
    """Whether `code` compiles as a binary crate, and which errors rustc gives if not."""
    with tempfile.TemporaryDirectory(prefix="quizapp-build-") as build:
        return _compile(code, edition, Path(build), timeout, cancel, rustc)


def run(
    code: str,
    edition: str = "2021",
    *,
    timeout: float = DEFAULT_RUN_TIMEOUT,
    compile_timeout: float = DEFAULT_COMPILE_TIMEOUT,
    cancel: threading.Event | None = None,
    rustc: str | None = None,
) -> Execution:
    """Compile `code`, then, if it compiled, run it once under the limits described above."""
    with tempfile.TemporaryDirectory(prefix="quizapp-build-") as build:
        compiled = _compile(code, edition, Path(build), compile_timeout, cancel, rustc)
        if not compiled.success:
            return Execution(compiled, None)
        binary = Path(build) / ("main.exe" if sys.platform == "win32" else "main")
        return Execution(compiled, run_binary(binary, timeout=timeout, cancel=cancel))


def run_binary(
    binary: Path, *, timeout: float = DEFAULT_RUN_TIMEOUT, cancel: threading.Event | None = None
) -> RunResult:
    with tempfile.TemporaryDirectory(prefix="quizapp-run-") as cwd:
        out = _run_child(
            [str(binary)],
            cwd=Path(cwd),
            env=_minimal_env(),
            timeout=timeout,
            cancel=cancel,
            caps=(OUTPUT_CAP, OUTPUT_CAP),
            limits=_run_limits(timeout),
        )
    stdout = out.stdout.decode("utf-8", errors="replace")
    stderr = out.stderr.decode("utf-8", errors="replace")
    killed = out.timed_out or out.truncated
    exit_code = None if killed else out.returncode
    return RunResult(
        stdout=stdout,
        stderr=stderr,
        exit_code=exit_code,
        panicked=exit_code == 101 and "panicked" in stderr,
        timed_out=out.timed_out,
        truncated=out.truncated,
    )


def _compile(
    code: str,
    edition: str,
    build: Path,
    timeout: float,
    cancel: threading.Event | None,
    rustc: str | None,
) -> CompileResult:
    if edition not in EDITIONS:
        raise ValueError(f"unknown edition {edition!r}; rustc knows {', '.join(EDITIONS)}")
    compiler = rustc or find_rustc()
    (build / "main.rs").write_text(code, encoding="utf-8")
    argv = [
        compiler,
        "--edition",
        edition,
        "--crate-type",
        "bin",
        "--error-format=json",
        "--color=never",
        "-C",
        "debuginfo=0",
        "-o",
        "main.exe" if sys.platform == "win32" else "main",
        "main.rs",
    ]
    try:
        out = _run_child(
            argv,
            cwd=build,
            env=None,
            timeout=timeout,
            cancel=cancel,
            caps=(OUTPUT_CAP, _RUSTC_STDERR_CAP),
            limits=None,
        )
    except FileNotFoundError as exc:
        raise RustcMissing() from exc
    if out.timed_out:
        raise RustcTimeout(f"rustc took longer than {timeout:g} s")
    stderr = out.stderr.decode("utf-8", errors="replace")
    return _compile_result(out.returncode == 0, stderr, str(build))


def _compile_result(success: bool, stderr: str, build_dir: str) -> CompileResult:
    errors: list[dict[str, Any]] = []
    stray: list[str] = []
    for line in stderr.splitlines():
        try:
            item = json.loads(line)
        except ValueError:
            stray.append(line)
            continue
        if isinstance(item, dict) and str(item.get("level", "")).startswith("error"):
            errors.append(item)
    codes = sorted({c for c in map(_code_of, errors) if c and _ERROR_CODE.match(c)})
    uncoded = tuple(
        str(e.get("message", ""))
        for e in errors
        if not _ERROR_CODE.match(_code_of(e) or "") and not _is_summary(e)
    )
    rendered = "".join(
        str(e.get("rendered") or e.get("message", "")) for e in errors if not _is_summary(e)
    )
    lines = tuple(_primary_line(e) for e in errors if not _is_summary(e))
    if not success and not errors:
        rendered = "\n".join(stray)
        uncoded = (stray[0],) if stray else ("rustc failed without a diagnostic",)
    diagnostic = rendered.replace(build_dir + os.sep, "").replace(build_dir, ".").rstrip()
    return CompileResult(
        success=success,
        error_codes=tuple(codes),
        diagnostic=diagnostic + "\n" if diagnostic else "",
        uncoded_errors=uncoded,
        primary_lines=lines,
    )


def _primary_line(diagnostic: dict[str, Any]) -> int:
    for span in diagnostic.get("spans") or ():
        if isinstance(span, dict) and span.get("is_primary"):
            line = span.get("line_start")
            return line if isinstance(line, int) else 0
    return 0


def _code_of(diagnostic: dict[str, Any]) -> str | None:
    code = diagnostic.get("code")
    return str(code["code"]) if isinstance(code, dict) and code.get("code") else None


def _is_summary(diagnostic: dict[str, Any]) -> bool:
    """rustc's closing "aborting due to N previous errors; M warnings emitted".

    Left out of reports and stored diagnostics: it adds nothing, and it counts the warnings
    that the stored diagnostic deliberately leaves out.
    """
    return not diagnostic.get("spans") and str(diagnostic.get("message", "")).startswith(
        "aborting due to"
    )


@dataclass(frozen=True)
class _ChildOutput:
    returncode: int | None
    stdout: bytes
    stderr: bytes
    timed_out: bool
    truncated: bool


def _run_child(
    argv: list[str],
    *,
    cwd: Path,
    env: dict[str, str] | None,
    timeout: float,
    cancel: threading.Event | None,
    caps: tuple[int, int],
    limits: Callable[[], None] | None,
) -> _ChildOutput:
    """Run a child in its own process group, so a kill also takes what it spawned."""
    if cancel is not None and cancel.is_set():
        raise Cancelled("cancelled before it started")
    proc = subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=sys.platform != "win32",
        preexec_fn=limits,
    )
    overflow = threading.Event()
    readers = [
        _CappedReader(proc.stdout, caps[0], overflow),
        _CappedReader(proc.stderr, caps[1], overflow),
    ]
    try:
        timed_out = _wait(proc, timeout, cancel, overflow)
    finally:
        _kill_group(proc)
        proc.wait()
        for reader in readers:
            reader.join()
    return _ChildOutput(
        returncode=proc.returncode,
        stdout=readers[0].data(),
        stderr=readers[1].data(),
        timed_out=timed_out,
        truncated=overflow.is_set(),
    )


def _wait(
    proc: subprocess.Popen[bytes],
    timeout: float,
    cancel: threading.Event | None,
    overflow: threading.Event,
) -> bool:
    """Wait for the child to exit; True if the deadline passed first. Raises `Cancelled`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            proc.wait(timeout=_POLL_SECONDS)
            return False
        except subprocess.TimeoutExpired:
            pass
        if cancel is not None and cancel.is_set():
            raise Cancelled("cancelled while the child was running")
        if overflow.is_set():
            return False
        if time.monotonic() >= deadline:
            return True


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill the child and anything it started; harmless when they have all exited."""
    if sys.platform == "win32":
        if proc.poll() is None:
            proc.kill()
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


class _CappedReader:
    """Drains one pipe on a thread, keeping at most `cap` bytes; past that, flags overflow."""

    def __init__(self, pipe: IO[bytes] | None, cap: int, overflow: threading.Event) -> None:
        self._chunks: list[bytes] = []
        self._size = 0
        self._cap = cap
        self._overflow = overflow
        self._thread = threading.Thread(target=self._drain, args=(pipe,), daemon=True)
        self._thread.start()

    def _drain(self, pipe: IO[bytes] | None) -> None:
        if pipe is None:
            return
        with pipe:
            while chunk := os.read(pipe.fileno(), 65536):
                room = self._cap - self._size
                if room > 0:
                    self._chunks.append(chunk[:room])
                    self._size += min(room, len(chunk))
                if len(chunk) > room:
                    self._overflow.set()

    def join(self) -> None:
        # A grandchild that left the process group may hold the pipe open: don't wait forever.
        self._thread.join(timeout=5)

    def data(self) -> bytes:
        return b"".join(self._chunks)


def _minimal_env() -> dict[str, str]:
    """No inherited secrets or settings: the snippet sees only what a locale and panics need."""
    env = {"PATH": os.defpath, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "RUST_BACKTRACE": "0"}
    if sys.platform == "win32" and "SYSTEMROOT" in os.environ:
        env["SYSTEMROOT"] = os.environ["SYSTEMROOT"]
    return env


def _run_limits(timeout: float) -> Callable[[], None] | None:
    if sys.platform == "win32":
        return None
    cpu_seconds = int(timeout) + 1

    def apply() -> None:
        # Runs in the child between fork and exec: only async-signal-safe-ish work here.
        _lower_limit(resource.RLIMIT_CPU, cpu_seconds)
        _lower_limit(resource.RLIMIT_FSIZE, FILE_SIZE_LIMIT)
        _lower_limit(resource.RLIMIT_AS, MEMORY_LIMIT)
        _lower_limit(resource.RLIMIT_CORE, 0)

    return apply


if sys.platform != "win32":

    def _lower_limit(kind: int, value: int) -> None:
        """Set a limit to `value`, or leave it if the system already allows less."""
        _soft, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY and hard < value:
            value = hard
        resource.setrlimit(kind, (value, value))
