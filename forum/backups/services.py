"""Consistent copies of the forum's database, and putting a SQLite copy back in place."""

import contextlib
import os
import shutil
import sqlite3
import stat
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import URL

# The rows a person would count to see that a copy is their forum, by table.
COUNTED = {
    "user": "people",
    "dialogue": "dialogues",
    "topic": "topics",
    "post": "posts",
    "summary": "summaries",
    "report": "reports",
    "log_entry": "log entries",
}


class BackupError(Exception):
    """A backup or restore refused, with the reason in words for the person running it."""


@dataclass
class Copy:
    """What a database copy holds: its schema revision and how many rows of each kind."""

    path: Path
    revision: str
    counts: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        """One line for the person running the command."""
        size = self.path.stat().st_size
        rows = ", ".join(f"{COUNTED[table]} {count}" for table, count in self.counts.items())
        return f"{self.path} ({size / 1_000_000:.1f} MB, schema {self.revision}): {rows}"


def default_output(instance_path: str, now: datetime, *, suffix: str) -> Path:
    """A dated file in the instance folder's backups/, e.g. backups/forum-20261129-184100.sqlite."""
    return Path(instance_path) / "backups" / f"forum-{now:%Y%m%d-%H%M%S}{suffix}"


def _open(path: Path, mode: str) -> sqlite3.Connection:
    # A URI with a mode never creates a missing file, unlike sqlite3.connect(path).
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True, timeout=5)


def inspect_copy(path: Path) -> Copy:
    """Check that a file is a whole SQLite copy of a forum and say what it holds."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    try:
        connection = _open(path, "ro")
        try:
            check = connection.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"{path} is damaged: {check}")
            tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" not in tables:
                raise BackupError(f"{path} is an SQLite database but not a forum's.")
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            counts = {
                # The table names are COUNTED's, never read from the file.
                table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
                for table in COUNTED
                if table in tables
            }
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not an SQLite database ({exc}).") from exc
    if revision is None:
        raise BackupError(f"{path} has no schema revision: it is not a forum's database.")
    return Copy(path=path, revision=revision[0], counts=counts)


# Logins are not kept in a backup: a restore must not bring back sessions ended since.
NOT_KEPT = "user_session"


def _copy_database(source: sqlite3.Connection, target: Path) -> None:
    """Copy a whole database into a new file with SQLite's backup API, as one snapshot.

    The copy holds password hashes and email addresses: it is readable by its owner only from
    the moment it exists. It holds no logins (NOT_KEPT).
    """
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    destination = sqlite3.connect(target)
    try:
        # One step (pages=-1) reads the source in one read transaction: in WAL mode writers go
        # on meanwhile, and the copy is the database as it was when the step began.
        source.backup(destination)
        with destination:
            tables = destination.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if (NOT_KEPT,) in tables.fetchall():
                destination.execute(f'DELETE FROM "{NOT_KEPT}"')  # noqa: S608 (a constant)
        # One self-contained file: no -wal beside it to lose when it is copied elsewhere.
        destination.execute("PRAGMA journal_mode=DELETE")
    finally:
        destination.close()


def _publish(temporary: Path, output: Path, *, overwrite: bool) -> None:
    """Give a finished copy its name, so a half-written file never carries it."""
    # A copy holds password hashes and email addresses: only its owner may read it.
    temporary.chmod(0o600)
    if overwrite:
        os.replace(temporary, output)
        return
    try:
        os.link(temporary, output)
    except FileExistsError:
        raise BackupError(f"{output} exists: choose another file or pass --force.") from None
    finally:
        temporary.unlink(missing_ok=True)


def _temporary(beside: Path, what: str) -> Path:
    return beside.with_name(f".{beside.name}.{what}-{os.getpid()}")


def backup_sqlite(database: Path, output: Path, *, overwrite: bool = False) -> Copy:
    """Write a consistent copy of a live SQLite database to output, safe while the forum serves."""
    if not database.is_file():
        raise BackupError(f"The database {database} does not exist.")
    if output.resolve() == database.resolve():
        raise BackupError(f"{output} is the database itself: write the backup elsewhere.")
    if output.exists() and not overwrite:
        raise BackupError(f"{output} exists: choose another file or pass --force.")
    output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = _temporary(output, "partial")
    try:
        source = _open(database, "rw")
        try:
            _copy_database(source, temporary)
        finally:
            source.close()
        inspect_copy(temporary)
        _publish(temporary, output, overwrite=overwrite)
    finally:
        temporary.unlink(missing_ok=True)
    return inspect_copy(output)


def _take_over(database: Path) -> sqlite3.Connection:
    """Hold the database alone, or refuse: nobody may read or write it while it is replaced."""
    in_use = BackupError(
        f"The database {database} is in use: stop the forum (every server and `forum` "
        "command on it) and run the restore again."
    )
    connection = sqlite3.connect(database, timeout=1, isolation_level=None)
    try:
        # Leaving WAL mode needs every other connection gone, a running server's included; it
        # also folds the -wal file into the database, so no old -wal is left to replay later.
        connection.execute("PRAGMA journal_mode=DELETE")
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
    except sqlite3.OperationalError:
        connection.close()
        raise in_use from None
    if mode != "delete" or _sidecars(database):
        connection.close()
        raise in_use
    return connection


def _sidecars(database: Path) -> list[Path]:
    names = (database.name + suffix for suffix in ("-wal", "-shm", "-journal"))
    return [path for path in (database.with_name(name) for name in names) if path.exists()]


def _same_owner(path: Path, like: Path) -> None:
    """Give path the owner and mode of like, so the forum's own user can still write it."""
    status = like.stat()
    path.chmod(stat.S_IMODE(status.st_mode))
    # Only root may give a file away; anyone else already owns what they restore.
    with contextlib.suppress(PermissionError):
        os.chown(path, status.st_uid, status.st_gid)


