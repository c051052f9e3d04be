"""Someone else's program, run for real: what it may not do, in the sandbox and the fallback.

Each test runs a small hostile program through `rustc.run` with `sandbox=True` (bubblewrap,
which CI installs) or `sandbox=False` (the fallback: limits and a session kill, no
sandbox), and looks from outside at what it managed.
"""

from __future__ import annotations

import os
import re
import socket
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizapp import rustc

pytestmark = [
    pytest.mark.rustc,
    pytest.mark.skipif(sys.platform != "linux", reason="the sandbox and the sweep are Linux's"),
]

BOTH = pytest.mark.parametrize("sandbox", [True, False], ids=["sandbox", "fallback"])


@pytest.fixture(autouse=True)
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    yield root
    assert list(root.iterdir()) == [], "a temp folder was left behind"


def run(code: str, sandbox: bool) -> rustc.RunResult:
    done = rustc.run(code, sandbox=sandbox)
    assert done.compile.success, done.compile.diagnostic
    assert done.run is not None
    return done.run


def processes_named(name: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                comm = Path(f"/proc/{entry}/comm").read_text().strip()
                state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            # A zombie has exited: it only waits for a parent to reap it (here the
            # container's PID 1, which may never do so), holding no memory and running nothing.
            if comm == name and state != "Z":
                found.append(int(entry))
    return found


@BOTH
def test_a_setsid_grandchild_does_not_outlive_the_run(sandbox: bool) -> None:
    marker = "qz" + uuid.uuid4().hex[:12]  # a process name (15 bytes at most) to look for
    code = f"""\
extern "C" {{
    fn fork() -> i32;
    fn setsid() -> i32;
    fn pause() -> i32;
    fn prctl(option: i32, ...) -> i32;
}}
fn main() {{
    unsafe {{
        if fork() == 0 {{
            setsid();
            if fork() == 0 {{
                prctl(15, b"{marker}\\0".as_ptr()); // PR_SET_NAME
                loop {{ pause(); }}
            }}
            std::process::exit(0);
        }}
    }}
    println!("started");
}}
"""
    ran = run(code, sandbox)
    assert ran.stdout == "started\n"
    assert ran.exit_code == 0 and not ran.timed_out
    assert processes_named(marker) == []


@BOTH
def test_a_fork_bomb_stops_at_the_process_limit(sandbox: bool) -> None:
    code = """\
extern "C" { fn fork() -> i32; fn pause() -> i32; }
fn main() {
    let mut n = 0;
    for _ in 0..1000 {
        let pid = unsafe { fork() };
        if pid == 0 { unsafe { pause(); } std::process::exit(0); }
        if pid < 0 { println!("fork failed after {n}"); return; }
        n += 1;
    }
    println!("forked {n}");
}
"""
    ran = run(code, sandbox)
    found = re.fullmatch(r"fork failed after (\d+)\n", ran.stdout)
    assert found, ran.stdout
    assert int(found.group(1)) <= rustc.PROCESS_LIMIT
    assert not ran.timed_out


WRITE_ONE_GIB_TO_ONE_FILE = """\
use std::io::Write;
fn main() {
    let chunk = vec![7u8; 1 << 20];
    let mut file = std::fs::File::create("big.bin").unwrap();
    for mib in 1..=1024 {
        if let Err(e) = file.write_all(&chunk) { println!("error {e}"); return; }
        println!("wrote {mib}");
    }
    println!("done");
}
"""


@BOTH
def test_writing_one_gib_to_a_file_is_cut_at_the_file_size_limit(sandbox: bool) -> None:
    ran = run(WRITE_ONE_GIB_TO_ONE_FILE, sandbox)
    written = [int(n) for n in re.findall(r"^wrote (\d+)$", ran.stdout, re.M)]
    assert "done" not in ran.stdout
    assert max(written, default=0) <= rustc.FILE_SIZE_LIMIT >> 20


def test_in_the_sandbox_all_writes_together_are_capped() -> None:
    """1 GiB in files under the file-size limit each: the private folder's size stops it."""
    code = """\
fn main() {
    let chunk = vec![7u8; 8 << 20];
    let mut total = 0;
    for i in 0..128 {
        if let Err(e) = std::fs::write(format!("part{i}.bin"), &chunk) {
            println!("error after {total} MiB: {e}");
            return;
        }
        total += 8;
    }
    println!("wrote {total} MiB");
}
"""
    ran = run(code, True)
    found = re.match(r"error after (\d+) MiB", ran.stdout)
    assert found, ran.stdout
    assert int(found.group(1)) <= rustc.WRITABLE_LIMIT >> 20


def test_in_the_sandbox_there_is_no_network() -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        code = f"""\
fn main() {{
    match std::net::TcpStream::connect("127.0.0.1:{port}") {{
        Ok(_) => println!("connected"),
        Err(e) => println!("refused: {{e}}"),
    }}
}}
"""
        ran = run(code, True)
    assert ran.stdout.startswith("refused"), ran.stdout


def test_in_the_sandbox_home_is_not_writable() -> None:
    target = Path.home() / f"quizapp-sandbox-probe-{uuid.uuid4().hex}"
    code = f"""\
fn main() {{
    match std::fs::write({str(target)!r:}, "x") {{
        Ok(()) => println!("written"),
        Err(e) => println!("refused: {{e}}"),
    }}
}}
""".replace("'", '"')
    try:
        ran = run(code, True)
        assert ran.stdout.startswith("refused"), ran.stdout
        assert not target.exists()
    finally:
        target.unlink(missing_ok=True)


def test_the_sandbox_is_what_containment_reports_here() -> None:
    """CI installs bubblewrap: the sandboxed tests above ran in it, not in a fallback."""
    found = rustc.containment()
    assert found.sandboxed, found.detail


def test_the_fallback_can_be_chosen_from_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(rustc.NO_SANDBOX_ENV, "1")
    assert not rustc.containment().sandboxed
    with pytest.raises(rustc.RustcError, match="no sandbox"):
        rustc.run("fn main() {}\n", sandbox=True)


@BOTH
def test_rustc_itself_has_a_memory_limit(sandbox: bool) -> None:
    """A 2 GiB `static` would make rustc allocate it (and write it out); the limit refuses."""
    code = 'static A: [u8; 1 << 31] = [1; 1 << 31];\nfn main() { println!("{}", A[0]); }\n'
    compiled = rustc.check(code, sandbox=sandbox)
    assert not compiled.success
    assert compiled.error_codes == ("E0080",)
    assert "more memory than available" in compiled.diagnostic
