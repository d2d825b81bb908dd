"""`forum export dialogue SLUG --format html|md|json|csv --output FILE`: a dialogue's report."""

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from forum.dialogues.services import find_dialogue
from forum.exports import gather, writers
from forum.topics.services import find_topic

WRITERS = {
    "html": writers.html,
    "md": writers.markdown,
    "json": writers.as_json,
    "csv": writers.tables_zip,  # every table, and the data card, in one zip
}


@click.group("export")
def export_cli():
    """Export a dialogue's report, as the facilitators download it."""


@export_cli.command("dialogue")
@click.argument("slug")
@click.option("--format", "kind", type=click.Choice(sorted(WRITERS)), default="html",
              show_default=True, help="csv: a zip of CSV tables and the data card.")  # fmt: skip
@click.option("--topic", "topic_id", type=int, help="Only this topic of the dialogue (its id).")
@click.option("--output", type=click.Path(dir_okay=False, writable=True, allow_dash=True),
              default="-", help="The file to write (default: standard output).")  # fmt: skip
@with_appcontext
def export_dialogue(slug: str, kind: str, topic_id: int | None, output: str):
    """Write the report of the dialogue SLUG; hidden posts only as placeholders, people as the
    dialogue shows them (pseudonyms in a pseudonymous dialogue)."""
    dialogue = find_dialogue(slug)
    if dialogue is None:
        raise click.ClickException(f"There is no dialogue {slug!r}.")
    topic = None
    if topic_id is not None:
        topic = find_topic(topic_id)
        if topic is None or topic.dialogue_id != dialogue.id:
            raise click.ClickException(f"The dialogue {slug!r} has no topic {topic_id}.")
    base = current_app.config.get("BASE_URL") or "http://localhost"
    with current_app.test_request_context(base_url=base):
        report = gather.gather(dialogue, topic)
        # Posts are read once for the page and the Markdown, twice for JSON and the CSV tables.
        passes = 1 if kind in ("html", "md") else 2
        total = (report.posts + report.hidden) * passes
        handle = sys.stdout.buffer if output == "-" else open(output, "wb")  # noqa: SIM115
        try:
            with click.progressbar(length=total, label="Exporting", file=sys.stderr) as bar:
                for chunk in WRITERS[kind](report, done=bar.update):
                    handle.write(chunk if isinstance(chunk, bytes) else chunk.encode("utf-8"))
        finally:
            if handle is not sys.stdout.buffer:
                handle.close()
    if output != "-":
        click.echo(f"Wrote {output}.", err=True)
