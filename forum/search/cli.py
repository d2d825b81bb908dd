"""`forum search reindex`: rebuild the search index."""

import click
from flask.cli import with_appcontext

from forum.search import indexing


@click.group("search")
def search_cli():
    """Maintain the search index."""


@search_cli.command("reindex")
@with_appcontext
def reindex():
    """Index every post, pinned summary and topic again (after an upgrade, or to repair it)."""
    with click.progressbar(length=indexing.total(), label="Indexing") as bar:
        done = indexing.reindex(progress=bar.update)
    click.echo(f"Indexed {done} posts, topics and summaries.")
