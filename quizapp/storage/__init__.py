"""The only package that talks to SQLite (through SQLModel). Repositories never commit."""
