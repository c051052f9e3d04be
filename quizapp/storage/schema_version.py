"""The schema version, apart from `tables` so that what reads before SQLAlchemy is imported
(`deck_glance`) can compare it without importing SQLModel."""

SCHEMA_VERSION = 8
"""`PRAGMA user_version` of a database this code writes; a larger one is from a newer quizapp."""
