"""The search of the database the forum runs on: PostgreSQL's or SQLite's."""

from types import ModuleType

from forum.extensions import db


def current() -> ModuleType:
    """The module that indexes and searches on this database (forum.search.postgres or .sqlite)."""
    if db.engine.dialect.name == "postgresql":
        from forum.search import postgres

        return postgres
    from forum.search import sqlite

    return sqlite
