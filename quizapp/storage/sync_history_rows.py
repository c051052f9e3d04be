"""The rows of question sets and mock interviews a sync folder shares (issue 16), read as
journal events and merged from them.

Times travel as the text SQLite already holds (`YYYY-MM-DD HH:MM:SS.ffffff`, UTC), so a
merged row reads back exactly as the device that made it stored it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import Session

from quizapp.storage.sync_rows import _marks, _sql


def _where(column: str, uuids: list[str] | None) -> tuple[str, tuple[str, ...]]:
    if uuids is None:
        return "", ()
    return f" WHERE {column} IN ({_marks(len(uuids))})", tuple(uuids)


def question_sets(uuids: Iterable[str] | None, *, session: Session) -> dict[str, dict[str, Any]]:
    """Question sets by uuid (all of them with None): name, description, creation time and
    their cards' uuids in order."""
    wanted = None if uuids is None else list(dict.fromkeys(uuids))
    if wanted == []:
        return {}
    where, params = _where("s.uuid", wanted)
    found: dict[str, dict[str, Any]] = {}
    rows = _sql(
        session,
        "SELECT s.uuid, s.name, s.description, s.created_at, c.uuid FROM question_set s"
        " LEFT JOIN question_set_card q ON q.set_id = s.id LEFT JOIN card c ON c.id = q.card_id"
        f"{where} ORDER BY s.uuid, q.position",
        params,
    )
    for uuid, name, description, created, card in rows:
        entry = found.setdefault(
            uuid, {"name": name, "description": description, "created": created, "cards": []}
        )
        if card is not None:
            entry["cards"].append(card)
    return found


def interviews(uuids: Iterable[str] | None, *, session: Session) -> dict[str, dict[str, Any]]:
    """Interviews by uuid (all with None), with their questions as journal answers:
    `[position, card uuid, answer, correct, timed out, seconds, answered at]`."""
    wanted = None if uuids is None else list(dict.fromkeys(uuids))
    if wanted == []:
        return {}
    where, params = _where("i.uuid", wanted)
    found: dict[str, dict[str, Any]] = {}
    rows = _sql(
        session,
        "SELECT i.uuid, i.title, i.config, i.started_at, i.finished_at, i.fed_at,"
        " a.position, c.uuid, a.answer, a.correct, a.timed_out, a.seconds, a.answered_at"
        " FROM interview i LEFT JOIN interview_answer a ON a.interview_id = i.id"
        f" LEFT JOIN card c ON c.id = a.card_id{where} ORDER BY i.uuid, a.position",
        params,
    )
    for uuid, title, config, started, finished, fed, *answer in rows:
        entry = found.setdefault(
            uuid,
            {
                "title": title,
                "config": config,
                "started": started,
                "finished": finished,
                "fed": fed,
                "answers": [],
            },
        )
        position, card, text, correct, timed_out, seconds, at = answer
        if position is not None and card is not None:
            entry["answers"].append(
                [
                    position,
                    card,
                    text,
                    None if correct is None else bool(correct),
                    bool(timed_out),
                    float(seconds),
                    at,
                ]
            )
    return found


def known_cards(uuids: Iterable[str], *, session: Session) -> set[str]:
    """Of `uuids`, the cards this collection has or had (a delete's tombstone)."""
    wanted = list(dict.fromkeys(uuids))
    known: set[str] = set()
    for start in range(0, len(wanted), 400):
        part = wanted[start : start + 400]
        marks = _marks(len(part))
        known.update(
            u
            for (u,) in _sql(session, f"SELECT uuid FROM card WHERE uuid IN ({marks})", tuple(part))
        )
        known.update(
            k[5:]
            for (k,) in _sql(
                session,
                f"SELECT key FROM sync_clock WHERE key IN ({marks})",
                tuple(f"card:{u}" for u in part),
            )
        )
    return known


def _card_ids(uuids: list[str], session: Session) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(uuids), 400):
        part = uuids[start : start + 400]
        found.update(
            _sql(
                session,
                f"SELECT uuid, id FROM card WHERE uuid IN ({_marks(len(part))})",
                tuple(part),
            )
        )
    return found


SET_NAMES_KEY = "sync_set_names"
"""Device-local setting: each synced question set's own name (its last event's), by uuid.
Two sets made apart under one name are both kept, so what a set is shown as is derived
from these (`settle_set_names`), alike on every machine whatever order events came in."""


