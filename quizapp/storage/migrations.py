"""The schema's history: a numbered chain of steps, each taking version n-1 to n.

A new collection and an old one go through the same steps, so they cannot end up with
different schemas: a new one runs every step from 1, an old one the steps after its
`PRAGMA user_version`. All steps of one upgrade run in one transaction (SQLite's DDL is
transactional), so a collection is never left half-upgraded; `database.open_database`
takes a backup before upgrading an existing collection.

Why not alembic: it would add a dependency, a migration environment and its own version
table beside `PRAGMA user_version`, which the refusal of newer databases already relies
on; SQLite's limited ALTER TABLE means its autogenerate could not write most steps for us
anyway, and FTS5 tables and triggers are raw SQL in either case. A list of functions is
all the chain needs. See docs/architecture.md, "Changing the schema".

Rules for a step (they keep old files upgradable forever):
- never edit a step that has shipped; add one at the end and bump `tables.SCHEMA_VERSION`;
- write DDL as frozen SQL text, not from today's SQLModel classes, which will change;
- a step that copies data must keep every review-log row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection

from quizapp.storage import search


@dataclass(frozen=True)
class Step:
    version: int
    """The `user_version` this step produces."""
    why: str
    apply: Callable[[Connection], None]


def _run(*statements: str) -> Callable[[Connection], None]:
    def apply(conn: Connection) -> None:
        for statement in statements:
            conn.exec_driver_sql(statement)

    return apply


_BASELINE = (
    """CREATE TABLE deck (
	uuid VARCHAR(36) NOT NULL,
	name VARCHAR NOT NULL,
	section VARCHAR NOT NULL,
	description VARCHAR NOT NULL,
	source VARCHAR NOT NULL,
	source_digest VARCHAR NOT NULL,
	position INTEGER NOT NULL,
	id INTEGER NOT NULL,
	PRIMARY KEY (id)
)""",
    "CREATE UNIQUE INDEX ix_deck_uuid ON deck (uuid)",
    """CREATE TABLE card (
	uuid VARCHAR(36) NOT NULL,
	deck_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	kind VARCHAR NOT NULL,
	prompt VARCHAR NOT NULL,
	code VARCHAR NOT NULL,
	explanation VARCHAR NOT NULL,
	tags VARCHAR NOT NULL,
	content VARCHAR NOT NULL,
	retired BOOLEAN NOT NULL,
	id INTEGER NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(deck_id) REFERENCES deck (id) ON DELETE CASCADE
)""",
    "CREATE INDEX ix_card_deck_id ON card (deck_id)",
    "CREATE UNIQUE INDEX ix_card_uuid ON card (uuid)",
    """CREATE TABLE card_state (
	repetitions INTEGER NOT NULL,
	easiness_hundredths INTEGER NOT NULL,
	interval INTEGER NOT NULL,
	due_day INTEGER,
	drill_day INTEGER,
	lapses INTEGER NOT NULL,
	reviews INTEGER NOT NULL,
	suspended BOOLEAN NOT NULL,
	card_id INTEGER NOT NULL,
	PRIMARY KEY (card_id),
	FOREIGN KEY(card_id) REFERENCES card (id) ON DELETE CASCADE
)""",
    "CREATE INDEX ix_card_state_due_day ON card_state (due_day)",
    """CREATE TABLE review_log (
	card_id INTEGER NOT NULL,
	reviewed_at DATETIME NOT NULL,
	study_day INTEGER NOT NULL,
	kind VARCHAR NOT NULL,
	answer VARCHAR NOT NULL,
	correct BOOLEAN,
	quality INTEGER NOT NULL,
	repetitions_before INTEGER NOT NULL,
	repetitions_after INTEGER NOT NULL,
	easiness_before INTEGER NOT NULL,
	easiness_after INTEGER NOT NULL,
	interval_before INTEGER NOT NULL,
	interval_after INTEGER NOT NULL,
	due_day_before INTEGER,
	due_day_after INTEGER,
	drill_day_before INTEGER,
	seconds FLOAT NOT NULL,
	id INTEGER NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(card_id) REFERENCES card (id)
)""",
    "CREATE INDEX ix_review_log_card_id ON review_log (card_id)",
    "CREATE INDEX ix_review_log_study_day ON review_log (study_day)",
    """CREATE TABLE setting (
	"key" VARCHAR NOT NULL,
	value VARCHAR NOT NULL,
	PRIMARY KEY ("key")
)""",
)
"""Schema 1, frozen: what quizapp 0.1 created (SQLModel's DDL for tables.py at the time)."""


_MIRRORED = ("uuid", "deck_id", "retired", "position")
"""Card columns copied into `card_state` (step 2), kept equal by triggers."""


def _step_2(conn: Connection) -> None:
    search.ensure_search_index(conn)
    copy = ", ".join(f"{c} = (SELECT {c} FROM card WHERE card.id = card_id)" for c in _MIRRORED)
    copy_new = ", ".join(f"{c} = new.{c}" for c in _MIRRORED)
    _run(
        # Each card's uuid, deck, retired flag and position, copied into its state row and kept
        # equal by triggers, so "the first 200 due cards of deck d" is one range of one
        # index (ix_card_state_study) instead of a join over every card of the deck. The
        # ORM does not know these columns; only the triggers write them.
        "ALTER TABLE card_state ADD COLUMN uuid VARCHAR(36)",
        "ALTER TABLE card_state ADD COLUMN deck_id INTEGER",
        "ALTER TABLE card_state ADD COLUMN retired BOOLEAN NOT NULL DEFAULT 0",
        "ALTER TABLE card_state ADD COLUMN position INTEGER NOT NULL DEFAULT 0",
        f"UPDATE card_state SET {copy}",
        # Every card has a state row from the moment it exists: an import inserts cards
        # in one batch without a round trip per card to learn its id.
        "CREATE TRIGGER card_state_for_new_card AFTER INSERT ON card BEGIN "
        "INSERT OR IGNORE INTO card_state (card_id, repetitions, easiness_hundredths, "
        "interval, lapses, reviews, suspended) VALUES (new.id, 0, 250, 0, 0, 0, 0); END",
        "CREATE TRIGGER card_state_mirror_on_insert AFTER INSERT ON card_state BEGIN "
        f"UPDATE card_state SET {copy} WHERE card_id = new.card_id; END",
        "CREATE TRIGGER card_state_mirror_on_update AFTER UPDATE OF uuid, deck_id, retired, position "
        f"ON card BEGIN UPDATE card_state SET {copy_new} WHERE card_id = new.id; END",
        "CREATE INDEX ix_card_state_study "
        "ON card_state (deck_id, retired, suspended, due_day, position)",
        # Today's drill cards.
        "CREATE INDEX ix_card_state_drill_day ON card_state (drill_day) "
        "WHERE drill_day IS NOT NULL",
        # Each deck's size, kept by triggers: the deck list shows it without counting.
        "CREATE TABLE deck_size (deck_id INTEGER NOT NULL PRIMARY KEY "
        "REFERENCES deck (id) ON DELETE CASCADE, cards INTEGER NOT NULL DEFAULT 0)",
        "INSERT INTO deck_size (deck_id, cards) SELECT id, "
        "(SELECT count(*) FROM card WHERE card.deck_id = deck.id AND NOT card.retired) FROM deck",
        "CREATE TRIGGER deck_size_on_new_deck AFTER INSERT ON deck BEGIN "
        "INSERT OR IGNORE INTO deck_size (deck_id, cards) VALUES (new.id, 0); END",
        "CREATE TRIGGER deck_size_on_insert AFTER INSERT ON card WHEN NOT new.retired BEGIN "
        "UPDATE deck_size SET cards = cards + 1 WHERE deck_id = new.deck_id; END",
        "CREATE TRIGGER deck_size_on_delete AFTER DELETE ON card WHEN NOT old.retired BEGIN "
        "UPDATE deck_size SET cards = cards - 1 WHERE deck_id = old.deck_id; END",
        "CREATE TRIGGER deck_size_on_update AFTER UPDATE OF deck_id, retired ON card BEGIN "
        "UPDATE deck_size SET cards = cards - 1 WHERE deck_id = old.deck_id AND NOT old.retired; "
        "UPDATE deck_size SET cards = cards + 1 WHERE deck_id = new.deck_id AND NOT new.retired; "
        "END",
        # What was answered today, per card and kind: the daily limits' "done today".
        "CREATE INDEX ix_review_log_day_card ON review_log (study_day, card_id, kind)",
    )(conn)


_INTERVIEWS = (
    """CREATE TABLE question_set (
	id INTEGER NOT NULL,
	uuid VARCHAR(36) NOT NULL,
	name VARCHAR NOT NULL,
	description VARCHAR NOT NULL,
	created_at DATETIME NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (name)
)""",
    "CREATE UNIQUE INDEX ix_question_set_uuid ON question_set (uuid)",
    """CREATE TABLE question_set_card (
	set_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	card_id INTEGER NOT NULL,
	PRIMARY KEY (set_id, position),
	FOREIGN KEY(set_id) REFERENCES question_set (id) ON DELETE CASCADE,
	FOREIGN KEY(card_id) REFERENCES card (id)
)""",
    "CREATE INDEX ix_question_set_card_card_id ON question_set_card (card_id)",
    """CREATE TABLE interview (
	id INTEGER NOT NULL,
	uuid VARCHAR(36) NOT NULL,
	title VARCHAR NOT NULL,
	config VARCHAR NOT NULL,
	started_at DATETIME NOT NULL,
	finished_at DATETIME,
	fed_at DATETIME,
	PRIMARY KEY (id)
)""",
    "CREATE UNIQUE INDEX ix_interview_uuid ON interview (uuid)",
    """CREATE TABLE interview_answer (
	id INTEGER NOT NULL,
	interview_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	card_id INTEGER NOT NULL,
	answer VARCHAR NOT NULL,
	correct BOOLEAN,
	timed_out BOOLEAN NOT NULL,
	seconds FLOAT NOT NULL,
	answered_at DATETIME,
	PRIMARY KEY (id),
	FOREIGN KEY(interview_id) REFERENCES interview (id) ON DELETE CASCADE,
	FOREIGN KEY(card_id) REFERENCES card (id)
)""",
    "CREATE INDEX ix_interview_answer_card_id ON interview_answer (card_id)",
    "CREATE INDEX ix_interview_answer_interview_id ON interview_answer (interview_id)",
)
"""Mock interviews and their question sets (tables.QuestionSet ... InterviewAnswer)."""


def _step_4(conn: Connection) -> None:
    copy = ", ".join(f"{c} = (SELECT {c} FROM card WHERE card.id = card_id)" for c in _MIRRORED)
    mirrored = ", ".join(_MIRRORED)
    from_new = ", ".join(f"new.{c}" for c in _MIRRORED)
    _run(
        # A new card's state row is written whole, mirrored columns included, instead of
        # inserted bare and then updated by a second trigger with four sub-queries: the
        # update wrote every index of the row twice, a quarter of a bulk import's time.
        "DROP TRIGGER card_state_for_new_card",
        "CREATE TRIGGER card_state_for_new_card AFTER INSERT ON card BEGIN "
        "INSERT OR IGNORE INTO card_state (card_id, repetitions, easiness_hundredths, "
        f"interval, lapses, reviews, suspended, {mirrored}) "
        f"VALUES (new.id, 0, 250, 0, 0, 0, 0, {from_new}); END",
        # Rows written by other paths (the ORM's CardState) still get their copies.
        "DROP TRIGGER card_state_mirror_on_insert",
        "CREATE TRIGGER card_state_mirror_on_insert AFTER INSERT ON card_state "
        f"WHEN new.uuid IS NULL BEGIN UPDATE card_state SET {copy} "
        "WHERE card_id = new.card_id; END",
    )(conn)


_COVERING_LOG_INDEXES = (
    # The statistics and the mock interview's weights sum the whole review log by card and
    # by day. Through indexes holding every column those sums read (kind, quality), SQLite
    # scans an index instead of sorting a million table rows or looking each one up: at
    # 1,000,000 answers the per-card sums went from 0.5 s to 0.2 s and the per-day ones
    # from 0.8 s to 0.1 s. Each new index starts with the old one's columns, so every
    # query those served (a card's history, today's answers) is served as before, and the
    # card_id index still backs the foreign key.
    "DROP INDEX ix_review_log_card_id",
    "DROP INDEX ix_review_log_study_day",
    "DROP INDEX ix_review_log_day_card",
    "CREATE INDEX ix_review_log_card ON review_log (card_id, kind, quality)",
    "CREATE INDEX ix_review_log_day ON review_log (study_day, card_id, kind, quality)",
    # A mock interview draws from the cards of its kinds: their ids and kinds from this
    # index instead of every card's wide row (content JSON and all), 0.4 s at 100,000.
    "CREATE INDEX ix_card_kind ON card (kind)",
)


_MEMORY_MODEL = (
    "ALTER TABLE card_state ADD COLUMN stability FLOAT",
    "ALTER TABLE card_state ADD COLUMN difficulty FLOAT",
    "ALTER TABLE card_state ADD COLUMN last_review_day INTEGER",
    "ALTER TABLE deck ADD COLUMN options VARCHAR NOT NULL DEFAULT '{}'",
    "ALTER TABLE review_log ADD COLUMN predicted_recall FLOAT",
    "UPDATE card_state SET last_review_day = (SELECT max(study_day) FROM review_log "
    "WHERE review_log.card_id = card_state.card_id AND kind IN ('new', 'review'))",
)


_SYNC = (
    "ALTER TABLE review_log ADD COLUMN origin VARCHAR",
    "CREATE UNIQUE INDEX ix_review_log_origin ON review_log (origin)",
    """CREATE TABLE sync_clock (
	key VARCHAR NOT NULL,
	hlc VARCHAR NOT NULL,
	deleted BOOLEAN NOT NULL,
	PRIMARY KEY (key)
)""",
    """CREATE TABLE sync_card_history (
	id INTEGER NOT NULL,
	card_uuid VARCHAR(36) NOT NULL,
	hlc VARCHAR NOT NULL,
	content VARCHAR NOT NULL,
	PRIMARY KEY (id)
)""",
    "CREATE INDEX ix_sync_card_history_card_uuid ON sync_card_history (card_uuid)",
    """CREATE TABLE sync_held_review (
	origin VARCHAR NOT NULL,
	card_uuid VARCHAR(36) NOT NULL,
	review VARCHAR NOT NULL,
	PRIMARY KEY (origin)
)""",
    "CREATE INDEX ix_sync_held_review_card_uuid ON sync_held_review (card_uuid)",
)


_BROWSER_ORDER = (
    # The browser lists cards in deck order. With cards indexed by deck alone, its first
    # screen at 300,000 cards sorted every match (0.2 s for a word in a third of them);
    # walking this index deck by deck stops after a screenful (15 ms). It replaces the
    # deck-only index, which it serves too (the foreign key, a deck's cards), so writing a
    # card maintains no more indexes than before.
    "DROP INDEX ix_card_deck_id",
    "CREATE INDEX ix_card_deck_position ON card (deck_id, position)",
)


def _step_8(conn: Connection) -> None:
    _run(*_BROWSER_ORDER)(conn)
    # A file analysed before (planner statistics in sqlite_stat1) would otherwise know the
    # old index's selectivity and not the new one's; SQLite then guessed the new index
    # cheap and read a page of the browser's rows by walking whole decks (2 s, not 10 ms).
    # quizapp never analyses a collection itself; this only keeps such a file's statistics whole.
    analysed = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
    ).first()
    if analysed is not None:
        conn.exec_driver_sql("ANALYZE card")


