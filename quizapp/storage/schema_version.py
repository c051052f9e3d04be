"""The schema version the deck list's early read (`deck_glance`) expects, apart from
`tables` so that it is known without importing SQLModel.

It must equal `tables.SCHEMA_VERSION` (a test checks): raise both together. Were they to
differ, the early read would find every collection "of another version" and paint nothing
before opening it; nothing else depends on this value."""

SCHEMA_VERSION = 11
