"""The process-count limit belongs to the run, not to whatever else the learner runs.

RLIMIT_NPROC counts every task of a user. Before bubblewrap's user namespace could count
on its own (Linux 5.14), a run's allowance was "what the user runs now + 64", so a browser
adding threads during a run took them from the run. In the sandbox the limit is now set
inside the namespace, where only the sandbox's own tasks count: the test below holds more
tasks than the whole allowance, as the program's user, while the program runs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizapp import rustc

pytestmark = [
    pytest.mark.rustc,
    pytest.mark.skipif(sys.platform != "linux", reason="the sandbox and RLIMIT_NPROC are Linux's"),
]

THREADS = 40
HELD = 2 * rustc.PROCESS_LIMIT
"""Tasks the test's helper holds as the program's user: more than the whole old allowance."""

PROGRAM = """\
use std::io::{Read, Write};
use std::sync::{Arc, Barrier};
extern "C" { fn fork() -> i32; fn pause() -> i32; fn mallopt(param: i32, value: i32) -> i32; }
fn main() {
    unsafe { mallopt(-8, 1) }; // M_ARENA_MAX: one malloc arena, see below
    std::fs::OpenOptions::new().write(true).open("@STARTED@").unwrap().write_all(b"s").unwrap();
    let mut go = [0u8; 1];
    std::fs::File::open("@GO@").unwrap().read_exact(&mut go).unwrap();
    let together = Arc::new(Barrier::new(@THREADS@ + 1));
    let release = Arc::new(Barrier::new(@THREADS@ + 1));
    let mut handles = Vec::new();
    for i in 0..@THREADS@ {
        let (together, release) = (together.clone(), release.clone());
        match std::thread::Builder::new().spawn(move || { together.wait(); release.wait(); }) {
            Ok(handle) => handles.push(handle),
            Err(e) => { println!("thread {i} failed: {e}"); std::process::exit(3); }
        }
    }
    together.wait();
    println!("threads {}", handles.len());
    let mut forks = 0;
    loop {
        let pid = unsafe { fork() };
        if pid == 0 { unsafe { pause(); } std::process::exit(0); }
        if pid < 0 { break; }
        forks += 1;
        if forks > 1000 { break; }
    }
    println!("forks {forks}");
    release.wait();
    for handle in handles { handle.join().unwrap(); }
}
"""

"""40 threads under the 1 GiB address-space limit: glibc gives a thread that allocates an
arena of its own, 64 MiB of address space each, up to eight per core, and threads do
allocate as they start. One arena for all keeps the test about processes, not memory."""

HOLDER = """\
use std::io::Read;
fn main() {
    let held: usize = std::env::args().nth(1).unwrap().parse().unwrap();
    for _ in 0..held {
        std::thread::spawn(|| loop { std::thread::park(); });
    }
    println!("holding");
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    std::process::exit(0);
}
"""
"""Threads that only wait, held until its stdin closes. A compiled program, not Python:
the test's interpreter may sit in root's home, which `nobody` cannot enter."""


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder the sandboxed program and `nobody` can reach: outside /tmp and the home
    folders, which the sandbox replaces with its own. It holds two named pipes, `started`
    and `go`, and the compiled holder."""
    os.makedirs("/var/tmp", mode=0o1777, exist_ok=True)  # FHS has it; fail loudly if not
    folder = Path(tempfile.mkdtemp(prefix="quizapp-nproc-test-", dir="/var/tmp"))
    try:
        folder.chmod(0o755)  # the program may run as `nobody`
        for fifo in (folder / "started", folder / "go"):
            os.mkfifo(fifo)
            fifo.chmod(0o666)
        (folder / "holder.rs").write_text(HOLDER)
        subprocess.run(
            [rustc.find_rustc(), "-o", str(folder / "holder"), str(folder / "holder.rs")],
            check=True,
            capture_output=True,
        )
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _unblock(fifo: Path) -> None:
    """Open a named pipe both ways for a moment, so whoever waits to open it goes on."""
    os.close(os.open(fifo, os.O_RDWR | os.O_NONBLOCK))


def test_the_kernel_release_is_read_safely() -> None:
    per_namespace = rustc._counts_per_namespace
    assert per_namespace("5.14.0")
    assert per_namespace("5.14.0-70.13.1.el9_0.x86_64")
    assert per_namespace("6.18.44-generic")
    assert per_namespace("10.0")
    assert not per_namespace("5.13.19")
    assert not per_namespace("4.19.0-26-amd64")
    assert not per_namespace("5.4")
    for garbage in ("", "5", "five.fourteen", "-5.14", " 5.14", "x6.1", "٦.١", "5.", ".14"):
        assert not per_namespace(garbage), garbage


