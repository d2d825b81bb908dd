"""Database engine settings that depend on the backend."""

import sqlite3

from flask import Flask
from sqlalchemy import event, update
from sqlalchemy.engine import Engine


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    """Turn on WAL and foreign keys for every SQLite connection."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def init_app(app: Flask) -> None:
    """Rewrite bare postgres URLs so SQLAlchemy uses psycopg 3."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + url[len(prefix) :]


def plain_update(model):
    """An UPDATE that runs as plain SQL, without scanning the session for objects to sync.

    Services use it for counters and re-renders; they refresh what they read afterwards.
    """
    return update(model).execution_options(synchronize_session=False)
