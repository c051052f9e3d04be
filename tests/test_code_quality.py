"""The project's own rules, checked by the test command: lint, format, types, layers."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ["quizapp", "tests", "scripts", "benchmarks"]


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / args[0]
    command = [str(exe) if exe.exists() else shutil.which(args[0]) or args[0], *args[1:]]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def existing(paths: list[str]) -> list[str]:
    return [p for p in paths if (ROOT / p).exists()]


def test_ruff_lint() -> None:
    result = run_tool("ruff", "check", *existing(SOURCES))
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = run_tool("ruff", "format", "--check", *existing(SOURCES))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_strict_on_core_and_storage() -> None:
    result = run_tool("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_layers_point_one_way() -> None:
    result = run_tool("lint-imports")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_module_of_quizapp_imports_itself_back() -> None:
    """No import loop anywhere, modules inside one package included (the acyclic_siblings
    contract checks packages; this checks every module, type-checking imports too)."""
    import grimp

    graph = grimp.build_graph("quizapp")
    loops = [
        (importer, imported)
        for importer in sorted(graph.modules)
        for imported in graph.find_modules_directly_imported_by(importer)
        if imported.startswith("quizapp") and graph.chain_exists(imported, importer)
    ]
    assert loops == []


@pytest.mark.parametrize(
    "script",
    sorted(
        p.name
        for p in [*(ROOT / "scripts").glob("*.py"), *(ROOT / "benchmarks").glob("*.py")]
        # The fuzzers need the optional `fuzz` extra (atheris), and Anki's desktop timer needs
        # aqt (run by another interpreter, never installed here): the tests install neither.
        if not any(
            f"import {extra}" in p.read_text(encoding="utf-8") for extra in ("atheris", "aqt")
        )
    ),
)
def test_scripts_and_benchmarks_still_import(script: str) -> None:
    """They are not run by the suite, so a renamed function would rot them unseen."""
    path = next(p for p in (ROOT / "scripts" / script, ROOT / "benchmarks" / script) if p.exists())
    result = subprocess.run(
        [sys.executable, "-c", f"import runpy; runpy.run_path({str(path)!r}, run_name='checked')"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
