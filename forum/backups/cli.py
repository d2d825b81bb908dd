"""`forum backup` and `forum restore`: copy the database out, and put a SQLite copy back."""

import shlex
from pathlib import Path

import click
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import URL

from forum.backups import services
from forum.clock import utcnow
from forum.extensions import db


def _sqlite_file(url: URL) -> Path:
    if url.database in (None, "", ":memory:"):
        raise click.ClickException("The database lives in memory: there is no file to copy.")
    return Path(url.database)


def _migrations() -> ScriptDirectory:
    return ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())


@click.command("backup")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write (default: a dated file in the instance folder's backups/).",
)
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@with_appcontext
def backup_command(output: Path | None, force: bool) -> None:
    """Write a consistent copy of the database; safe while the forum serves."""
    url = db.engine.url
    sqlite = url.get_backend_name() == "sqlite"
    output = output or services.default_output(
        current_app.instance_path, utcnow(), suffix=".sqlite" if sqlite else ".dump"
    )
    try:
        if sqlite:
            copy = services.backup_sqlite(_sqlite_file(url), output, overwrite=force)
            click.echo(f"Wrote {copy.describe()}")
            click.echo(
                f"To restore it: stop the forum, then: forum restore {shlex.quote(str(output))}"
            )
            return
        services.backup_postgresql(url, output, overwrite=force)
    except services.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    size = output.stat().st_size / 1_000_000
    click.echo(f"Wrote {output} ({size:.1f} MB) with pg_dump.")
    click.echo("To restore it: stop the forum, then:")
    click.echo("  " + shlex.join(services.pg_restore_command(url, output)))


@click.command("restore")
@click.argument("backup", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the database without asking.")
@with_appcontext
def restore_command(backup: Path, yes: bool) -> None:
    """Replace the SQLite database by a backup made with `forum backup` (stop the forum first)."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        raise click.ClickException(
            "On PostgreSQL, restore with pg_restore: stop the forum, then run\n  "
            + shlex.join(services.pg_restore_command(url, backup))
        )
    database = _sqlite_file(url)
    try:
        copy = services.inspect_copy(backup)
    except services.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    migrations = _migrations()
    try:
        migrations.get_revision(copy.revision)
    except CommandError:
        raise click.ClickException(
            f"{backup} has schema {copy.revision}, which this version of the forum does not "
            "know: restore it with the version that made it."
        ) from None
    click.echo(f"Backup: {copy.describe()}")
    if not yes:
        click.confirm(f"Replace the database {database} by this backup?", abort=True)
    # This command's own connections would count as a running forum and block the swap.
    db.engine.dispose()
    try:
        kept = services.restore_sqlite(backup, database, utcnow())
    except services.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {database} from {backup}.")
    if kept:
        click.echo(f"The database it replaced is kept as {kept}.")
    if copy.revision not in migrations.get_heads():
        click.echo("Its schema is older than this version's: run `forum db upgrade` next.")
