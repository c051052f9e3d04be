"""Hostile files at every importer: only `ImportFailed`, and a refused import changes nothing.

Hypothesis mutates real seed files (a quizapp deck, CSV/TSV, an mdbook-quiz file, an Anki
package): bytes flipped, inserted, deleted, lines dropped, duplicated or swapped, files cut
short. Each result goes through the same path as File > Import: `read_bundle`, then
`plan_import`, then `apply_import`, sometimes cancelled half-way. Whatever happens, the
only exception allowed out is the documented `ImportFailed` (or `ImportCancelled`), and a
refused or cancelled import leaves every row of the collection as it was.

mdbook-quiz questions ask rustc for error codes; here that answer is fixed to "none", as
the subject is the parser, not the compiler (tests/core/test_mdbook_quiz.py uses rustc).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.core.bundle import ImportFailed
from quizapp.core.deckfile import _schema_accepts, _validator, parse_deck_text
from quizapp.services import exchange, importers
from quizapp.services.collection import Collection, open_collection

DATA = Path(__file__).parent.parent / "data"
EXAMPLES = 150
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ALLOWED = (ImportFailed, exchange.ImportCancelled)


@pytest.fixture(scope="module")
def fuzz_col(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Collection]:
    col = open_collection(tmp_path_factory.mktemp("fuzz") / "data")
    sample = importers.read_bundle(DATA / "sample.toml")
    exchange.apply_import(col, exchange.plan_import(col, sample), backup=False)
    yield col
    col.close()


@pytest.fixture(scope="module")
def apkg_seed(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("apkg") / "sample.apkg"
    importers.WRITERS[".apkg"](importers.read_bundle(DATA / "sample.toml"), path)
    return path.read_bytes()


def rows_digest(path: Path) -> str:
    """Every row of every table, hashed: 'nothing changed' checked exactly."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE 'card_fts%' ORDER BY name"
            )
        ]
        h = hashlib.sha256()
        for name in names:
            for row in conn.execute(f"SELECT * FROM {name} ORDER BY rowid"):
                h.update(repr(row).encode())
        return h.hexdigest()
    finally:
        conn.close()


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "lines", "cut", "token"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=12))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif kind == "cut":
            del data[at:]
        elif kind == "token":
            token = draw(
                st.sampled_from(
                    [b'"', b"'''", b"[[cards]]", b"[deck]", b"\n", b"=", b"kind = \"choice\"",
                     b"answer = [99]", b"id = \"x\"", b",", b"\t", b"\xff", b"\r\n", b"[[questions]]",
                     b"type = \"MultipleChoice\"", b"[]", b"{}", b"1e999"]
                )
            )  # fmt: skip
            data[at:at] = token
        else:
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, max(0, len(lines) - 1)))
            op = draw(st.sampled_from(["drop", "dup", "swap"]))
            if op == "drop":
                del lines[i]
            elif op == "dup":
                lines.insert(i, lines[i] if lines else b"")
            elif len(lines) > 1:
                j = draw(st.integers(0, len(lines) - 1))
                lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
    return bytes(data)


def import_or_refuse(col: Collection, path: Path, cancel_after: int | None) -> None:
    """The import path of File > Import; a refusal must leave the collection as it was."""
    before = rows_digest(col.db.path)
    cancel = threading.Event()
    calls = 0

    def progress(_done: int, _total: int) -> None:
        nonlocal calls
        calls += 1
        if cancel_after is not None and calls > cancel_after:
            cancel.set()

    try:
        plan = exchange.plan_import(col, importers.read_bundle(path))
        if not plan.ok:
            assert rows_digest(col.db.path) == before
            return
        exchange.apply_import(
            col, plan, with_progress=True, progress=progress, cancel=cancel, backup=False
        )
    except ALLOWED:
        assert rows_digest(col.db.path) == before, "a refused import changed the collection"


@pytest.mark.parametrize(
    ("name", "suffix"),
    [("sample.toml", ".toml"), ("cards.csv", ".csv"), ("cards.tsv", ".tsv"),
     ("mdbook-quiz.toml", ".toml")],
)  # fmt: skip
def test_mutated_text_files_are_imported_or_refused_cleanly(
    fuzz_col: Collection, tmp_path: Path, name: str, suffix: str
) -> None:
    seed = (DATA / name).read_bytes()

    @FUZZ
    @given(data=mutated(seed), cancel_after=st.none() | st.integers(0, 3))
    def run(data: bytes, cancel_after: int | None) -> None:
        path = tmp_path / f"fuzzed{suffix}"
        path.write_bytes(data)
        import_or_refuse(fuzz_col, path, cancel_after)

    run()


def test_mutated_anki_packages_are_imported_or_refused_cleanly(
    fuzz_col: Collection, tmp_path: Path, apkg_seed: bytes
) -> None:
    @FUZZ
    @given(data=mutated(apkg_seed), cancel_after=st.none() | st.integers(0, 3))
    def run(data: bytes, cancel_after: int | None) -> None:
        path = tmp_path / "fuzzed.apkg"
        path.write_bytes(data)
        import_or_refuse(fuzz_col, path, cancel_after)

    run()


def test_any_text_is_a_deck_or_a_deck_file_error() -> None:
    from quizapp.core.deckfile import DeckFileError

    @FUZZ
    @given(text=st.text(max_size=400) | mutated((DATA / "sample.toml").read_bytes()).map(
        lambda b: b.decode("utf-8", "replace")))  # fmt: skip
    def run(text: str) -> None:
        try:
            parse_deck_text(text, "fuzzed.toml")
        except DeckFileError as exc:
            assert str(exc).startswith("fuzzed.toml")

    run()


def test_the_fast_schema_check_agrees_with_jsonschema() -> None:
    """The compiled validator decides "valid?" on the hot path; it must never disagree."""
    import tomllib

    seed = (DATA / "sample.toml").read_bytes()

    @FUZZ
    @given(data=mutated(seed))
    def run(data: bytes) -> None:
        try:
            parsed = tomllib.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError):
            return
        assert _schema_accepts(parsed) == _validator().is_valid(parsed)

    run()
