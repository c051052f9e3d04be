"""Every input the fuzz campaigns kept (corpus and fixed crashers) still holds the property.

`scripts/fuzz_importers.py` fuzzes each importer with atheris and keeps what it found in
`tests/data/fuzz/<target>/`; this replays those files without atheris, so a regression on
any of them fails the suite (issue 13.10).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "fuzz"


def _targets() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "fuzz_importers", ROOT / "scripts/fuzz_importers.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FUZZ = _targets()
CASES = sorted(
    (target, path)
    for target in FUZZ.TARGETS
    for path in (CORPUS / target).rglob("*")
    if path.is_file()
)


def test_every_importer_has_a_corpus() -> None:
    assert {target for target, _ in CASES} == set(FUZZ.TARGETS)


@pytest.mark.parametrize(("target", "path"), CASES, ids=[f"{t}/{p.name}" for t, p in CASES])
def test_the_kept_input_is_imported_or_refused_naming_the_file(target: str, path: Path) -> None:
    FUZZ.check(target, path.read_bytes())