def restore_sqlite(backup: Path, database: Path, now: datetime) -> Path | None:
    """Replace the SQLite database by a backup, in one rename; return where the old one is kept.

    The forum must be stopped: a running server keeps the database open, and the restore
    refuses rather than swap the file under it.
    """
    if backup.resolve() == database.resolve():
        raise BackupError(f"{backup} is the database itself, not a backup of it.")
    inspect_copy(backup)
    database.parent.mkdir(parents=True, exist_ok=True)
    temporary = _temporary(database, "restoring")
    try:
        source = _open(backup, "ro")
        try:
            _copy_database(source, temporary)
        finally:
            source.close()
        inspect_copy(temporary)
        if not database.exists():
            if _sidecars(database):
                stray = ", ".join(str(path) for path in _sidecars(database))
                raise BackupError(
                    f"{stray} belong to a database that is gone: if no forum process is "
                    "running, delete them and run the restore again."
                )
            os.replace(temporary, database)
            return None
        _same_owner(temporary, database)
        kept = database.with_name(f"{database.name}.before-restore-{now:%Y%m%d-%H%M%S}")
        connection = _take_over(database)
        try:
            os.link(database, kept)
            os.replace(temporary, database)
        finally:
            connection.close()
        return kept
    finally:
        temporary.unlink(missing_ok=True)


def libpq_address(url: URL) -> str:
    """The database URL as libpq (pg_dump, pg_restore, psql) reads it, without the password."""
    return URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    ).render_as_string()


def pg_dump_command(url: URL, output: Path) -> list[str]:
    """The pg_dump command that writes a PostgreSQL backup in pg_restore's custom format."""
    return [
        "pg_dump",
        "--format=custom",
        f"--exclude-table-data={NOT_KEPT}",
        "--file",
        str(output),
        "--dbname",
        libpq_address(url),
    ]


def pg_restore_command(url: URL, backup: Path) -> list[str]:
    """The documented pg_restore command: the whole backup in one transaction, or nothing."""
    return [
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--dbname",
        libpq_address(url),
        str(backup),
    ]


def backup_postgresql(url: URL, output: Path, *, overwrite: bool = False) -> None:
    """Write a PostgreSQL backup with pg_dump (custom format), safe while the forum serves."""
    if output.exists() and not overwrite:
        raise BackupError(f"{output} exists: choose another file or pass --force.")
    if shutil.which("pg_dump") is None:
        raise BackupError(
            "pg_dump is not on PATH: install PostgreSQL's client tools of the server's major "
            "version (Debian: apt-get install postgresql-client), then run forum backup again."
        )
    output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = _temporary(output, "partial")
    environment = dict(os.environ)
    if url.password:
        # In the environment, not on the command line, where any local user could read it.
        environment["PGPASSWORD"] = str(url.password)
    try:
        done = subprocess.run(  # noqa: S603 (a list of our own arguments, no shell)
            pg_dump_command(url, temporary), env=environment, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        _publish(temporary, output, overwrite=overwrite)
    finally:
        temporary.unlink(missing_ok=True)