_ONE_FEED = (
    "ALTER TABLE review_log ADD COLUMN feed VARCHAR",
    # Only answers of a fed interview carry one: a partial index stays a few rows.
    "CREATE INDEX ix_review_log_feed ON review_log (feed) WHERE feed IS NOT NULL",
    """CREATE TABLE sync_parked_review (
	origin VARCHAR NOT NULL,
	feed VARCHAR NOT NULL,
	card_uuid VARCHAR(36) NOT NULL,
	review VARCHAR NOT NULL,
	PRIMARY KEY (origin)
)""",
    "CREATE INDEX ix_sync_parked_review_feed ON sync_parked_review (feed)",
)


_COUNTS_FROM_INDEXES = (
    # The deck list's counts read only these two indexes: due and new cards stop on the
    # drill day (not in the old study index, so each candidate read its card_state row), and
    # the drill count needs each drilled card's deck and flags. From a cold cache at 300,000
    # cards those row reads were 0.06 s of the deck list's 0.09 s; now 0.03 s in all.
    "DROP INDEX ix_card_state_study",
    "CREATE INDEX ix_card_state_study "
    "ON card_state (deck_id, retired, suspended, due_day, position, drill_day)",
    "DROP INDEX ix_card_state_drill_day",
    "CREATE INDEX ix_card_state_drill_day ON card_state (drill_day, deck_id, suspended, retired) "
    "WHERE drill_day IS NOT NULL",
)


