"""The collection's tables.

Identity is the UUID from the deck file (`uuid`); the integer `id` is internal and never
leaves the database. A card's content is stored whole as JSON (`content`) so that nothing a
deck file says is lost, with the searchable parts copied into columns.

EF is stored in whole hundredths: SM-2 moves it in steps of 0.02, and an integer cannot drift.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

SCHEMA_VERSION = 11
"""`PRAGMA user_version` of a database this code writes; a larger one is from a newer quizapp."""


class DeckBase(SQLModel):
    uuid: str = Field(index=True, unique=True, max_length=36)
    name: str
    section: str = ""
    description: str = ""
    source: str = ""
    """Where the deck came from: `shipped:<file name>` for decks that ship with quizapp."""
    source_digest: str = ""
    position: int = 0
    options: str = "{}"
    """JSON (core.deck_options.DeckOptions): scheduler, desired retention, FSRS parameters,
    daily limits, new-card order. Read through `deck_options_from_json`, which bounds every
    value: the row may come from an imported or damaged file."""


class DeckRow(DeckBase, table=True):
    """A deck as the collection stores it (`core.model.Deck` is the deck as a value)."""

    __tablename__ = "deck"
    id: int | None = Field(default=None, primary_key=True)


class CardBase(SQLModel):
    uuid: str = Field(index=True, unique=True, max_length=36)
    deck_id: int = Field(foreign_key="deck.id", ondelete="CASCADE")
    """Indexed with `position` (migration step 8: ix_card_deck_position), not alone."""
    position: int = 0
    kind: str
    prompt: str
    code: str = ""
    explanation: str = ""
    tags: str = ""
    content: str
    """The whole card as JSON (see storage.codec)."""
    retired: bool = False
    """No longer in its deck file: hidden from study, history kept."""


class CardRow(CardBase, table=True):
    """A card as the collection stores it (`core.model.Card` is the card as a value)."""

    __tablename__ = "card"
    id: int | None = Field(default=None, primary_key=True)


class CardStateBase(SQLModel):
    repetitions: int = 0
    easiness_hundredths: int = 250
    interval: int = 0
    due_day: int | None = Field(default=None, index=True)
    """Proleptic ordinal of the study day the card is due; None for a new card."""
    drill_day: int | None = None
    """The study day on which the card still needs a drill answer of 4 or more."""
    lapses: int = 0
    reviews: int = 0
    suspended: bool = False
    stability: float | None = None
    """FSRS: days until predicted recall falls to 90%; None while new or never under FSRS."""
    difficulty: float | None = None
    """FSRS: 1 (easy) to 10 (hard)."""
    last_review_day: int | None = None
    """The study day of the last scheduled answer (new or review), under either scheduler:
    elapsed time for FSRS and for SM-2's predicted recall."""


class CardState(CardStateBase, table=True):
    __tablename__ = "card_state"
    card_id: int = Field(primary_key=True, foreign_key="card.id", ondelete="CASCADE")


class ReviewLogBase(SQLModel):
    card_id: int = Field(foreign_key="card.id")
    """No cascade: a card with history cannot be deleted by accident. Indexed with kind and
    quality (migrations step 5), as is study_day: the statistics read only those indexes."""
    reviewed_at: datetime
    """UTC."""
    study_day: int
    kind: str
    """'new', 'review' or 'drill' (drill answers move an FSRS card's memory, not SM-2's)."""
    answer: str = ""
    correct: bool | None = None
    quality: int
    repetitions_before: int
    repetitions_after: int
    easiness_before: int
    easiness_after: int
    interval_before: int
    interval_after: int
    due_day_before: int | None = None
    due_day_after: int | None = None
    drill_day_before: int | None = None
    seconds: float = 0.0
    predicted_recall: float | None = None
    """The scheduler's predicted recall just before this answer (None for a new card, a
    drill or a cram answer): what the calibration chart compares with the outcome."""
    origin: str | None = Field(default=None, unique=True, index=True)
    """For an answer merged from another device (services.sync): `<device id>:<its row id>`,
    the key that makes the union of review logs idempotent. None for an answer given here,
    whose key is this device's id and the row's own id."""
    feed: str | None = None
    """For an answer a mock interview gave when it was fed to the schedule: which feed
    (`core.sync_events.feed_tag`: the interview's uuid and the feed's time). One interview
    fed on two machines before they sync is counted once, the newer feed's answers
    (services.sync_merge); None for every other answer."""


