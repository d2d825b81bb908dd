"""Fresh databases for tests: a SQLite file, or a new PostgreSQL database dropped afterwards."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

POSTGRES_URL = os.environ.get("FORUM_TEST_DATABASE_URL", "")

# For a test of what pages and feeds make of text (escaping, sanitising), which the database
# does not change: the run on SQLite has it; the run on PostgreSQL (CI's second) spends its
# time on what the database does (a payload searched for goes through ts_headline there, so the
# corpus test of posts and search keeps a part of the corpus on PostgreSQL).
same_on_every_database = pytest.mark.skipif(
    bool(POSTGRES_URL), reason="what pages make of text does not depend on the database"
)


@contextmanager
def fresh_database(
    folder: Path, *, server_url: str = POSTGRES_URL, prefix: str = "forum_test"
) -> Iterator[str]:
    """Yield the URL of a new, empty database: a SQLite file in folder, or with a PostgreSQL
    server_url a new database on that server, dropped afterwards."""
    if not server_url:
        yield f"sqlite:///{folder}/forum-{uuid.uuid4().hex[:8]}.sqlite"
        return
    server = make_url(server_url).set(drivername="postgresql+psycopg")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        # A test database need not survive a crash of the server: its commits need not wait
        # for the disk.
        connection.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
