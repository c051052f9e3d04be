"""The local rustc, as an adapter: compile a snippet, run what it built, say what happened.

Deck answers are only as good as the compiler that confirmed them, so `quizapp verify` (and
later the "Try it" editor) asks the real rustc rather than trusting the author. Everything
about processes, temp dirs and rustc's JSON lives here; callers get plain values.

Snippets compile as a binary crate without `-O`, so debug assertions and overflow checks are
on, as deck authors assume. Diagnostics are rendered as rustc prints them, with the file
named `main.rs` (the compile runs inside the temp dir), never with a temp-dir path.

Compiling and running are contained, because the code may be someone else's. Where
bubblewrap (`bwrap`) can make a sandbox, each child runs in one: no network, a read-only
view of the system, a new PID namespace so nothing it starts survives it. A program also
gets a private, size-capped folder as the only writable place, and the home folder hidden.
Where there is no sandbox, the fallback is what the consent box calls it: limits, not a
sandbox. Either way every child has resource limits (CPU time, memory, file size, process
count), runs in its own session, is killed with anything it started when quizapp ends by a
signal it can catch or exits normally, and dies with quizapp even on SIGKILL (Linux's
parent-death signal). quizapp's temp folders carry its pid and a lock, so the ones a killed
quizapp left are removed at the next start (`clean_stale_temp_dirs`). See docs/security.md.

Every call can be cancelled from another thread with a `threading.Event`: the child
process group is killed and `Cancelled` raised, so a window never waits on a runaway child.
"""

from __future__ import annotations

import atexit
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
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import FrameType
from typing import IO, Any

if sys.platform != "win32":
    import fcntl
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
"""The largest file a program may write (RLIMIT_FSIZE); past it the write fails or kills."""
WRITABLE_LIMIT = 64 << 20
"""In the sandbox, everything a program writes (its folder is a tmpfs of this size)."""
PROCESS_LIMIT = 64
"""Processes and threads a program may add (RLIMIT_NPROC): a fork bomb stops here."""
COMPILE_MEMORY_LIMIT = 2 << 30
"""rustc's address space. A hello world needs under 1 GiB; a huge `static` hits this and
rustc answers E0080 ("more memory than available") instead of growing to many GB."""
COMPILE_FILE_SIZE_LIMIT = 256 << 20
COMPILE_PROCESS_LIMIT = 256
"""rustc's threads, the linker driver and the linker."""
TEMP_PREFIX = "quizapp-"
"""Build and run folders are `quizapp-build-<pid>-…` / `quizapp-run-<pid>-…` in the temp dir."""
NO_SANDBOX_ENV = "QUIZAPP_NO_SANDBOX"
"""Set to 1 to use the fallback even where bubblewrap works (for tests and broken setups)."""
_RUSTC_STDERR_CAP = 64 << 20
"""rustc's JSON embeds each error code's long explanation, so its stderr may be large."""
_POLL_SECONDS = 0.05
_PIPE_GRACE = 1.0
"""After the child is gone, how long its pipes may stay open (something it left escaped)."""
_ERROR_CODE = re.compile(r"^E\d{4}$")
_TEMP_NAME = re.compile(r"^quizapp-(?:build|run)-(\d+)-")
_LOCK_NAME = ".quizapp-lock"
_TOKEN_VAR = "QUIZAPP_CHILD"
"""Marks every child's environment, so the fallback can find what escaped its session."""
_NOBODY = 65534


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


class RustcLimit(RustcError):
    """rustc was stopped by its memory or CPU limit: the snippet is too heavy to compile."""


@dataclass(frozen=True)
class Containment:
    """How children are contained on this machine, for consent boxes and reports."""

    sandboxed: bool
    detail: str
    """The sandbox used ("bubblewrap"), or in a few words why there is none."""


def containment() -> Containment:
    """Whether a sandbox works here (asked once per process: it starts a trial sandbox)."""
    if os.environ.get(NO_SANDBOX_ENV) == "1":
        return Containment(False, f"the sandbox is turned off ({NO_SANDBOX_ENV}=1)")
    return _probe_sandbox()


def sandbox_available() -> bool:
    return containment().sandboxed


