-- Schema 10: schema 9 with the deck list's counts read from indexes alone (step 10).
-- Frozen: a test builds old collections from it.
CREATE TABLE deck (
	uuid VARCHAR(36) NOT NULL,
	name VARCHAR NOT NULL,
	section VARCHAR NOT NULL,
	description VARCHAR NOT NULL,
	source VARCHAR NOT NULL,
	source_digest VARCHAR NOT NULL,
	position INTEGER NOT NULL,
	id INTEGER NOT NULL, options VARCHAR NOT NULL DEFAULT '{}',
	PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_deck_uuid ON deck (uuid);
CREATE TABLE card (
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
);
CREATE UNIQUE INDEX ix_card_uuid ON card (uuid);
CREATE TABLE card_state (
	repetitions INTEGER NOT NULL,
	easiness_hundredths INTEGER NOT NULL,
	interval INTEGER NOT NULL,
	due_day INTEGER,
	drill_day INTEGER,
	lapses INTEGER NOT NULL,
	reviews INTEGER NOT NULL,
	suspended BOOLEAN NOT NULL,
	card_id INTEGER NOT NULL, uuid VARCHAR(36), deck_id INTEGER, retired BOOLEAN NOT NULL DEFAULT 0, position INTEGER NOT NULL DEFAULT 0, stability FLOAT, difficulty FLOAT, last_review_day INTEGER,
	PRIMARY KEY (card_id),
	FOREIGN KEY(card_id) REFERENCES card (id) ON DELETE CASCADE
);
CREATE INDEX ix_card_state_due_day ON card_state (due_day);
CREATE TABLE review_log (
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
	id INTEGER NOT NULL, predicted_recall FLOAT, origin VARCHAR, feed VARCHAR,
	PRIMARY KEY (id),
	FOREIGN KEY(card_id) REFERENCES card (id)
);
CREATE TABLE setting (
	"key" VARCHAR NOT NULL,
	value VARCHAR NOT NULL,
	PRIMARY KEY ("key")
);
CREATE VIRTUAL TABLE card_fts USING fts5(prompt, code, explanation, tags, content='card', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER card_fts_insert AFTER INSERT ON card BEGIN INSERT INTO card_fts(rowid, prompt, code, explanation, tags) VALUES (new.id, new.prompt, new.code, new.explanation, new.tags); END;
CREATE TRIGGER card_fts_delete AFTER DELETE ON card BEGIN INSERT INTO card_fts(card_fts, rowid, prompt, code, explanation, tags) VALUES ('delete', old.id, old.prompt, old.code, old.explanation, old.tags); END;
CREATE TRIGGER card_fts_update AFTER UPDATE OF prompt, code, explanation, tags ON card BEGIN INSERT INTO card_fts(card_fts, rowid, prompt, code, explanation, tags) VALUES ('delete', old.id, old.prompt, old.code, old.explanation, old.tags); INSERT INTO card_fts(rowid, prompt, code, explanation, tags) VALUES (new.id, new.prompt, new.code, new.explanation, new.tags); END;
CREATE TRIGGER card_state_mirror_on_update AFTER UPDATE OF uuid, deck_id, retired, position ON card BEGIN UPDATE card_state SET uuid = new.uuid, deck_id = new.deck_id, retired = new.retired, position = new.position WHERE card_id = new.id; END;
CREATE TABLE deck_size (deck_id INTEGER NOT NULL PRIMARY KEY REFERENCES deck (id) ON DELETE CASCADE, cards INTEGER NOT NULL DEFAULT 0);
CREATE TRIGGER deck_size_on_new_deck AFTER INSERT ON deck BEGIN INSERT OR IGNORE INTO deck_size (deck_id, cards) VALUES (new.id, 0); END;
CREATE TRIGGER deck_size_on_insert AFTER INSERT ON card WHEN NOT new.retired BEGIN UPDATE deck_size SET cards = cards + 1 WHERE deck_id = new.deck_id; END;
CREATE TRIGGER deck_size_on_delete AFTER DELETE ON card WHEN NOT old.retired BEGIN UPDATE deck_size SET cards = cards - 1 WHERE deck_id = old.deck_id; END;
CREATE TRIGGER deck_size_on_update AFTER UPDATE OF deck_id, retired ON card BEGIN UPDATE deck_size SET cards = cards - 1 WHERE deck_id = old.deck_id AND NOT old.retired; UPDATE deck_size SET cards = cards + 1 WHERE deck_id = new.deck_id AND NOT new.retired; END;
CREATE TABLE question_set (
	id INTEGER NOT NULL,
	uuid VARCHAR(36) NOT NULL,
	name VARCHAR NOT NULL,
	description VARCHAR NOT NULL,
	created_at DATETIME NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (name)
);
CREATE UNIQUE INDEX ix_question_set_uuid ON question_set (uuid);
CREATE TABLE question_set_card (
	set_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	card_id INTEGER NOT NULL,
	PRIMARY KEY (set_id, position),
	FOREIGN KEY(set_id) REFERENCES question_set (id) ON DELETE CASCADE,
	FOREIGN KEY(card_id) REFERENCES card (id)
);
CREATE INDEX ix_question_set_card_card_id ON question_set_card (card_id);
CREATE TABLE interview (
	id INTEGER NOT NULL,
	uuid VARCHAR(36) NOT NULL,
	title VARCHAR NOT NULL,
	config VARCHAR NOT NULL,
	started_at DATETIME NOT NULL,
	finished_at DATETIME,
	fed_at DATETIME,
	PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_interview_uuid ON interview (uuid);
CREATE TABLE interview_answer (
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
);
CREATE INDEX ix_interview_answer_card_id ON interview_answer (card_id);
CREATE INDEX ix_interview_answer_interview_id ON interview_answer (interview_id);
CREATE TRIGGER card_state_for_new_card AFTER INSERT ON card BEGIN INSERT OR IGNORE INTO card_state (card_id, repetitions, easiness_hundredths, interval, lapses, reviews, suspended, uuid, deck_id, retired, position) VALUES (new.id, 0, 250, 0, 0, 0, 0, new.uuid, new.deck_id, new.retired, new.position); END;
CREATE TRIGGER card_state_mirror_on_insert AFTER INSERT ON card_state WHEN new.uuid IS NULL BEGIN UPDATE card_state SET uuid = (SELECT uuid FROM card WHERE card.id = card_id), deck_id = (SELECT deck_id FROM card WHERE card.id = card_id), retired = (SELECT retired FROM card WHERE card.id = card_id), position = (SELECT position FROM card WHERE card.id = card_id) WHERE card_id = new.card_id; END;
CREATE INDEX ix_review_log_card ON review_log (card_id, kind, quality);
CREATE INDEX ix_review_log_day ON review_log (study_day, card_id, kind, quality);
CREATE INDEX ix_card_kind ON card (kind);
CREATE UNIQUE INDEX ix_review_log_origin ON review_log (origin);
CREATE TABLE sync_clock (
	key VARCHAR NOT NULL,
	hlc VARCHAR NOT NULL,
	deleted BOOLEAN NOT NULL,
	PRIMARY KEY (key)
);
CREATE TABLE sync_card_history (
	id INTEGER NOT NULL,
	card_uuid VARCHAR(36) NOT NULL,
	hlc VARCHAR NOT NULL,
	content VARCHAR NOT NULL,
	PRIMARY KEY (id)
);
CREATE INDEX ix_sync_card_history_card_uuid ON sync_card_history (card_uuid);
CREATE TABLE sync_held_review (
	origin VARCHAR NOT NULL,
	card_uuid VARCHAR(36) NOT NULL,
	review VARCHAR NOT NULL,
	PRIMARY KEY (origin)
);
CREATE INDEX ix_sync_held_review_card_uuid ON sync_held_review (card_uuid);
CREATE INDEX ix_card_deck_position ON card (deck_id, position);
CREATE INDEX ix_review_log_feed ON review_log (feed) WHERE feed IS NOT NULL;
CREATE TABLE sync_parked_review (
	origin VARCHAR NOT NULL,
	feed VARCHAR NOT NULL,
	card_uuid VARCHAR(36) NOT NULL,
	review VARCHAR NOT NULL,
	PRIMARY KEY (origin)
);
CREATE INDEX ix_sync_parked_review_feed ON sync_parked_review (feed);
CREATE INDEX ix_card_state_study ON card_state (deck_id, retired, suspended, due_day, position, drill_day);
CREATE INDEX ix_card_state_drill_day ON card_state (drill_day, deck_id, suspended, retired) WHERE drill_day IS NOT NULL;
