"""`forum backup` and `forum restore`: back up, wipe, restore, and the forum is the same."""

import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, make_url, select

from forum import create_app
from forum.backups.services import pg_restore_command
from forum.extensions import db
from tests.conftest import app_config, empty_database, migrated_database
from tests.databases import POSTGRES_URL, fresh_database

on_sqlite = pytest.mark.skipif(bool(POSTGRES_URL), reason="SQLite's backup and restore")
PAGES = ["/", "/d/men-as-allies", "/d/backups", "/moderation/log", "/feed.rss", "/t/1/feed.rss"]
TOKEN = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+')


@pytest.fixture
def database_url(tmp_path):
    """A database of this test's own: a restore replaces it, the run's shared one stays."""
    with migrated_database(tmp_path) as url:
        yield url


@pytest.fixture
def forum(app, create_dialogue, create_topic, create_post):
    """The demo forum, and a dialogue of replies written by the builders."""
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    dialogue = create_dialogue("backups", title="Backups", facilitators=["facilitator"])
    topic = create_topic(dialogue, by="facilitator", title="Keeping what was said")
    first = create_post(topic, by="amina", body="Une copie par jour, **hors du serveur**.")
    create_post(topic, by="sofia", body="Y probar la restauración.", parent_id=first.id)
    return topic


def snapshot(app) -> tuple[dict[str, str], dict[str, int]]:
    """What a reader sees (pages and feeds, CSRF tokens aside) and every table's row count."""
    client = app.test_client()
    pages = {}
    for url in [*PAGES, "/t/1", "/t/2", "/t/3", "/t/4"]:
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        pages[url] = TOKEN.sub(r"\1", response.text)
    with app.app_context():
        counts = {
            table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }
    close_connections(app)
    return pages, counts


def close_connections(app) -> None:
    """Close every connection the app holds, as a stopped server would."""
    with app.app_context():
        db.engine.dispose()


def backup(app, *args: str):
    return app.test_cli_runner().invoke(args=["backup", *args])


def restore(app, *args: str, input: str | None = None):
    return app.test_cli_runner().invoke(args=["restore", *args], input=input)


def database_file(database_url: str) -> Path:
    return Path(make_url(database_url).database)


@on_sqlite
@pytest.mark.parametrize("wipe", ["rows deleted", "file deleted"])
def test_sqlite_backup_wipe_restore_gives_the_same_forum(app, forum, database_url, tmp_path, wipe):
    before = snapshot(app)
    assert "Keeping what was said" in before[0]["/d/backups"]
    copy = tmp_path / "copy.sqlite"
    result = backup(app, "--output", str(copy))
    assert result.exit_code == 0, result.output
    assert f"Wrote {copy}" in result.output and "posts 70" in result.output

    if wipe == "rows deleted":
        with app.app_context():
            empty_database()
        assert "Keeping what was said" not in app.test_client().get("/").text
        close_connections(app)
    else:
        close_connections(app)
        database_file(database_url).unlink()

    result = restore(app, "--yes", str(copy))
    assert result.exit_code == 0, result.output
    assert f"Restored {database_file(database_url)}" in result.output
    assert ("kept as" in result.output) == (wipe == "rows deleted")
    assert snapshot(create_app(app_config(database_url))) == before


