"""`forum dialogue ...`: create dialogues and assign facilitators from the command line."""

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from forum.accounts import services as accounts
from forum.dialogues import services
from forum.dialogues.models import Dialogue, DialogueState
from forum.extensions import db

STATES = click.Choice([state.value for state in DialogueState])


def _dialogue(slug: str) -> Dialogue:
    dialogue = services.find_dialogue(slug)
    if dialogue is None:
        raise click.ClickException(f"No dialogue has the address {slug!r}.")
    return dialogue


def _people(usernames) -> list:
    people = []
    for username in usernames:
        person = accounts.find_by_username(username)
        if person is None:
            raise click.ClickException(f"No user is called {username!r}.")
        people.append(person)
    return people


@click.group("dialogue")
def dialogue_cli():
    """Create dialogues, list them, assign and remove facilitators."""


@dialogue_cli.command("create")
@click.option("--slug", required=True, help="The permanent address, e.g. men-as-allies.")
@click.option("--title", required=True)
@click.option(
    "--description-file",
    type=click.File(encoding="utf-8"),
    help="A Markdown file describing the dialogue ('-' reads standard input).",
)
@click.option("--state", type=STATES, default=DialogueState.open.value, show_default=True)
@click.option("--allow-participant-topics", is_flag=True, help="Let participants open topics.")
@click.option(
    "--pseudonymous", is_flag=True, help="Everyone appears under a pseudonym of the dialogue."
)
@click.option("--facilitator", "facilitators", multiple=True, help="A username; repeatable.")
@with_appcontext
def create(
    slug, title, description_file, state, allow_participant_topics, pseudonymous, facilitators
):
    """Create a dialogue and assign its facilitators."""
    people = _people(facilitators)
    try:
        dialogue = services.create_dialogue(
            slug=slug,
            title=title,
            description=description_file.read() if description_file else "",
            state=DialogueState(state),
            allow_participant_topics=allow_participant_topics,
            pseudonymous=pseudonymous,
            by=None,
        )
    except services.DialogueError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    for person in people:
        services.assign_facilitator(dialogue, person, by=None)
    db.session.commit()
    click.echo(f"Created /d/{dialogue.slug} ({dialogue.state.value}).")
    if people:
        click.echo("Facilitators: " + ", ".join(p.username for p in people))


@dialogue_cli.command("facilitate")
@click.argument("slug")
@click.argument("usernames", nargs=-1, required=True)
@click.option("--remove", is_flag=True, help="End their facilitation instead.")
@with_appcontext
def facilitate(slug, usernames, remove):
    """Assign people to facilitate a dialogue (or, with --remove, end it)."""
    dialogue = _dialogue(slug)
    for person in _people(usernames):
        if remove:
            services.remove_facilitator(dialogue, person, by=None)
        else:
            services.assign_facilitator(dialogue, person, by=None)
    db.session.commit()
    names = ", ".join(p.username for p in dialogue.facilitators) or "nobody"
    click.echo(f"/d/{dialogue.slug} is facilitated by: {names}")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


@dialogue_cli.command("list")
@with_appcontext
def list_dialogues():
    """List dialogues with their state (as readers see it) and counts."""
    for dialogue in db.session.scalars(select(Dialogue).order_by(Dialogue.slug)):
        click.echo(
            f"{dialogue.slug:<40} {dialogue.shown_state.value:<9} "
            f"{_count(dialogue.topic_count, 'topic'):>12} {_count(dialogue.post_count, 'post'):>13}"
        )