@pytest.mark.skipif(
    not rustc._counts_per_namespace(os.uname().release),
    reason="before Linux 5.14 the count is the user's, so the allowance is shared",
)
def test_other_tasks_of_the_user_do_not_shrink_a_sandboxed_runs_allowance(
    shared: Path,
) -> None:
    """The helper starts its tasks after the program started (when the old allowance was
    already fixed) and holds them while the program spawns 40 threads and then forks until
    the limit stops it: the threads all start, and threads and forks together come to the
    allowance exactly, the helper's tasks counted nowhere."""
    started, go = shared / "started", shared / "go"
    code = PROGRAM.replace("@STARTED@", str(started)).replace("@GO@", str(go))
    code = code.replace("@THREADS@", str(THREADS))
    done: list[rustc.Execution] = []

    def run() -> None:
        try:
            done.append(rustc.run(code, sandbox=True))
        finally:  # a compile error or a crash must not leave the test waiting on a pipe
            _unblock(started)
            _unblock(go)

    runner = threading.Thread(target=run)
    runner.start()
    holder = None
    try:
        with open(started, "rb") as pipe:
            said = pipe.read(1)
        if said == b"s":
            holder = subprocess.Popen(
                [str(shared / "holder"), str(HELD)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                **rustc._run_user(),  # the program's own user
            )
            assert holder.stdout is not None
            assert holder.stdout.readline() == b"holding\n"
            with open(go, "wb") as pipe:
                pipe.write(b"g")
    finally:
        runner.join()
        if holder is not None:
            holder.communicate()
    assert done and done[0].compile.success, done and done[0].compile.diagnostic
    ran = done[0].run
    assert ran is not None
    assert said == b"s", ran
    assert re.fullmatch(rf"threads {THREADS}\nforks \d+\n", ran.stdout), ran
    forks = int(ran.stdout.split()[-1])
    assert THREADS + forks == rustc.PROCESS_LIMIT, ran.stdout
    assert ran.exit_code == 0 and not ran.timed_out


FORK_BOMB = """\
extern "C" { fn fork() -> i32; fn pause() -> i32; }
fn main() {
    let mut n = 0;
    for _ in 0..1000 {
        let pid = unsafe { fork() };
        if pid == 0 { unsafe { pause(); } std::process::exit(0); }
        if pid < 0 { break; }
        n += 1;
    }
    println!("forked {n}");
}
"""

NEW_KERNEL = pytest.mark.skipif(
    not rustc._counts_per_namespace(os.uname().release),
    reason="before Linux 5.14 the limit is set before the sandbox starts",
)


def _shims() -> list[tuple[str, ...]]:
    """Each shim that can run here, whether or not quizapp would pick it."""
    found = []
    if prlimit := shutil.which("prlimit"):
        found.append(rustc._prlimit_shim(prlimit))
    homes = tuple(home + "/" for home in rustc._homes())
    for python in (os.path.realpath(sys.executable), "/usr/bin/python3"):
        if os.path.isfile(python) and not python.startswith(homes):  # the sandbox shows it
            found.append(rustc._python_shim(python))
            break
    return found


@NEW_KERNEL
@pytest.mark.parametrize("shim", _shims(), ids=lambda shim: Path(shim[0]).name)
def test_each_shim_stops_a_fork_bomb_at_the_allowance(
    shim: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sandbox's tasks alone count: a fork bomb gets exactly its allowance."""
    monkeypatch.setattr(rustc, "_nproc_shim", lambda: shim)
    done = rustc.run(FORK_BOMB, sandbox=True)
    assert done.run is not None, done.compile.diagnostic
    assert done.run.stdout == f"forked {rustc.PROCESS_LIMIT}\n", done.run


def test_in_the_sandbox_the_limit_is_set_inside_and_the_fallback_counts_the_user() -> None:
    """Where a shim works (CI has util-linux), the child starts with the user's own limit
    and the shim lowers it in the sandbox; before Linux 5.14 (one count for the whole
    user) the limit is set before the sandbox, as in the fallback, which always counts
    the user's tasks."""
    nobody = 65534
    before, inside = rustc._process_limit(nobody, rustc.PROCESS_LIMIT, contained=True)
    if rustc._counts_per_namespace(os.uname().release):
        shim = rustc._nproc_shim()
        assert shim is not None, "no shim ran in the trial sandbox"
        assert before is None
        assert inside[0] == shim[0]
        assert str(rustc.PROCESS_LIMIT + 2) in " ".join(inside)
    else:
        assert rustc._nproc_shim() is None
        assert inside == [] and before is not None and before > rustc.PROCESS_LIMIT
    before, inside = rustc._process_limit(nobody, rustc.PROCESS_LIMIT, contained=False)
    assert inside == [] and before is not None and before > rustc.PROCESS_LIMIT
    assert rustc._process_limit(0, rustc.PROCESS_LIMIT, contained=True) == (None, [])


@NEW_KERNEL
def test_rustc_compiles_through_the_shim_in_the_sandbox(monkeypatch: pytest.MonkeyPatch) -> None:
    """rustc started by a learner (not root) goes through the shim with its own allowance.

    CI runs as root, whom the kernel exempts, so rustc would start without a shim there:
    the child is planned as `nobody`'s to send the compile through it all the same.
    """
    planned = rustc._process_limit
    seen: list[list[str]] = []

    def as_a_learner(uid: int, extra: int, contained: bool) -> tuple[int | None, list[str]]:
        before, inside = planned(65534, extra, contained)
        seen.append(inside)
        return before, inside

    monkeypatch.setattr(rustc, "_process_limit", as_a_learner)
    compiled = rustc.check('fn main() { let x: i32 = "no"; }\n', sandbox=True)
    assert compiled.error_codes == ("E0308",), compiled.diagnostic
    assert seen and seen[0] and str(rustc.COMPILE_PROCESS_LIMIT + 2) in " ".join(seen[0])
    done = rustc.run('fn main() { println!("hi"); }\n', sandbox=True)
    assert done.run is not None and done.run.stdout == "hi\n", done
