"""Team decks from git, with real repositories on disk: a bare "remote", an author's clone,
a second member's clone, and the learner's collection subscribed to the remote. No network.

Run with the system git and with dulwich (the fallback for machines without git).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from sqlmodel import select

from quizapp.app import main
from quizapp.core.grading import SelfGraded
from quizapp.services import study, subscriptions, tryit
from quizapp.services.collection import Collection, open_collection
from quizapp.services.exchange import apply_import, find_deck, plan_import
from quizapp.services.importers import read_bundle
from quizapp.storage import repo
from quizapp.storage.tables import CardRow, DeckRow, ReviewLog
from tests.conftest import DATA
from tests.helpers.git_repos import (
    DECK_ID,
    OTHER_DECK_ID,
    card_id,
    clone,
    deck_text,
    git,
    make_author,
    make_remote,
    push,
    use_backend,
)
from tests.helpers.study import in_file_order


@pytest.fixture(params=["git", "dulwich"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    use_backend(monkeypatch, request.param)
    return str(request.param)


@pytest.fixture
def remote(tmp_path: Path, backend: str) -> Path:
    return make_remote(tmp_path)


@pytest.fixture
def author(remote: Path, tmp_path: Path) -> Path:
    return make_author(remote, tmp_path)


@pytest.fixture
def learner(tmp_path: Path) -> Collection:
    col = open_collection(tmp_path / "data")
    yield col
    col.close()


def subscribe(col: Collection, remote: Path) -> subscriptions.Pending:
    pending = subscriptions.prepare_subscribe(col, str(remote))
    subscriptions.apply_subscription(col, pending)
    return pending


def answer(col: Collection, uuid: str) -> None:
    """Answer one card through the study service, as the window does."""
    deck = find_deck(col, "Team ownership")
    s = study.start_sitting(col, [deck])
    while True:
        view = study.current_card(col, s)
        assert view is not None, f"{uuid} never came up"
        if view.card.id == uuid:
            study.answer_card(col, s, view, SelfGraded(), 4, seconds=3.0)
            return
        study.answer_card(col, s, view, SelfGraded(), 4, seconds=1.0)


def reviews_of(col: Collection, uuid: str) -> list[ReviewLog]:
    with col.db.session() as session:
        row = repo.get_cards_by_uuid([uuid], session=session)[uuid]
        return list(session.exec(select(ReviewLog).where(ReviewLog.card_id == row.id)))


def card_row(col: Collection, uuid: str) -> CardRow:
    with col.db.session() as session:
        return repo.get_cards_by_uuid([uuid], session=session)[uuid]


def test_subscribe_imports_the_decks_marked_as_from_git_and_foreign(
    learner: Collection, remote: Path, author: Path
) -> None:
    pending = subscriptions.prepare_subscribe(learner, str(remote))
    assert [(d.deck.name, len(d.added)) for d in pending.plan.decks] == [
        ("Team extra", 1),
        ("Team ownership", 3),
    ]
    assert "Team ownership: new deck" in "\n".join(pending.summary())
    with learner.db.session() as session:
        assert repo.list_decks(session=session) == []  # the preview wrote nothing
    subscriptions.apply_subscription(learner, pending)
    with learner.db.session() as session:
        decks = {d.name: d.source for d in session.exec(select(DeckRow))}
    assert decks == {"Team ownership": f"git:{remote}", "Team extra": f"git:{remote}"}
    assert not tryit.deck_is_shipped(learner, card_id(1))  # its code runs only with consent
    [sub] = subscriptions.list_subscriptions(learner)
    assert (sub.name, sub.url, sub.commit) == (
        "team-decks",
        str(remote),
        git(author, "rev-parse", "HEAD").strip(),
    )
    assert sub.updated_at and set(sub.decks) == {DECK_ID, OTHER_DECK_ID}


def test_update_adds_changes_and_retires_keeping_progress(
    learner: Collection, remote: Path, author: Path
) -> None:
    subscribe(learner, remote)
    answer(learner, card_id(1))
    answer(learner, card_id(3))
    before_1, before_3 = reviews_of(learner, card_id(1)), reviews_of(learner, card_id(3))
    assert before_1 and before_3

    (author / "decks" / "ownership.toml").write_text(
        deck_text(DECK_ID, "Team ownership", {1: "One, reworded", 2: "Two", 4: "Four"}),
        encoding="utf-8",
    )
    (author / "decks" / "extra.toml").unlink()
    push(author, "reword 1, drop 3, add 4, drop the extra deck")

    [sub] = subscriptions.list_subscriptions(learner)
    pending = subscriptions.prepare_update(learner, sub)
    plans = {d.deck.name: d for d in pending.plan.decks}
    own = plans["Team ownership"]
    assert [c.uuid for c in own.added] == [card_id(4)]
    assert [c.uuid for c in own.changed] == [card_id(1)]
    assert [(c.uuid, c.reviews) for c in own.removed] == [(card_id(3), len(before_3))]
    assert [c.uuid for c in plans["Team extra"].removed] == [card_id(10)]
    preview = "\n".join(pending.summary())
    assert "+ Four" in preview and "~ One, reworded" in preview and "- Three" in preview
    assert card_row(learner, card_id(1)).prompt == "One"  # nothing applied yet

    subscriptions.apply_subscription(learner, pending)
    assert card_row(learner, card_id(1)).prompt == "One, reworded"
    assert [r.id for r in reviews_of(learner, card_id(1))] == [r.id for r in before_1]
    assert card_row(learner, card_id(3)).retired
    assert [r.id for r in reviews_of(learner, card_id(3))] == [r.id for r in before_3]
    assert card_row(learner, card_id(10)).retired
    assert card_row(learner, card_id(4)).deck_id == card_row(learner, card_id(1)).deck_id
    [sub] = subscriptions.list_subscriptions(learner)
    assert sub.commit == git(author, "rev-parse", "HEAD").strip()
    assert sub.decks == (DECK_ID,)

    again = subscriptions.prepare_update(learner, sub)
    assert not again.changes_anything


def test_publish_commits_own_decks_and_a_subscriber_takes_them_with_progress(
    learner: Collection, remote: Path, author: Path, tmp_path: Path
) -> None:
    subscribe(learner, remote)
    apply_import(learner, plan_import(learner, read_bundle(DATA / "cards.csv")))
    member = clone(remote, tmp_path / "member")
    git(member, "pull", "-q", "origin", "main")
    published = subscriptions.publish(learner, member / "decks")
    assert [p.name for p in published.written] == ["cards.toml"]  # not the subscribed decks
    assert published.commit == git(member, "rev-parse", "HEAD").strip()
    assert git(member, "status", "--porcelain") == ""
    data = tomllib.loads((member / "decks" / "cards.toml").read_text(encoding="utf-8"))
    assert data["deck"]["name"] == "cards" and len(data["cards"]) == 4
    assert subscriptions.publish(learner, member / "decks").commit is None  # up to date
    git(member, "push", "-q", "origin", "main")

    # The learner studies their own deck, then takes it back through the subscription.
    first = data["cards"][0]["id"]
    deck = find_deck(learner, "cards")
    in_file_order(learner)
    s = study.start_sitting(learner, [deck])
    view = study.current_card(learner, s)
    assert view is not None and view.card.id == first
    study.answer_card(learner, s, view, SelfGraded(), 4, seconds=1.0)
    [sub] = subscriptions.list_subscriptions(learner)
    pending = subscriptions.prepare_update(learner, sub)
    [cards_plan] = [d for d in pending.plan.decks if d.deck.name == "cards"]
    assert cards_plan.exists and not cards_plan.added and not cards_plan.changed
    subscriptions.apply_subscription(learner, pending)
    with learner.db.session() as session:
        assert repo.get_deck_by_uuid(deck, session=session).source == f"git:{remote}"
    assert len(reviews_of(learner, first)) == 1


def test_a_repository_cannot_take_over_a_shipped_deck(
    learner: Collection, remote: Path, author: Path
) -> None:
    from quizapp.services.decks import sync_shipped_decks

    sync_shipped_decks(learner)
    shipped_id = tomllib.loads(
        (Path(__file__).parents[2] / "decks" / "01-ownership.toml").read_text(encoding="utf-8")
    )["deck"]["id"]
    (author / "decks" / "extra.toml").write_text(
        deck_text(shipped_id, "Hijack", {10: "Ten"}), encoding="utf-8"
    )
    push(author, "a copied id")
    with pytest.raises(subscriptions.SubscriptionError, match="shipped deck"):
        subscriptions.prepare_subscribe(learner, str(remote))
    assert subscriptions.list_subscriptions(learner) == []


def test_a_manifest_chooses_the_deck_files(learner: Collection, remote: Path, author: Path) -> None:
    (author / "quizapp-decks.toml").write_text('decks = ["decks/own*.toml"]\n', encoding="utf-8")
    push(author, "only the ownership deck")
    pending = subscriptions.prepare_subscribe(learner, str(remote))
    assert [d.deck.name for d in pending.plan.decks] == ["Team ownership"]


def test_the_command_line_refuses_to_apply_without_a_terminal_or_yes(
    learner: Collection,
    remote: Path,
    author: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = str(learner.data_dir)
    learner.close()
    assert main(["decks", "subscribe", str(remote), "--data-dir", data]) == 1
    out, err = capsys.readouterr()
    assert "Team ownership: new deck" in out and "--yes" in err
    assert main(["decks", "list", "--data-dir", data]) == 0
    assert capsys.readouterr().out == ""
    assert main(["decks", "subscribe", str(remote), "--yes", "--data-dir", data]) == 0
    assert "Team ownership: 3 added" in capsys.readouterr().out
    (author / "decks" / "extra.toml").unlink()
    push(author, "drop extra")
    assert main(["decks", "update", "--data-dir", data]) == 1
    assert "- Ten" in capsys.readouterr().out
    assert main(["decks", "update", "--yes", "--data-dir", data]) == 0
    assert "Team extra: 0 added, 0 changed, 1 hidden" in capsys.readouterr().out
    assert main(["decks", "list", "--data-dir", data]) == 0
    assert f"team-decks  {remote}  1 deck  at " in capsys.readouterr().out


def test_a_card_that_returns_upstream_comes_back_with_its_history(
    learner: Collection, remote: Path, author: Path
) -> None:
    subscribe(learner, remote)
    answer(learner, card_id(3))
    history = [r.id for r in reviews_of(learner, card_id(3))]
    deck_file = author / "decks" / "ownership.toml"
    original = deck_file.read_text(encoding="utf-8")
    deck_file.write_text(deck_text(DECK_ID, "Team ownership", {1: "One", 2: "Two"}), "utf-8")
    push(author, "drop three")
    [sub] = subscriptions.list_subscriptions(learner)
    subscriptions.apply_subscription(learner, subscriptions.prepare_update(learner, sub))
    assert card_row(learner, card_id(3)).retired
    deck_file.write_text(original, encoding="utf-8")
    push(author, "three is back")
    [sub] = subscriptions.list_subscriptions(learner)
    pending = subscriptions.prepare_update(learner, sub)
    [own] = [d for d in pending.plan.decks if d.deck.id == DECK_ID]
    assert [c.uuid for c in own.changed] == [card_id(3)]
    subscriptions.apply_subscription(learner, pending)
    assert not card_row(learner, card_id(3)).retired
    assert [r.id for r in reviews_of(learner, card_id(3))] == history