@pytest.mark.skipif(
    not POSTGRES_URL, reason="PostgreSQL's pg_dump: run with FORUM_TEST_DATABASE_URL"
)
@pytest.mark.skipif(
    not (shutil.which("pg_dump") and shutil.which("pg_restore")),
    reason="pg_dump and pg_restore are not on PATH (Debian: apt-get install postgresql-client)",
)
def test_postgresql_backup_restored_into_a_fresh_database_gives_the_same_forum(
    app, forum, database_url, tmp_path
):
    before = snapshot(app)
    assert "Keeping what was said" in before[0]["/d/backups"]
    dump = tmp_path / "forum.dump"
    result = backup(app, "--output", str(dump))
    assert result.exit_code == 0, result.output
    assert f"Wrote {dump}" in result.output and "pg_restore --clean --if-exists" in result.output

    with fresh_database(tmp_path) as other:
        empty = create_app(app_config(other))
        with empty.app_context():
            assert inspect(db.engine).get_table_names() == []
        close_connections(empty)
        # The command the README documents, and `forum backup` printed.
        done = subprocess.run(
            pg_restore_command(make_url(other), dump), capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert snapshot(create_app(app_config(other))) == before

    refused = restore(app, "--yes", str(dump))
    assert refused.exit_code != 0 and "pg_restore --clean --if-exists" in refused.output


@on_sqlite
def test_backup_writes_a_dated_private_file_and_never_overwrites_unasked(app, forum, tmp_path):
    result = backup(app)
    assert result.exit_code == 0, result.output
    (written,) = (Path(app.instance_path) / "backups").glob("forum-*.sqlite")
    assert re.fullmatch(r"forum-\d{8}-\d{6}\.sqlite", written.name)
    assert written.stat().st_mode & 0o777 == 0o600

    copy = tmp_path / "copy.sqlite"
    copy.write_text("an older backup")
    refused = backup(app, "--output", str(copy))
    assert refused.exit_code != 0 and "exists" in refused.output
    assert copy.read_text() == "an older backup"
    assert backup(app, "--output", str(copy), "--force").exit_code == 0
    assert sqlite3.connect(copy).execute("SELECT count(*) FROM post").fetchone() == (70,)


@on_sqlite
def test_restore_takes_only_a_forum_backup(app, forum, tmp_path):
    before = snapshot(app)
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database")
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE note (body TEXT)")
    for path, reason in [
        (tmp_path / "missing.sqlite", "does not exist"),
        (junk, "not an SQLite database"),
        (other, "not a forum's"),
    ]:
        result = restore(app, "--yes", str(path))
        assert result.exit_code != 0 and reason in result.output
    assert snapshot(app) == before


@on_sqlite
def test_restore_refuses_while_the_forum_serves_and_asks_first(
    app, forum, create_post, database_url, tmp_path
):
    copy = tmp_path / "copy.sqlite"
    assert backup(app, "--output", str(copy)).exit_code == 0
    create_post(forum, by="babar", body="Written after the backup.")
    before = snapshot(app)

    server = create_app(app_config(database_url))
    assert server.test_client().get("/").status_code == 200  # its pool keeps the file open
    refused = restore(app, "--yes", str(copy))
    assert refused.exit_code != 0 and "is in use: stop the forum" in refused.output
    close_connections(server)
    assert snapshot(app) == before

    declined = restore(app, str(copy), input="n\n")
    assert declined.exit_code != 0 and "Replace the database" in declined.output
    assert snapshot(app) == before

    accepted = restore(app, str(copy), input="y\n")
    assert accepted.exit_code == 0, accepted.output
    pages, counts = snapshot(app)
    assert "Written after the backup." in before[0]["/t/4"]
    assert "Written after the backup." not in pages["/t/4"] and counts["post"] == 70


@on_sqlite
def test_a_backup_holds_no_login_so_a_restore_revives_no_ended_session(
    app, forum, create_user, database_url, tmp_path
):
    create_user("zara")
    phone = app.test_client()
    assert phone.login("zara", remember="y").status_code == 302
    assert phone.get("/profile").status_code == 200
    copy = tmp_path / "copy.sqlite"
    assert backup(app, "--output", str(copy)).exit_code == 0
    assert copy.stat().st_mode & 0o777 == 0o600
    with sqlite3.connect(copy) as connection:
        assert connection.execute("SELECT count(*) FROM user_session").fetchone() == (0,)
    close_connections(app)
    assert restore(app, "--yes", str(copy)).exit_code == 0
    restored = create_app(app_config(database_url))
    phone.application = restored
    assert phone.get("/profile").status_code == 302  # to the login page: log in again