_REVIEW_IDS_NEVER_REUSED = (
    # A review-log row's id is part of its answer's sync key (`device:id`, for this
    # device's own answers). SQLite gives a new row the largest id + 1, so deleting the
    # newest answer (a card deleted with its history, an undo) handed its id to the next
    # answer: two answers with one key, and a merge elsewhere kept only one of them (a
    # sync property test found an answer lost for good that way). AUTOINCREMENT never
    # gives an id twice; the table is rebuilt with every row and id as it was.
    """CREATE TABLE review_log_new (
	card_id INTEGER NOT NULL,
	reviewed_at DATETIME NOT NULL,
	study_day INTEGER NOT NULL,
	kind VARCHAR NOT NULL,
	answer VARCHAR NOT NULL,
	correct BOOLEAN,
	quality INTEGER NOT NULL,
	repetitions_before INTEGER NOT NULL,
	repetitions_after INTEGER NOT NULL,
	easiness_before INTEGER NOT NULL,
	easiness_after INTEGER NOT NULL,
	interval_before INTEGER NOT NULL,
	interval_after INTEGER NOT NULL,
	due_day_before INTEGER,
	due_day_after INTEGER,
	drill_day_before INTEGER,
	seconds FLOAT NOT NULL,
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
	predicted_recall FLOAT,
	origin VARCHAR,
	feed VARCHAR,
	FOREIGN KEY(card_id) REFERENCES card (id)
)""",
    "INSERT INTO review_log_new (card_id, reviewed_at, study_day, kind, answer, correct, "
    "quality, repetitions_before, repetitions_after, easiness_before, easiness_after, "
    "interval_before, interval_after, due_day_before, due_day_after, drill_day_before, "
    "seconds, id, predicted_recall, origin, feed) "
    "SELECT card_id, reviewed_at, study_day, kind, answer, correct, quality, "
    "repetitions_before, repetitions_after, easiness_before, easiness_after, "
    "interval_before, interval_after, due_day_before, due_day_after, drill_day_before, "
    "seconds, id, predicted_recall, origin, feed FROM review_log ORDER BY id",
    "DROP TABLE review_log",
    "ALTER TABLE review_log_new RENAME TO review_log",
    "CREATE INDEX ix_review_log_card ON review_log (card_id, kind, quality)",
    "CREATE INDEX ix_review_log_day ON review_log (study_day, card_id, kind, quality)",
    "CREATE UNIQUE INDEX ix_review_log_origin ON review_log (origin)",
    "CREATE INDEX ix_review_log_feed ON review_log (feed) WHERE feed IS NOT NULL",
)