class ReviewLog(ReviewLogBase, table=True):
    __tablename__ = "review_log"
    id: int | None = Field(default=None, primary_key=True)


class Setting(SQLModel, table=True):
    key: str = Field(primary_key=True)
    value: str
    """JSON."""


class QuestionSet(SQLModel, table=True):
    """A hand-picked, named list of questions for mock interviews (rerun and shared as a deck)."""

    __tablename__ = "question_set"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(index=True, unique=True, max_length=36)
    name: str = Field(unique=True)
    description: str = ""
    created_at: datetime
    """UTC."""


class QuestionSetCard(SQLModel, table=True):
    __tablename__ = "question_set_card"
    set_id: int = Field(primary_key=True, foreign_key="question_set.id", ondelete="CASCADE")
    position: int = Field(primary_key=True)
    card_id: int = Field(foreign_key="card.id", index=True)


class Interview(SQLModel, table=True):
    """One mock interview: its settings, and when it started, ended and fed the schedule."""

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(index=True, unique=True, max_length=36)
    title: str = ""
    config: str = "{}"
    """JSON (core.interview.InterviewConfig.to_dict)."""
    started_at: datetime
    """UTC, as are the other times."""
    finished_at: datetime | None = None
    fed_at: datetime | None = None
    """When the learner chose to feed the results into SM-2; None if never."""


class InterviewAnswer(SQLModel, table=True):
    """One question of an interview, planned at the start and filled in when answered.

    Separate from `review_log` on purpose: an interview does not touch SM-2 unless the
    learner asks, and then the answers are replayed through the study service.
    """

    __tablename__ = "interview_answer"
    id: int | None = Field(default=None, primary_key=True)
    interview_id: int = Field(foreign_key="interview.id", index=True, ondelete="CASCADE")
    position: int
    card_id: int = Field(foreign_key="card.id", index=True)
    answer: str = ""
    """JSON, the shape of `review_log.answer`; empty when time ran out."""
    correct: bool | None = None
    """None until answered."""
    timed_out: bool = False
    seconds: float = 0.0
    answered_at: datetime | None = None


class SyncClock(SQLModel, table=True):
    """The hybrid logical clock of the last change merged or made to one thing a sync folder
    shares (`card:<uuid>`, `flags:<uuid>`, `reset:<uuid>`, `deck:<uuid>`, `setting:<name>`,
    `review:<origin>`): what last-writer-wins compares an incoming event with."""

    __tablename__ = "sync_clock"
    key: str = Field(primary_key=True)
    hlc: str
    """`core.hlc.Hlc.text`: sorts as the clock does."""
    deleted: bool = False
    """The thing was deleted at `hlc` (a tombstone: an older edit must not bring it back)."""


class SyncCardHistory(SQLModel, table=True):
    """A card's content that lost to a later edit from another device, kept (issue 16)."""

    __tablename__ = "sync_card_history"
    id: int | None = Field(default=None, primary_key=True)
    card_uuid: str = Field(index=True, max_length=36)
    hlc: str
    content: str
    """The card JSON that lost (storage.codec)."""


class SyncHeldReview(SQLModel, table=True):
    """An answer merged before its card arrived (devices' journals reach a folder in any
    order), kept until the card comes: no answer given anywhere is dropped."""

    __tablename__ = "sync_held_review"
    origin: str = Field(primary_key=True)
    card_uuid: str = Field(index=True, max_length=36)
    review: str
    """JSON: the review's values in `storage.sync_rows.REVIEW_COLUMNS` order."""


class SyncParkedReview(SQLModel, table=True):
    """An answer of a mock interview's feed that another, newer feed of the same interview
    replaced (the interview was fed on two machines before they synced): kept, not counted,
    so that the interview counts once; it counts again if its feed becomes the newest."""

    __tablename__ = "sync_parked_review"
    origin: str = Field(primary_key=True)
    feed: str = Field(index=True)
    card_uuid: str = Field(max_length=36)
    review: str
    """JSON: the review's values in `storage.sync_rows.REVIEW_COLUMNS` order."""
