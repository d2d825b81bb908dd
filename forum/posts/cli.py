"""`forum posts rerender`: refresh stored HTML after the text pipeline changes."""

import click
from flask.cli import with_appcontext

from forum.posts import services


@click.group("posts")
def posts_cli():
    """Maintain stored posts."""


@posts_cli.command("rerender")
@with_appcontext
def rerender():
    """Re-render every post, framing and description made by an older pipeline."""
    total = sum(services.stale_counts().values())
    if not total:
        click.echo("Everything is rendered by the current pipeline.")
        return
    with click.progressbar(length=total, label="Re-rendering") as bar:
        done = services.rerender(progress=bar.update)
    click.echo(f"Re-rendered {done} texts.")
