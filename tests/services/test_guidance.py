"""The first-hour facts the app remembers: stored as operations, robust to damage."""

from __future__ import annotations

from quizapp.services import guidance
from quizapp.services.collection import Collection
from quizapp.storage import repo


def test_each_fact_is_stored_and_none_is_an_undo_step(col: Collection) -> None:
    steps = len(col.undo.steps())
    guidance.set_diagnostic_open(col, False)
    for _ in range(guidance.LEGEND_UNTIL + 3):
        guidance.note_grade_used(col)
    now = guidance.read_guidance(col)
    assert now.welcome_shown and not now.diagnostic_open  # the fixture is past its first run
    assert now.grades_used == guidance.LEGEND_UNTIL and not now.show_legend  # stops counting
    assert len(col.undo.steps()) == steps


def test_a_damaged_value_falls_back_to_the_defaults(col: Collection) -> None:
    with col.db.session() as session:
        repo.put_setting(
            guidance.KEY,
            {"welcome_shown": "yes", "grades_used": -4, "diagnostic_open": None},
            session=session,
        )
        session.commit()
    assert guidance.read_guidance(col) == guidance.Guidance()
    with col.db.session() as session:
        repo.put_setting(guidance.KEY, [1, 2], session=session)
        session.commit()
    assert guidance.read_guidance(col) == guidance.Guidance()


def test_the_sampler_takes_one_card_of_each_kind_from_the_shipped_decks(col: Collection) -> None:
    sitting = guidance.start_sampler(col)
    assert sitting.mode.value == "cram" and sitting.total == 5
    assert len(set(sitting.queue.pending)) == 5
