"""The one clock: naive UTC datetimes, stored the same way on SQLite and PostgreSQL, and the one
way they are shown and typed: in the reader's language and time zone, one format per kind."""

from datetime import UTC, datetime
from functools import lru_cache

from babel.dates import get_datetime_format
from flask_babel import (
    LazyString,
    format_date,
    format_time,
    get_locale,
    get_timezone,
    gettext,
    to_user_timezone,
    to_utc,
)
from wtforms import DateTimeLocalField

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


def iso(moment: datetime | None) -> str | None:
    """A stored UTC time as machines read it (the API): '2026-11-23T10:40:09Z'."""
    return None if moment is None else moment.isoformat(timespec="seconds") + "Z"


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


def in_zone_note(note: str) -> LazyString:
    """A field's description that names, when shown, the zone its times are typed in."""
    return LazyString(lambda: gettext(note, zone=zone_name()))


class ZonedDateTimeField(DateTimeLocalField):
    """A date and time typed in the person's zone, as every time is shown to them; kept in UTC."""

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(valuelist)
        if self.data is not None:
            self.data = to_utc(self.data)

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(self.raw_data)
        if self.data is None:
            return ""
        # HTML's normalised form of a local date and time, which every browser shows.
        return to_user_timezone(self.data).strftime("%Y-%m-%dT%H:%M")