_SANDBOX_COMMON = (
    "--unshare-all",  # network, PID, IPC, UTS, cgroup and (unprivileged) user namespaces
    "--die-with-parent",
    "--new-session",
    "--cap-drop",
    "ALL",
    "--ro-bind",
    "/",
    "/",
    "--dev",
    "/dev",
    "--remount-ro",
    "/dev",  # no /dev/shm to fill
    "--proc",
    "/proc",
)


def _trial_run(argv: list[str]) -> subprocess.CompletedProcess[bytes]:
    """A short probe of what the sandbox can do, run as the programs' user would be."""
    return subprocess.run(
        argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=30, check=False, **_run_user()
    )


@cache
def _probe_sandbox() -> Containment:
    if sys.platform != "linux":
        return Containment(False, "quizapp has no sandbox for this system")
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return Containment(False, "bubblewrap (bwrap) is not installed")
    argv = [bwrap, *_SANDBOX_COMMON, "--", shutil.which("true") or "/bin/true"]
    try:
        done = _trial_run(argv)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Containment(False, f"bubblewrap does not start here ({exc})")
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        why = f" ({said[-1][:200]})" if said else ""
        return Containment(False, f"bubblewrap cannot make a sandbox here{why}")
    return Containment(True, "bubblewrap")


def _use_sandbox(sandbox: bool | None) -> bool:
    """None: the sandbox where it works; False: the fallback; True: the sandbox or an error."""
    if sandbox is False:
        return False
    found = containment()
    if sandbox is True and not found.sandboxed:
        raise RustcError(f"no sandbox: {found.detail}")
    return found.sandboxed


def _run_user() -> dict[str, Any]:
    """Popen arguments that drop root to `nobody` for foreign programs (and the probe).

    The kernel exempts root from the process-count limit, and root may write anywhere;
    a program run for a quiz never needs either.
    """
    if sys.platform != "linux" or os.geteuid() != 0:
        return {}
    uid = gid = _NOBODY
    with contextlib.suppress(ImportError, KeyError):
        import pwd

        entry = pwd.getpwnam("nobody")
        uid, gid = entry.pw_uid, entry.pw_gid
    return {"user": uid, "group": gid, "extra_groups": []}


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
    sandbox: bool | None = None,
) -> CompileResult:
    """Whether `code` compiles as a binary crate, and which errors rustc gives if not.

    `sandbox`: None uses the sandbox where it works; False forces the fallback.
    """
    with _temp_dir("build") as build:
        return _compile(code, edition, build, timeout, cancel, rustc, _use_sandbox(sandbox))


def run(
    code: str,
    edition: str = "2021",
    *,
    timeout: float = DEFAULT_RUN_TIMEOUT,
    compile_timeout: float = DEFAULT_COMPILE_TIMEOUT,
    cancel: threading.Event | None = None,
    rustc: str | None = None,
    sandbox: bool | None = None,
) -> Execution:
    """Compile `code`, then, if it compiled, run it once under the limits described above."""
    contained = _use_sandbox(sandbox)
    with _temp_dir("build") as build:
        compiled = _compile(code, edition, build, compile_timeout, cancel, rustc, contained)
        if not compiled.success:
            return Execution(compiled, None)
        binary = build / ("main.exe" if sys.platform == "win32" else "main")
        ran = run_binary(binary, timeout=timeout, cancel=cancel, sandbox=contained)
        return Execution(compiled, ran)


