"""What one operation changed, so every open view can decide for itself whether to redraw.

Modelled on Anki's `OpChanges`: the operation does not know which windows are open, and
a window does not know which operation ran; both only know this value. Flags say which
kinds of data moved (a view that shows none of them does nothing), and the UUIDs say
which cards and decks, for views that can refresh one row instead of everything.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from quizapp.core.ids import CardUuid, DeckUuid, ReviewId


@dataclass(frozen=True)
class Changes:
    label: str = ""
    """The operation's name, as Edit → Undo shows it ("Suspend 3 cards")."""
    added: tuple[CardUuid, ...] = ()
    updated: tuple[CardUuid, ...] = ()
    deleted: tuple[CardUuid, ...] = ()
    decks: tuple[DeckUuid, ...] = ()
    """Decks whose cards, counts or names changed."""
    reviews_deleted: int = 0
    """Reviews deleted with their cards (a delete's confirmation reports it)."""
    answered: tuple[ReviewId, ...] = ()
    """Review-log rows an answer added."""
    answers_undone: tuple[ReviewId, ...] = ()
    """Review-log rows an undo removed: the sitting that gave them takes them back."""
    interviews: tuple[str, ...] = ()
    """Mock interviews (their uuids) whose rows this wrote: the sync journal sends them."""
    question_sets: tuple[str, ...] = ()
    """Question sets (their uuids) saved or deleted: the sync journal sends them."""

    card: bool = False
    """Card content (prompt, code, answer, kind) or which cards exist."""
    deck: bool = False
    """Deck rows: names, options, which decks exist."""
    schedule: bool = False
    """When cards are due: answers, resets, suspensions, imported progress."""
    history: bool = False
    """The review log or interview records."""
    settings: bool = False
    collection: bool = False
    """The whole collection was replaced (a backup restored): everything is stale."""
    undo: bool = False
    """This is an undo or redo: the browser selects what came back."""

    @property
    def cards(self) -> tuple[CardUuid, ...]:
        """Every card this touched, in no particular order."""
        return (*self.added, *self.updated, *self.deleted)

    @property
    def study_queue(self) -> bool:
        """Whether today's counts or the next card may differ."""
        return self.collection or self.card or self.deck or self.schedule or self.settings

    def touches(self, card: CardUuid) -> bool:
        return self.collection or card in self.cards

    def merged(self, other: Changes) -> Changes:
        """Both at once: tuples joined without repeats, flags or-ed, the later label."""
        values: dict[str, object] = {}
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if isinstance(mine, bool):
                values[f.name] = mine or theirs
            elif isinstance(mine, tuple):
                values[f.name] = tuple(dict.fromkeys((*mine, *theirs)))
            elif isinstance(mine, int):
                values[f.name] = mine + theirs
            else:
                values[f.name] = theirs or mine
        return Changes(**values)  # type: ignore[arg-type]


EVERYTHING = Changes(collection=True, card=True, deck=True, schedule=True, history=True)
"""For a view that has to assume anything may have moved (a restored backup)."""
