"""The one clock: naive UTC datetimes, stored the same way on SQLite and PostgreSQL, and the one
way they are shown: in the reader's language and time zone, one format per kind."""

from datetime import UTC, datetime
from functools import lru_cache

from babel.dates import get_datetime_format
from flask_babel import format_date, format_time, get_locale, get_timezone

DATE = "date"
DATETIME = "datetime"


def utcnow() -> datetime:
    """Return the current time in UTC without tzinfo."""
    return datetime.now(UTC).replace(tzinfo=None)


@lru_cache(maxsize=8192)
def _formatted(moment: datetime, kind: str, locale: str, zone: str) -> str:
    if kind == DATE:
        return format_date(moment, "long")
    if kind != DATETIME:
        raise ValueError(f"not a kind of time: {kind}")
    # The language's medium date and its short time (no seconds), joined as it joins them.
    joined = get_datetime_format("medium", locale=locale).replace("'", "")
    return joined.replace("{1}", format_date(moment, "medium")).replace(
        "{0}", format_time(moment, "short")
    )


def shown(moment: datetime, kind: str = DATETIME) -> str:
    """A stored UTC time as the reader reads it: a date, or a date and time, in their zone.

    Babel spends a tenth of a millisecond on every time, and a dialogue page shows dozens; the
    result depends only on the time, the kind, the language and the zone, its key.
    """
    return _formatted(moment, kind, str(get_locale()), str(get_timezone()))


def zone_name() -> str:
    """The reader's time zone as pages name it: 'UTC', or 'Europe/Paris (UTC+01:00)' today."""
    zone = get_timezone()
    if str(zone) == "UTC":
        return "UTC"
    offset = datetime.now(UTC).astimezone(zone).strftime("%z")
    return f"{zone} (UTC{offset[:3]}:{offset[3:]})"
