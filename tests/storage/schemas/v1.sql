-- Schema 1 as quizapp 0.1 created it. Frozen: a test builds old collections from it.
CREATE TABLE deck (
  uuid VARCHAR(36) NOT NULL,
  name VARCHAR NOT NULL,
  section VARCHAR NOT NULL,
  description VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  source_digest VARCHAR NOT NULL,
  position INTEGER NOT NULL,
  id INTEGER NOT NULL,
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
CREATE INDEX ix_card_deck_id ON card (deck_id);
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
  card_id INTEGER NOT NULL,
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
  id INTEGER NOT NULL,
  PRIMARY KEY (id),
  FOREIGN KEY(card_id) REFERENCES card (id)
);
CREATE INDEX ix_review_log_card_id ON review_log (card_id);
CREATE INDEX ix_review_log_study_day ON review_log (study_day);
CREATE TABLE setting (
  "key" VARCHAR NOT NULL,
  value VARCHAR NOT NULL,
  PRIMARY KEY ("key")
);