def run_binary(
    binary: Path,
    *,
    timeout: float = DEFAULT_RUN_TIMEOUT,
    cancel: threading.Event | None = None,
    sandbox: bool | None = None,
) -> RunResult:
    contained = _use_sandbox(sandbox)
    user = _run_user()
    processes, inside = _process_limit(user.get("user", os.getuid()), PROCESS_LIMIT, contained)
    with _temp_dir("run") as folder, open(binary, "rb") as exe:
        work = folder / "work"
        work.mkdir()
        if user:
            os.chown(work, user["user"], user["group"])
        fd = exe.fileno()
        pass_fds: tuple[int, ...] = ()
        if contained:
            argv, pass_fds = _sandboxed_program(fd, inside), (fd,)
        elif user:  # `nobody` may not reach root's temp dir: exec the open file instead
            argv, pass_fds = [f"/proc/self/fd/{fd}"], (fd,)
        else:
            argv = [str(binary)]
        out = _run_child(
            argv,
            cwd=work,
            env=_minimal_env(),
            timeout=timeout,
            cancel=cancel,
            caps=(OUTPUT_CAP, OUTPUT_CAP),
            limits=_run_limits(timeout, processes),
            user=user,
            pass_fds=pass_fds,
            sweep=not contained,
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


def _sandboxed_program(fd: int, inside: list[str]) -> list[str]:
    """bwrap running the program copied from `fd`, in an empty tmpfs folder of its own,
    through `inside` (what sets its process limit in the sandbox, when that is done there)."""
    argv = [shutil.which("bwrap") or "bwrap", *_SANDBOX_COMMON]
    for home in _homes():
        argv += ["--tmpfs", home, "--remount-ro", home]
    return [
        *argv,
        "--size",
        str(WRITABLE_LIMIT),
        "--tmpfs",
        "/tmp",
        "--perms",
        "0755",
        "--file",
        str(fd),
        "/tmp/main",
        "--dir",
        "/tmp/work",
        "--chdir",
        "/tmp/work",
        "--",
        *inside,
        "/tmp/main",
    ]


def _homes() -> list[str]:
    """Folders hidden from a sandboxed program: they hold the learner's own files."""
    found = {str(Path.home()), "/home", "/root"}
    return sorted(h for h in found if h not in ("/", "/tmp") and os.path.isdir(h))


def _compile(
    code: str,
    edition: str,
    build: Path,
    timeout: float,
    cancel: threading.Event | None,
    rustc: str | None,
    contained: bool,
) -> CompileResult:
    if edition not in EDITIONS:
        raise ValueError(f"unknown edition {edition!r}; rustc knows {', '.join(EDITIONS)}")
    compiler = rustc or find_rustc()
    (build / "main.rs").write_text(code, encoding="utf-8")
    command = [
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
    argv = command
    processes, inside = _process_limit(os.getuid(), COMPILE_PROCESS_LIMIT, contained)
    if contained:  # rustc writes only its build folder; the linker dies with it
        where = str(build)
        real, shown, sealed = _compiler_view(compiler)
        argv = [shutil.which("bwrap") or "bwrap", *_SANDBOX_COMMON, *shown, "--bind", where, where]
        argv += [*sealed, "--chdir", where, "--", *inside, real, *command[1:]]
    env = _compile_env(build)
    try:
        out = _run_child(
            argv,
            cwd=build,
            env=env,
            timeout=timeout,
            cancel=cancel,
            caps=(OUTPUT_CAP, _RUSTC_STDERR_CAP),
            limits=_compile_limits(timeout, processes),
            user={},
            pass_fds=(),
            sweep=not contained,
        )
    except FileNotFoundError as exc:
        raise RustcMissing() from exc
    if out.timed_out:
        raise RustcTimeout(f"rustc took longer than {timeout:g} s")
    stderr = out.stderr.decode("utf-8", errors="replace")
    result = _compile_result(out.returncode == 0, stderr, str(build))
    if not result.success and not result.error_codes and _killed(out.returncode, contained):
        raise RustcLimit(
            f"rustc was stopped by its limits ({COMPILE_MEMORY_LIMIT >> 30} GiB of memory, "
            f"{timeout:g} s of CPU): this snippet is too heavy to compile"
        )
    return result


_COMPILE_ENV = frozenset(
    {
        "PATH",
        "HOME",
        "LANG",
        "RUSTUP_HOME",
        "RUSTUP_TOOLCHAIN",
        "CARGO_HOME",
        "LD_LIBRARY_PATH",
        "SDKROOT",
        "MACOSX_DEPLOYMENT_TARGET",
        "DEVELOPER_DIR",
    }
)
"""What rustc, rustup's proxy and the linker read from the environment, and no more."""


def _compile_env(build: Path) -> dict[str, str]:
    """The learner's environment without what rustc does not need.

    A snippet reads the compiler's environment with `env!`: `compile_error!(env!("TOKEN"))`
    makes a secret the text of an error, which Try it shows and an mdbook-quiz card keeps.
    Windows keeps everything: its linker needs the many variables of the build tools.
    """
    if sys.platform == "win32":
        return dict(os.environ, TMPDIR=str(build))
    env = {k: v for k, v in os.environ.items() if k in _COMPILE_ENV or k.startswith("LC_")}
    env["TMPDIR"] = str(build)
    return env


def _compiler_view(compiler: str) -> tuple[str, list[str], list[str]]:
    """The rustc to start in the sandbox, and the bwrap arguments that let it see its toolchain
    but not the learner's files: those that mount, and those that then make the hiding
    folders read-only (after every mount, the build folder's too, since a read-only tmpfs
    could not hold a mount point: the toolchain and `TMPDIR` may both be in the home folder).

    A snippet reads files as it compiles (`include_str!`), and rustc's message can quote
    them. The home folders are hidden, as from a program, and the toolchain (rustup keeps
    it in the home folder) is shown read-only at its own path; the toolchain's own rustc is
    started, since rustup's proxy would look for its settings in the hidden home. When the
    sysroot holds no `bin/rustc`, the compiler runs as found, the home folders visible.
    """
    sysroot = _sysroot_of(compiler)
    real = Path(sysroot, "bin", "rustc") if sysroot else None
    if real is None or not real.is_file():
        return compiler, [], []
    homes = _homes()
    shown = [arg for home in homes for arg in ("--tmpfs", home)]
    shown += ["--ro-bind", sysroot, sysroot]
    return str(real), shown, [arg for home in homes for arg in ("--remount-ro", home)]


@cache
def _sysroot_of(compiler: str) -> str:
    """`rustc --print sysroot`, asked once per compiler path; "" when it does not answer."""
    try:
        done = subprocess.run(
            [compiler, "--print", "sysroot"],
            capture_output=True,
            text=True,
            timeout=DEFAULT_COMPILE_TIMEOUT,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    found = done.stdout.strip()
    return found if done.returncode == 0 and os.path.isabs(found) else ""


def _killed(returncode: int | None, contained: bool) -> bool:
    """Whether the compiler died of a signal (bwrap reports that as 128 + the signal)."""
    if returncode is None:
        return False
    return returncode < 0 or (contained and returncode > 128)


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
    env: dict[str, str],
    timeout: float,
    cancel: threading.Event | None,
    caps: tuple[int, int],
    limits: Callable[[], None] | None,
    user: dict[str, Any],
    pass_fds: tuple[int, ...],
    sweep: bool,
) -> _ChildOutput:
    """Run a child in its own session, so a kill also takes what it spawned.

    Its environment carries a token: whatever it started that left the session (`setsid`)
    is found by that token, or by a working folder inside `cwd`, and killed too (Linux).
    """
    if cancel is not None and cancel.is_set():
        raise Cancelled("cancelled before it started")
    token = uuid.uuid4().hex
    proc = subprocess.Popen(
        argv,
        cwd=cwd,
        env={**env, _TOKEN_VAR: token},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=sys.platform != "win32",
        preexec_fn=limits,
        pass_fds=pass_fds,
        **user,
    )
    _children[proc.pid] = (proc, token)
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
        if sweep:  # a sandbox's PID namespace has already taken everything with it
            _sweep({token}, [str(cwd)])
        _children.pop(proc.pid, None)
        for reader in readers:
            reader.join(_PIPE_GRACE)
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


def _sweep(tokens: set[str], folders: list[str]) -> None:
    """SIGKILL every process marked with one of `tokens` or working inside `folders`.

    A sandboxed child needs none of this (its PID namespace dies with it); in the fallback
    it catches a `setsid` grandchild, which the group kill misses. A process that clears its
    environment and changes folder escapes it: the fallback is not a sandbox.
    """
    if sys.platform != "linux" or not (tokens or folders):
        return
    marks = [f"\0{_TOKEN_VAR}={t}\0".encode() for t in tokens]
    prefixes = tuple(f.rstrip(os.sep) + os.sep for f in folders)
    for _attempt in range(100):
        found = [pid for pid in _pids() if _marked(pid, marks, folders, prefixes)]
        if not found:
            return
        for pid in found:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.01)


def _pids() -> list[int]:
    me = os.getpid()
    try:
        return [int(n) for n in os.listdir("/proc") if n.isdigit() and int(n) != me]
    except OSError:
        return []


def _marked(pid: int, marks: list[bytes], folders: list[str], prefixes: tuple[str, ...]) -> bool:
    if folders:
        try:
            where = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            where = ""
        if where in folders or where.startswith(prefixes):
            return True
    if marks:
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                environ = b"\0" + f.read()
        except OSError:
            return False
        return any(mark in environ for mark in marks)
    return False


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

    def join(self, timeout: float) -> None:
        # Something that escaped every kill may hold the pipe open: don't wait on it.
        self._thread.join(timeout=timeout)

    def data(self) -> bytes:
        return b"".join(self._chunks)


def _minimal_env() -> dict[str, str]:
    """No inherited secrets or settings: the snippet sees only what a locale and panics need."""
    env = {"PATH": os.defpath, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "RUST_BACKTRACE": "0"}
    if sys.platform == "win32" and "SYSTEMROOT" in os.environ:
        env["SYSTEMROOT"] = os.environ["SYSTEMROOT"]
    return env


# --- temp folders, and cleaning up when quizapp ends ------------------------------------

_children: dict[int, tuple[subprocess.Popen[bytes], str]] = {}
"""Live children by pid, with their environment token (plain dict ops: atomic under the GIL,
and safe to read from a signal handler, unlike a lock the interrupted code may hold)."""
_temp_dirs: dict[str, None] = {}
_previous_handlers: dict[int, Any] = {}
_installed = False


@contextlib.contextmanager
def _temp_dir(kind: str) -> Iterator[Path]:
    """A `quizapp-<kind>-<pid>-…` folder, locked while in use, removed with what is in it."""
    path = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{kind}-{os.getpid()}-"))
    lock = _hold_lock(path)
    _temp_dirs[str(path)] = None
    try:
        yield path
    finally:
        _remove(str(path))
        _temp_dirs.pop(str(path), None)
        if lock is not None:
            os.close(lock)


def _hold_lock(path: Path) -> int | None:
    """An flock on a file inside: the kernel drops it when quizapp dies, however it dies."""
    if sys.platform == "win32":
        return None
    fd = os.open(path / _LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


def _remove(path: str) -> None:
    """Remove a folder; a child killed a moment ago may still be writing, so try a few times."""
    for _attempt in range(50):
        shutil.rmtree(path, ignore_errors=True)
        if not os.path.lexists(path):
            return
        time.sleep(0.02)


def clean_stale_temp_dirs(parent: Path | None = None) -> list[Path]:
    """Remove the build and run folders of quizapps that died without removing them.

    A folder is stale when nobody holds its lock (or, without a lock file, when its pid is
    gone); a running quizapp's folders are left alone. Returns the folders removed.
    """
    root = Path(parent) if parent is not None else Path(tempfile.gettempdir())
    try:
        entries = list(os.scandir(root))
    except OSError:
        return []
    removed = []
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if match is None or not entry.is_dir(follow_symlinks=False) or not _ours(entry):
            continue
        if entry.path in _temp_dirs or _in_use(Path(entry.path), int(match.group(1))):
            continue
        _remove(entry.path)
        if not os.path.lexists(entry.path):
            removed.append(Path(entry.path))
    return removed


def _ours(entry: os.DirEntry[str]) -> bool:
    """Another user's folders are theirs to clean (and could not be removed anyway)."""
    if sys.platform == "win32":
        return True
    try:
        return entry.stat(follow_symlinks=False).st_uid == os.getuid()
    except OSError:
        return False


def _in_use(path: Path, pid: int) -> bool:
    if sys.platform != "win32":
        try:
            fd = os.open(path / _LOCK_NAME, os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            fd = -1
        if fd >= 0:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return True
            finally:
                os.close(fd)
            return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def install_exit_cleanup() -> None:
    """Kill every child and remove every temp folder when quizapp ends.

    On SIGTERM, SIGINT and SIGHUP (then the signal's previous handling goes on: the process
    still ends by it) and at a normal exit. Call once, from the main thread, at start.
    A signal ignored when quizapp started (`nohup`) stays ignored.
    """
    global _installed
    if _installed or threading.current_thread() is not threading.main_thread():
        return
    _installed = True
    atexit.register(kill_children)
    if sys.platform == "win32":
        return
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        previous = signal.getsignal(signum)
        if previous in (signal.SIG_IGN, None):
            continue
        _previous_handlers[signum] = previous
        signal.signal(signum, _on_signal)


def _on_signal(signum: int, frame: FrameType | None) -> None:
    kill_children()
    previous = _previous_handlers.get(signum)
    if callable(previous):
        previous(signum, frame)
        return
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def kill_children() -> None:
    """Kill every running compile and program (with what they started); remove their folders."""
    children = list(_children.values())
    folders = list(_temp_dirs)
    if not children and not folders:
        return
    for proc, _token in children:
        _kill_group(proc)
    _sweep({token for _proc, token in children}, folders)
    for folder in folders:
        _remove(folder)


# --- resource limits ----------------------------------------------------------------------


def _run_limits(timeout: float, processes: int | None) -> Callable[[], None] | None:
    return _limits(timeout, FILE_SIZE_LIMIT, MEMORY_LIMIT, processes)


def _compile_limits(timeout: float, processes: int | None) -> Callable[[], None] | None:
    return _limits(timeout, COMPILE_FILE_SIZE_LIMIT, COMPILE_MEMORY_LIMIT, processes)


def _process_limit(uid: int, extra: int, contained: bool) -> tuple[int | None, list[str]]:
    """RLIMIT_NPROC for a child of `uid` that may add `extra` tasks: the limit to set before
    it starts, and the command that sets it inside the sandbox instead.

    Where the kernel counts per user namespace and a shim runs in the sandbox, the limit is
    set in there, on the sandbox's tasks alone, and the child starts with the user's own
    limit: that is also the limit the kernel then checks the user's total against, one
    namespace up (the namespace keeps its creator's limit). Elsewhere the limit is set
    before the child starts, counting every task of the user (`_process_allowance`).
    None and nothing for root: the kernel exempts root's own user (kernel uid 0) even in
    the sandbox with every capability dropped, which is why its programs run as `nobody`.
    """
    if sys.platform != "linux" or uid == 0:
        return None, []
    shim = _nproc_shim() if contained else None
    if shim is None:
        return _process_allowance(uid, extra), []
    limit = extra + _SANDBOX_OWN_TASKS
    _soft, hard = resource.getrlimit(resource.RLIMIT_NPROC)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)  # no one may raise a hard limit, not even in the sandbox
    return None, [part.replace("{limit}", str(limit)) for part in shim]


_SANDBOX_OWN_TASKS = 2
"""Tasks in the sandbox's user namespace besides those the command adds: bwrap's init
(PID 1 of the namespace) and the command itself."""
_PYTHON_SHIM = (
    "import os,resource,sys\n"
    "n=int(sys.argv[1])\n"
    "resource.setrlimit(resource.RLIMIT_NPROC,(n,n))\n"
    "os.execv(sys.argv[2],sys.argv[2:])\n"
)


def _nproc_shims() -> list[tuple[str, ...]]:
    """Commands that set RLIMIT_NPROC to `{limit}` and exec the rest of their arguments,
    cheapest first: util-linux's `prlimit` (about 1 ms a start), this Python (7-9 ms). Those
    in a home folder are left out: the sandbox hides the home folders."""
    found: list[tuple[str, ...]] = []
    prlimit = shutil.which("prlimit")
    if prlimit:
        found.append(_prlimit_shim(os.path.realpath(prlimit)))
    if sys.executable:
        found.append(_python_shim(os.path.realpath(sys.executable)))
    homes = [home.rstrip("/") + "/" for home in _homes()]
    return [shim for shim in found if not shim[0].startswith(tuple(homes))]


def _prlimit_shim(prlimit: str) -> tuple[str, ...]:
    return (prlimit, "--nproc={limit}", "--")


def _python_shim(python: str) -> tuple[str, ...]:
    """`-I -S`: no site, no user folders, no PYTHON* variables; it only needs its stdlib."""
    return (python, "-I", "-S", "-c", _PYTHON_SHIM, "{limit}")


@cache
def _nproc_shim() -> tuple[str, ...] | None:
    """The shim that sets the process limit inside the sandbox, or None to set it before.

    None before Linux 5.14 (a namespace's count is then the user's, so the limit in there
    would count every task of the user anyway), and when no shim sets the limit in a trial
    sandbox (run as the programs' user, the home folders hidden, reading back its own
    limits). Asked once per process, at the first sandboxed child.
    """
    if not _counts_per_namespace(os.uname().release):
        return None
    hide = [arg for home in _homes() for arg in ("--tmpfs", home)]
    trial = [shutil.which("bwrap") or "bwrap", *_SANDBOX_COMMON, *hide, "--"]
    cat = shutil.which("cat") or "/bin/cat"
    limit = str(PROCESS_LIMIT + _SANDBOX_OWN_TASKS)
    for shim in _nproc_shims():
        argv = [
            *trial,
            *[part.replace("{limit}", limit) for part in shim],
            cat,
            "/proc/self/limits",
        ]
        try:
            done = _trial_run(argv)
        except (OSError, subprocess.TimeoutExpired):
            continue
        said = done.stdout.decode("ascii", errors="replace")
        if done.returncode == 0 and re.search(rf"^Max processes +{limit} +{limit} ", said, re.M):
            return shim
    return None


def _limits(
    timeout: float, file_size: int, memory: int, processes: int | None
) -> Callable[[], None] | None:
    """What a child sets on itself between fork and exec (rustc and a program alike)."""
    if sys.platform == "win32":
        return None
    cpu_seconds = int(timeout) + 1

    def apply() -> None:
        # Runs in the child between fork and exec: only async-signal-safe-ish work here.
        _lower_limit(resource.RLIMIT_CPU, cpu_seconds)
        _lower_limit(resource.RLIMIT_FSIZE, file_size)
        _lower_limit(resource.RLIMIT_AS, memory)
        _lower_limit(resource.RLIMIT_CORE, 0)
        if processes is not None:
            _lower_limit(resource.RLIMIT_NPROC, processes)
        _die_with_parent()

    return apply


_KERNEL_RELEASE = re.compile(r"(\d+)\.(\d+)", re.ASCII)


def _counts_per_namespace(release: str) -> bool:
    """Whether a kernel of this `uname -r` counts RLIMIT_NPROC per user namespace.

    Since Linux 5.14 (the ucounts rework) a task's count is kept per (user namespace, uid),
    and a namespace's own count is what its tasks' RLIMIT_NPROC is checked against; before,
    the count was the uid's across the system. A release that does not start with
    "major.minor" is taken for an old kernel, the behaviour that is safe on both.
    """
    found = _KERNEL_RELEASE.match(release)
    return found is not None and (int(found[1]), int(found[2])) >= (5, 14)


def _process_allowance(uid: int, extra: int) -> int | None:
    """RLIMIT_NPROC for a child of `uid`: what the user runs now plus `extra`.

    The limit counts every task of the user, not the child's own, so a bare 64 would stop
    a desktop session's first fork. None where it cannot apply: root is exempt by the
    kernel, and only Linux lets the count be read cheaply.
    """
    if sys.platform != "linux" or uid == 0:
        return None
    tasks = 0
    for pid in _pids():
        try:
            if os.stat(f"/proc/{pid}").st_uid == uid:
                tasks += len(os.listdir(f"/proc/{pid}/task"))
        except OSError:
            continue
    return tasks + extra + 1


if sys.platform == "linux":
    import ctypes

    _LIBC = ctypes.CDLL(None, use_errno=True)
    _PR_SET_PDEATHSIG = 1

    def _die_with_parent() -> None:
        """SIGKILL the child if the quizapp thread that started it dies, even by SIGKILL."""
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

else:

    def _die_with_parent() -> None:
        pass


if sys.platform != "win32":

    def _lower_limit(kind: int, value: int) -> None:
        """Set a limit to `value`, or leave it if the system already allows less."""
        _soft, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY and hard < value:
            value = hard
        resource.setrlimit(kind, (value, value))