STEPS: tuple[Step, ...] = (
    Step(1, "baseline: decks, cards, their state, the review log, settings", _run(*_BASELINE)),
    Step(
        2,
        "the browser's full-text index (FTS5 over card, kept in step by triggers), and "
        "indexes that let the deck counts and the next card read a few rows, not all",
        _step_2,
    ),
    Step(
        3,
        "mock interviews and their answers, and hand-picked question sets (issue 5)",
        _run(*_INTERVIEWS),
    ),
    Step(
        4,
        "a new card's state row is written whole by one trigger (faster bulk imports)",
        _step_4,
    ),
    Step(
        5,
        "covering indexes for the statistics and the mock interview's draw",
        _run(*_COVERING_LOG_INDEXES),
    ),
    Step(
        6,
        "a second scheduler: FSRS memory per card, options per deck, predicted recall per "
        "review (issue 15); the last scheduled review's day filled in from the log",
        _run(*_MEMORY_MODEL),
    ),
    Step(
        7,
        "sync through a folder (issue 16): where a merged answer came from, the clock of "
        "each shared thing's last change, card contents that lost to a later edit, and "
        "answers that arrived before their card",
        _run(*_SYNC),
    ),
    Step(
        8,
        "the browser's first screen: cards indexed by (deck, position), so a search in deck "
        "order reads the first matches it finds and stops (issue 17)",
        _step_8,
    ),
    Step(
        9,
        "one mock interview fed to the schedule on two machines counts once (issue 16): "
        "which feed gave an answer, and the answers of a feed a newer one replaced",
        _run(*_ONE_FEED),
    ),
    Step(
        10,
        "the deck list counts from indexes alone: the drill day in the study index, each "
        "drilled card's deck and flags in the drill index (issue 17: a start from a cold "
        "cache at 300,000 cards)",
        _run(*_COUNTS_FROM_INDEXES),
    ),
    Step(
        11,
        "a review-log id is never given twice (AUTOINCREMENT), so no two answers share a "
        "sync key after the newest one was deleted (issue 16)",
        _run(*_REVIEW_IDS_NEVER_REUSED),
    ),
)


