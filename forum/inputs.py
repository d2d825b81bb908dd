"""What the forum takes from a request, made safe once for every view.

Ids in paths and query strings stay inside the 32-bit signed range of the id columns (larger
numbers are not ids of anything: 404, never a database overflow); NUL characters, which
PostgreSQL cannot store in text, are removed from every form and query value and refused in
paths; cookie values that no browser could have been given are dropped.
"""

from flask import Flask, abort, request
from flask.wrappers import Request
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items
from werkzeug.routing import IntegerConverter, UnicodeConverter

ID_MAX = 2**31 - 1  # the id columns are INTEGER: 32-bit signed on PostgreSQL


class IdConverter(IntegerConverter):
    """A database id in a path: 1 to ID_MAX, so anything else matches no route (404)."""

    def __init__(self, map, **options) -> None:
        super().__init__(map, min=1, max=ID_MAX, **options)


class TextConverter(UnicodeConverter):
    """One path segment without NUL (a slug, a username, a language code)."""

    def __init__(self, map, *args, **kwargs) -> None:
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", "[^/\x00]")


class CleanValues(ImmutableMultiDict):
    """Query and form values with every NUL removed, so no view hands one to the database."""

    def __init__(self, mapping=None) -> None:
        super().__init__(
            [
                (_without_nul(key), _without_nul(value) if isinstance(value, str) else value)
                for key, value in iter_multi_items(mapping or ())
            ]
        )


class BrowserCookies(ImmutableMultiDict):
    """Cookies as a browser sends what we set: printable ASCII values only, others dropped."""

    def __init__(self, mapping=None) -> None:
        super().__init__(
            [(key, value) for key, value in iter_multi_items(mapping or ()) if _cookie_safe(value)]
        )


def _without_nul(value: str) -> str:
    return value.replace("\x00", "")


def _cookie_safe(value: str) -> bool:
    return value.isascii() and value.isprintable()


class ForumRequest(Request):
    """The request every view reads: clean query and form values, browser-shaped cookies."""

    parameter_storage_class = CleanValues
    dict_storage_class = BrowserCookies


def whole_number(raw: str, high: int = ID_MAX) -> int | None:
    """The number a string of ASCII digits says, if it is from 1 to high; else None."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(high)):
        return None
    value = int(raw)
    return value if 1 <= value <= high else None


def int_arg(name: str, default: int | None = None, *, high: int = ID_MAX) -> int | None:
    """An integer query argument (a page, an id) from 1 to high; absent: default; else 404."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    value = whole_number(raw, high)
    if value is None:
        abort(404)
    return value


def init_app(app: Flask) -> None:
    """Read requests through ForumRequest and bound every id and string in the routes.

    Call before any blueprint is registered: rules take their converters when added.
    """
    app.request_class = ForumRequest
    app.url_map.converters.update(int=IdConverter, default=TextConverter, string=TextConverter)
