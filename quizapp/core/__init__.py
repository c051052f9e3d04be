"""Pure domain logic: no Qt, no database. Everything here is testable with plain pytest."""
