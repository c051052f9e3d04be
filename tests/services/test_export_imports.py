"""An export in a fresh process imports only what it writes with: a command-line export, or
the benchmark's export child, pays for every module the export pulls in. The deck-file rules
(`core.deckfile`, with fastjsonschema and tomli), the progress file and backups are an
import's, imported when an import runs."""

from __future__ import annotations

from pathlib import Path

from quizapp.services.collection import Collection
from quizapp.services.exchange import find_deck
from tests.helpers.fresh_process import run_fresh

IMPORT_ONLY = (
    "quizapp.core.deckfile",
    "quizapp.core.progressfile",
    "quizapp.services.backup",
    "fastjsonschema",
    "tomli",
    "jsonschema",
)


def test_a_fresh_export_does_not_import_the_import_side(col: Collection, tmp_path: Path) -> None:
    deck = find_deck(col, "sample")
    data = col.data_dir
    col.close()
    out = tmp_path / "out.toml"
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from quizapp.services.collection import open_collection\n"
        "col = open_collection(Path(sys.argv[1]))\n"
        "from quizapp.services.exchange import export_deck\n"
        "exported = export_deck(col, sys.argv[2], Path(sys.argv[3]))\n"
        "col.close()\n"
        f"print(exported.cards, ' '.join(m for m in {IMPORT_ONLY!r} if m in sys.modules))\n"
    )
    cards, *imported = run_fresh(code, str(data), deck, str(out)).split()
    assert int(cards) > 0 and out.stat().st_size > 0
    assert imported == []