def latest_version() -> int:
    return STEPS[-1].version


def repair(conn: Connection) -> None:
    """Rebuild what can be derived from the rest and was found missing (the search index,
    the indexes the statistics name in `INDEXED BY`).

    Costs a few lookups when nothing is missing; a file some other tool changed heals itself.
    """
    search.ensure_search_index(conn)
    for statement in _COVERING_LOG_INDEXES:
        if statement.startswith("CREATE INDEX "):
            conn.exec_driver_sql(
                statement.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
            )


def needs_repair(conn: Connection) -> bool:
    """Whether `repair` would write anything: read-only, so it may run before the start-up
    integrity check has passed (the window then skips the writing transaction entirely)."""
    names = {
        row[0]
        for row in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'index')"
        )
    }
    wanted = {search.FTS_TABLE}
    for statement in _COVERING_LOG_INDEXES:
        if statement.startswith("CREATE INDEX "):
            wanted.add(statement.split()[2])
    return not wanted <= names


def upgrade(conn: Connection, from_version: int) -> list[Step]:
    """Apply every step after `from_version` inside the caller's transaction; returns them."""
    applied = []
    for step in STEPS:
        if step.version > from_version:
            step.apply(conn)
            conn.exec_driver_sql(f"PRAGMA user_version={step.version}")
            applied.append(step)
    return applied
