"""What a snippet can make rustc read while it compiles, and so quote in an error.

`compile_error!(env!("TOKEN"))` turns an environment variable into the text of an error,
and `compile_error!(include_str!(path))` a file. Try it shows that text, and an
mdbook-quiz card compiled on import keeps it as the card's message, which the learner
may later export and share. Found in the re-audit of issue 13: rustc saw the learner's
whole environment and, even in the sandbox, their home folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

from quizapp import rustc

pytestmark = [
    pytest.mark.rustc,
    pytest.mark.skipif(sys.platform != "linux", reason="the sandbox is Linux's"),
]

BOTH = pytest.mark.parametrize("sandbox", [True, False], ids=["sandbox", "fallback"])


@pytest.fixture(autouse=True)
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def said(compiled: rustc.CompileResult) -> str:
    return compiled.diagnostic + "\n".join(compiled.uncoded_errors)


@BOTH
def test_a_secret_in_the_environment_is_not_read_into_an_error(
    sandbox: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = uuid.uuid4().hex
    monkeypatch.setenv("QUIZAPP_TEST_TOKEN", secret)
    compiled = rustc.check(
        'compile_error!(env!("QUIZAPP_TEST_TOKEN"));\nfn main() {}\n', sandbox=sandbox
    )
    assert not compiled.success
    assert secret not in said(compiled)
    assert "environment variable `QUIZAPP_TEST_TOKEN` not defined" in said(compiled)


def fake_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder of the test's own; rustup still finds the real one's toolchains."""
    for name in ("RUSTUP_HOME", "CARGO_HOME"):
        if name not in os.environ:
            monkeypatch.setenv(name, str(Path.home() / f".{name.split('_')[0].lower()}"))
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home


def test_in_the_sandbox_a_file_in_the_home_folder_is_not_read_into_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The home folder is hidden from rustc as from a program; the toolchain (rustup's, in
    the real home folder here) stays visible, so ordinary code still compiles."""
    home = fake_home(tmp_path, monkeypatch)
    secret = uuid.uuid4().hex
    (home / "secret.txt").write_text(secret, encoding="utf-8")
    compiled = rustc.check(
        f'compile_error!(include_str!("{home}/secret.txt"));\nfn main() {{}}\n', sandbox=True
    )
    assert not compiled.success
    assert secret not in said(compiled)
    assert "couldn't read" in said(compiled)
    assert rustc.check('fn main() { println!("hi"); }\n', sandbox=True).success


def test_in_the_sandbox_a_temp_folder_inside_the_home_folder_still_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`TMPDIR` in the home folder: the build folder is mounted inside the hidden home."""
    home = fake_home(tmp_path, monkeypatch)
    inside = home / "tmp"
    inside.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(inside))
    compiled = rustc.check(
        "fn main() { let s = String::new(); let t = s; s.len(); }\n", sandbox=True
    )
    assert compiled.error_codes == ("E0382",)
    assert list(inside.iterdir()) == []
