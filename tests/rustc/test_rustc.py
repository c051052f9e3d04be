"""The rustc adapter against the real compiler: verdicts, diagnostics, limits, cancelling."""

from __future__ import annotations

import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizapp import rustc

pytestmark = pytest.mark.rustc

MOVED = """\
fn main() {
    let s = String::from("hi");
    let t = s;
    let unused = 1;
    println!("{s} {t}");
}
"""


@pytest.fixture(autouse=True)
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every temp dir the adapter makes lands here, so tests can see that it is gone."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    yield root
    assert list(root.iterdir()) == [], "a temp dir was left behind"


def test_version_names_rustc() -> None:
    assert rustc.rustc_version().startswith("rustc ")


def test_code_that_compiles() -> None:
    result = rustc.check("fn main() {}\n")
    assert result == rustc.CompileResult(success=True, error_codes=(), diagnostic="")


def test_error_codes_are_sorted_and_distinct() -> None:
    code = """\
fn main() {
    let a = String::new();
    let b = a;
    let c = a;
    let mut v = vec![1];
    let first = &mut v;
    let second = &mut v;
    first.push(1);
    second.push(2);
    drop((b, c));
}
"""
    result = rustc.check(code)
    assert not result.success
    assert result.error_codes == ("E0382", "E0499")


def test_diagnostic_is_plain_text_about_main_rs_without_warnings(temp_root: Path) -> None:
    result = rustc.check(MOVED)
    assert result.error_codes == ("E0382",)
    assert result.diagnostic.startswith("error[E0382]: borrow of moved value: `s`\n --> main.rs:5:")
    assert "\x1b[" not in result.diagnostic
    assert str(temp_root) not in result.diagnostic
    assert "warning" not in result.diagnostic
    assert "aborting due to" not in result.diagnostic


def test_errors_without_a_code_are_kept() -> None:
    result = rustc.check("fn main() {\n    let x: u8 = 255 + 1;\n    let _ = x;\n}\n")
    assert not result.success
    assert result.error_codes == ()
    assert result.uncoded_errors == ("this arithmetic operation will overflow",)
    assert "arithmetic_overflow" in result.diagnostic

    syntax = rustc.check("fn main() { let x = ; }\n")
    assert syntax.error_codes == ()
    assert syntax.uncoded_errors == ("expected expression, found `;`",)


def test_edition_is_passed_to_rustc() -> None:
    code = "async fn f() {}\nfn main() { let _ = f(); }\n"
    assert rustc.check(code, "2021").success
    assert rustc.check(code, "2015").error_codes == ("E0670",)
    with pytest.raises(ValueError, match="edition"):
        rustc.check(code, "2020")


def test_run_reports_stdout_and_exit_code() -> None:
    done = rustc.run(
        'fn main() {\n    println!("a");\n    print!("b");\n    std::process::exit(3);\n}\n'
    )
    assert done.compile.success
    assert done.run is not None
    assert (done.run.stdout, done.run.exit_code, done.run.panicked) == ("a\nb", 3, False)


def test_run_is_a_debug_build_so_overflow_panics() -> None:
    code = """\
fn main() {
    let x: u8 = std::hint::black_box(255);
    println!("before");
    println!("{}", x + 1);
}
"""
    run = rustc.run(code).run
    assert run is not None
    assert run.panicked and run.exit_code == 101
    assert run.stdout == "before\n"
    assert "attempt to add with overflow" in run.panic_message


def test_a_program_that_does_not_compile_is_not_run() -> None:
    done = rustc.run(MOVED)
    assert done.run is None
    assert done.compile.error_codes == ("E0382",)


def test_the_program_gets_no_stdin_an_empty_cwd_and_a_minimal_env() -> None:
    code = """\
use std::io::Read;
fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let here: Vec<_> = std::fs::read_dir(".").unwrap().collect();
    println!("{:?} {} {:?}", input, here.len(), std::env::var("HOME").ok());
}
"""
    run = rustc.run(code).run
    assert run is not None
    assert run.stdout == '"" 0 None\n'


def test_a_program_that_loops_forever_is_killed_by_the_timeout() -> None:
    run = rustc.run("fn main() { loop { std::hint::spin_loop(); } }\n", timeout=1).run
    assert run is not None
    assert run.timed_out
    assert run.exit_code is None
    assert not run.panicked


def test_output_is_capped_and_the_program_killed() -> None:
    run = rustc.run('fn main() { loop { println!("spam spam spam"); } }\n').run
    assert run is not None
    assert run.truncated
    assert len(run.stdout.encode()) == rustc.OUTPUT_CAP
    assert run.exit_code is None


@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
def test_memory_is_limited() -> None:
    code = 'fn main() { let v = vec![1u8; 3 << 30]; println!("{}", v.len()); }\n'
    run = rustc.run(code).run
    assert run is not None
    assert run.exit_code != 0
    assert run.stdout == ""


def test_the_cancel_event_stops_a_run() -> None:
    cancel = threading.Event()
    timer = threading.Timer(0.5, cancel.set)
    timer.start()
    try:
        with pytest.raises(rustc.Cancelled):
            rustc.run(
                "fn main() { loop { std::hint::spin_loop(); } }\n", timeout=120, cancel=cancel
            )
    finally:
        timer.cancel()


def test_a_set_cancel_event_stops_before_rustc_starts() -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(rustc.Cancelled):
        rustc.check("fn main() {}\n", cancel=cancel)


def test_missing_rustc_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(rustc.RustcMissing, match=r"rustup\.rs"):
        rustc.find_rustc()
    with pytest.raises(rustc.RustcMissing):
        rustc.check("fn main() {}\n")
