"""Opaque cursors for the API's lists: a signed note of where the last page ended.

A cursor names the listing it belongs to (a topic's posts, the moderation log) and the last
item given, signed with the forum's secret key: a client cannot forge or alter one, so a
cursor read back is a number the forum wrote, and a bad one is refused with a message.
"""

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

SALT = "forum.api.cursor"


class BadCursor(ValueError):
    """A cursor the API did not give, was altered, or belongs to another listing."""


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make(listing: str, after: int) -> str:
    """The cursor that continues `listing` after the item `after`."""
    return _serializer().dumps([listing, after])


def read(cursor: str, listing: str) -> int:
    """The item after which `listing` continues, from a cursor the API gave."""
    try:
        found = _serializer().loads(cursor)
    except (BadData, UnicodeError, ValueError) as exc:
        raise BadCursor("altered") from exc
    if not (
        isinstance(found, list)
        and len(found) == 2
        and isinstance(found[1], int)
        and not isinstance(found[1], bool)
    ):
        raise BadCursor("altered")
    if found[0] != listing:
        raise BadCursor("elsewhere")
    return found[1]
