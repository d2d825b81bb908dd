"""The one clock: naive UTC datetimes, stored the same way on SQLite and PostgreSQL."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Return the current time in UTC without tzinfo."""
    return datetime.now(UTC).replace(tzinfo=None)
