"""Fresh databases for tests: a SQLite file, or a new PostgreSQL database dropped afterwards."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

POSTGRES_URL = os.environ.get("FORUM_TEST_DATABASE_URL", "")


@contextmanager
def fresh_database(folder: Path) -> Iterator[str]:
    """Yield the URL of a new, empty database; a PostgreSQL one is dropped afterwards."""
    if not POSTGRES_URL:
        yield f"sqlite:///{folder}/forum-{uuid.uuid4().hex[:8]}.sqlite"
        return
    server = make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
    name = f"forum_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