def put_question_set(uuid: str, state: dict[str, Any], *, session: Session) -> None:
    """Store a merged set's state: its cards that exist here, in order. Its name is set
    by `settle_set_names`, which the merge calls next (a placeholder until then)."""
    placeholder = f"\x00{uuid}"
    row = _sql(session, "SELECT id FROM question_set WHERE uuid = ?", (uuid,)).fetchone()
    if row is None:
        set_id = _sql(
            session,
            "INSERT INTO question_set (uuid, name, description, created_at) VALUES (?, ?, ?, ?)",
            (uuid, placeholder, state["description"], state["created"]),
        ).lastrowid
    else:
        set_id = row[0]
        _sql(
            session,
            "UPDATE question_set SET name = ?, description = ?, created_at = ? WHERE id = ?",
            (placeholder, state["description"], state["created"], set_id),
        )
        _sql(session, "DELETE FROM question_set_card WHERE set_id = ?", (set_id,))
    ids = _card_ids(list(dict.fromkeys(state["cards"])), session)
    present = [ids[u] for u in dict.fromkeys(state["cards"]) if u in ids]
    _sql(
        session,
        "INSERT INTO question_set_card (set_id, position, card_id) VALUES (?, ?, ?)",
        [(set_id, n, card) for n, card in enumerate(present, start=1)],
    )


def settle_set_names(names: dict[str, str], *, session: Session) -> dict[str, str]:
    """Show every set under its own name (`names`, else the name it has), and of sets
    sharing one, all but the smallest uuid as `Name (1a2b3c4d)`. Returns `names` for the
    sets that exist."""
    rows = list(_sql(session, "SELECT id, uuid, name FROM question_set ORDER BY uuid"))
    own = {uuid: names.get(uuid, name) for _id, uuid, name in rows}
    taken: set[str] = set()
    wanted: dict[int, str] = {}
    for set_id, uuid, name in rows:
        shown = own[uuid] if own[uuid] not in taken else f"{own[uuid]} ({uuid[:8]})"
        taken.add(shown)
        if shown != name:
            wanted[set_id] = shown
    # Two steps, so no two rows share a name in between (the column is unique).
    _sql(
        session, "UPDATE question_set SET name = ? WHERE id = ?", [(f"\x00{i}", i) for i in wanted]
    )
    _sql(
        session,
        "UPDATE question_set SET name = ? WHERE id = ?",
        [(n, i) for i, n in wanted.items()],
    )
    return own


def delete_question_set(uuid: str, *, session: Session) -> bool:
    row = _sql(session, "SELECT id FROM question_set WHERE uuid = ?", (uuid,)).fetchone()
    if row is None:
        return False
    _sql(session, "DELETE FROM question_set_card WHERE set_id = ?", (row[0],))
    _sql(session, "DELETE FROM question_set WHERE id = ?", (row[0],))
    return True


def _earlier(mine: str | None, theirs: str | None) -> str | None:
    if mine is None or theirs is None:
        return mine or theirs
    return min(mine, theirs)


def merge_interview(
    uuid: str, state: dict[str, Any], *, fed_from_it: bool, session: Session
) -> bool:
    """Merge an interview's state into this collection: a union that gives the same rows
    whatever the order (an interview is only ever added to): a question answered beats
    one not answered, of two answers the earlier; finished keeps the earliest time.
    The "fed to the schedule" mark is the one thing taken back (by undo), so it is not a
    union: it comes from the event with the newest clock, `fed_from_it` (decided by the
    merge, which keeps the clocks). Questions whose card was deleted here are left out, as
    a delete leaves them out."""
    row = _sql(
        session, "SELECT id, finished_at, fed_at FROM interview WHERE uuid = ?", (uuid,)
    ).fetchone()
    changed = False
    if row is None:
        interview_id = _sql(
            session,
            "INSERT INTO interview (uuid, title, config, started_at, finished_at, fed_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                uuid,
                state["title"],
                state["config"],
                state["started"],
                state["finished"],
                state["fed"],
            ),
        ).lastrowid
        changed = True
        have: dict[int, tuple[Any, ...]] = {}
    else:
        interview_id = row[0]
        finished = _earlier(row[1], state["finished"])
        fed = state["fed"] if fed_from_it else row[2]
        if (finished, fed) != (row[1], row[2]):
            _sql(
                session,
                "UPDATE interview SET finished_at = ?, fed_at = ? WHERE id = ?",
                (finished, fed, interview_id),
            )
            changed = True
        have = {
            r[0]: r
            for r in _sql(
                session,
                "SELECT position, id, answer, answered_at FROM interview_answer"
                " WHERE interview_id = ?",
                (interview_id,),
            )
        }
    ids = _card_ids(list({a[1] for a in state["answers"]}), session)
    for position, card, text, correct, timed_out, seconds, at in state["answers"]:
        if card not in ids:
            continue
        values = (text, correct, timed_out, seconds, at)
        old = have.get(position)
        if old is None:
            _sql(
                session,
                "INSERT INTO interview_answer (interview_id, position, card_id, answer, correct,"
                " timed_out, seconds, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (interview_id, position, ids[card], *values),
            )
            changed = True
        elif at is not None and (old[3] is None or (at, text) < (old[3], old[2])):
            _sql(
                session,
                "UPDATE interview_answer SET answer = ?, correct = ?, timed_out = ?, seconds = ?,"
                " answered_at = ? WHERE id = ?",
                (*values, old[1]),
            )
            changed = True
    return changed
