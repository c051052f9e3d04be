"""Settings are declared once: defaults, validation, parsing and the docs follow the specs."""

from __future__ import annotations

import importlib.util
from dataclasses import fields
from pathlib import Path

import pytest

from quizapp.core.settings import SPEC_BY_NAME, SPECS, Settings, settings_from_dict

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_declared_with_its_default() -> None:
    assert [f.name for f in fields(Settings)] == [s.name for s in SPECS]
    assert Settings().to_dict() == {s.name: s.default for s in SPECS}


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_the_declared_bounds_are_what_validation_accepts(spec: object) -> None:
    assert spec is SPEC_BY_NAME[spec.name]  # type: ignore[attr-defined]
    if spec.is_choice:  # type: ignore[attr-defined]
        good, bad = spec.choices, ["neon", 3]  # type: ignore[attr-defined]
    else:
        good = [spec.low, spec.high]  # type: ignore[attr-defined]
        bad = [spec.low - 1, spec.high + 1, "7", True, 2.5]  # type: ignore[attr-defined]
    for value in good:
        assert settings_from_dict({spec.name: value}) == (  # type: ignore[attr-defined]
            Settings(**{spec.name: value}),  # type: ignore[attr-defined]
            [],
        )
    for value in bad:
        settings, problems = settings_from_dict({spec.name: value})  # type: ignore[attr-defined]
        assert settings == Settings() and len(problems) == 1


def test_a_bad_value_is_echoed_short() -> None:
    _settings, [problem] = settings_from_dict({"theme": "x" * 10_000})
    assert len(problem) < 200


def test_typed_values_are_parsed_and_checked() -> None:
    assert SPEC_BY_NAME["new_per_day"].parse("35") == 35
    assert SPEC_BY_NAME["theme"].parse("dark") == "dark"
    with pytest.raises(ValueError, match="0 to 23"):
        SPEC_BY_NAME["day_start_hour"].parse("24")


def test_docs_settings_page_is_current() -> None:
    spec = importlib.util.spec_from_file_location("settings_doc", ROOT / "scripts/settings_doc.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert page == module.settings_page(), "run: python scripts/settings_doc.py -o docs/settings.md"
