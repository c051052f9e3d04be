"""What the fast import and start-up paths promise: backups where something could be lost,
bulk-written cards as complete as before, and format modules loaded only when used."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from quizapp.services import backup, study
from quizapp.services.collection import Collection
from quizapp.services.exchange import apply_import, plan_import
from quizapp.services.importers import read_bundle
from tests.conftest import DATA
from tests.helpers.decks import edited_sample
from tests.helpers.study import study_everything


def before_import_backups(col: Collection) -> list[str]:
    return [b.reason for b in backup.list_backups(col.data_dir) if b.reason == "before-import"]


def test_an_import_that_only_adds_takes_no_backup_and_its_cards_are_studied(
    col: Collection, tmp_path: Path
) -> None:
    path = tmp_path / "cards.csv"
    path.write_bytes((DATA / "cards.csv").read_bytes())
    result = apply_import(col, plan_import(col, read_bundle(path)))
    assert result.decks[0].added == 4
    assert before_import_backups(col) == []
    overview = {d.name: d for d in study.deck_overview(col)}
    assert overview["cards"].cards == 4 and overview["cards"].counts.new == 4


def test_an_import_that_changes_or_hides_existing_cards_is_backed_up_first(
    team_col: Collection, tmp_path: Path
) -> None:
    study_everything(team_col)
    plan = plan_import(team_col, read_bundle(edited_sample(tmp_path)))
    apply_import(team_col, plan)
    assert before_import_backups(team_col) == ["before-import"]
    [summary] = study.deck_overview(team_col)
    assert summary.cards == 5  # one added, one retired (history kept)


def test_deleting_removed_cards_is_always_backed_up_first(
    team_col: Collection, tmp_path: Path
) -> None:
    study_everything(team_col)
    plan = plan_import(team_col, read_bundle(edited_sample(tmp_path)))
    result = apply_import(team_col, plan, delete_removed=True)
    assert result.decks[0].reviews_deleted == 1
    assert before_import_backups(team_col) == ["before-import"]


def test_a_bulk_imported_card_reads_back_as_the_file_wrote_it(
    team_col: Collection, tmp_path: Path
) -> None:
    bundle = read_bundle(edited_sample(tmp_path))
    apply_import(team_col, plan_import(team_col, bundle))
    again = plan_import(team_col, read_bundle(edited_sample(tmp_path)))
    [deck] = again.decks
    assert (deck.added, deck.changed, deck.removed) == ((), (), ())
    assert deck.unchanged == len(bundle.decks[0].cards)


def test_the_window_start_path_loads_no_import_format_module() -> None:
    """Anki, CSV and mdbook-quiz code is imported when such a file is used, not at start."""
    code = (
        "import sys\n"
        "import quizapp.app, quizapp.services.decks, quizapp.services.exchange\n"
        "import quizapp.services.importers, quizapp.ui.main_window\n"
        "heavy = ['quizapp.core.anki', 'quizapp.adapters.apkg', 'quizapp.core.csv_import',\n"
        "         'quizapp.core.mdbook_quiz']\n"
        "print(' '.join(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""},
        timeout=120,
    )
    assert done.stdout.strip() == ""
