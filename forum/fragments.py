"""Pieces of pages rendered once and kept while nothing they show changes.

Rendering the fifty posts of a topic page, or the thirty topics of a dialogue page, is most of
what those pages cost. Each piece is a macro whose output depends only on its arguments (plain
values: the row read from the database, every column it shows among them) and on the reader's
language and time zone. Those are its key, whole: when anything a piece shows changes, so does
its key, and nothing ever needs forgetting. Each worker keeps the FRAGMENTS pieces it used last.
"""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import lru_cache
from threading import Lock

from flask import Flask, current_app, request
from flask_babel import get_locale, get_timezone
from markupsafe import Markup

FRAGMENTS = 8192


def init_app(app: Flask) -> None:
    """Give the app its own store of rendered pieces."""

    @lru_cache(maxsize=app.config.get("FRAGMENTS", FRAGMENTS))
    def rendered(template: str, macro: str, args: tuple, where: tuple) -> Markup:
        return getattr(app.jinja_env.get_template(template).module, macro)(*args)

    app.extensions["fragments"] = rendered


def renderer(template: str, macro: str):
    """A function of the macro's arguments that renders it, or takes it from the store.

    Get one per page: it reads the reader's language and zone once. While templates reload
    (debug), nothing is kept, so that a developer sees every change to a macro.
    """
    if current_app.jinja_env.auto_reload:
        return getattr(current_app.jinja_env.get_template(template).module, macro)
    rendered = current_app.extensions["fragments"]
    where = (str(get_locale()), str(get_timezone()), request.script_root)
    return lambda *args: rendered(template, macro, args, where)


class Kept:
    """A bounded store of values under keys that name everything the values depend on.

    For what a macro does not render (whole feeds, whole pages): get(key, make) returns the
    value kept under key, or makes, keeps and returns it; find and keep do each half. The least
    recently used go first, beyond `size` values or, given a budget, beyond `budget` bytes
    (counted as len(value)). Like the rendered pieces, nothing is kept while templates reload.
    """

    def __init__(self, size: int, *, budget: int | None = None) -> None:
        self.size = size
        self.budget = budget
        self.weight = 0
        self._items: OrderedDict = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable, make: Callable[[], str]) -> str:
        value = self.find(key)
        if value is None:
            value = make()
            self.keep(key, value)
        return value

    def find(self, key: Hashable):
        """The value kept under key (now the most recently used), or None."""
        if current_app.jinja_env.auto_reload:
            return None
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def keep(self, key: Hashable, value) -> None:
        """Keep value under key, letting the least recently used go beyond the bounds."""
        if current_app.jinja_env.auto_reload:
            return
        weight = len(value) if self.budget is not None else 0
        if self.budget is not None and weight > self.budget:
            return
        with self._lock:
            if key in self._items:
                self.weight -= len(self._items.pop(key)) if self.budget is not None else 0
            self._items[key] = value
            self.weight += weight
            while len(self._items) > self.size or (
                self.budget is not None and self.weight > self.budget
            ):
                _, gone = self._items.popitem(last=False)
                self.weight -= len(gone) if self.budget is not None else 0
