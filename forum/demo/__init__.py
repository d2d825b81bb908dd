"""`forum demo`: load demonstration content into an empty forum."""

import re
import secrets
from datetime import timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import inspect, select

from forum import people as people_module
from forum.accounts import services
from forum.accounts.models import Role, User
from forum.clock import utcnow
from forum.conclusions import services as conclusions
from forum.demo import content
from forum.demo.voices import load_voices
from forum.dialogues import services as dialogues
from forum.extensions import db
from forum.moderation import services as moderation
from forum.moderation.models import LogEntry
from forum.posts import services as posts
from forum.posts.models import Post, PostRevision
from forum.summaries import services as summaries
from forum.topics import services as topics

PEOPLE = [
    # username, display name, organisation, country, role
    ("admin", "Nadia Haddad", "Dialogue Forum", "LB", Role.admin),
    ("moderator", "Grace Mutesi", "Women Peacemakers Network", "RW", Role.moderator),
    ("facilitator", "Lucía Pérez", "Red de Mujeres Mediadoras", "CO", Role.participant),
    ("amina", "Amina Diallo", "Femmes pour la Paix", "ML", Role.participant),
    ("babar", "Babar Khan", "Men for Gender Justice", "PK", Role.participant),
    ("jean", "Jean-Baptiste Nkurunziza", "", "BI", Role.participant),
    ("sofia", "Sofía Morales", "Colectiva Mujeres y Paz", "GT", Role.participant),
    ("david", "David Okello", "Uganda Men's Network", "UG", Role.participant),
]

# The language each person writes in (what search stems their posts as); others write English.
WRITES_IN = {"amina": "fr", "jean": "fr", "sofia": "es"}


def language_of(item: dict) -> str:
    """The language of a demo post: its own, else its author's."""
    return item.get("language") or WRITES_IN.get(item["author"], "en")


MARKDOWN_BLOCK = re.compile(r"^\s*([-*>#|]|\d+\.|```)")


def unwrap(source: str) -> str:
    """Join hard-wrapped lines into one line per paragraph or list item, as a person types."""
    blocks = []
    for block in source.strip().split("\n\n"):
        lines: list[str] = []
        for line in block.splitlines():
            if lines and not MARKDOWN_BLOCK.match(line):
                lines[-1] += " " + line.strip()
            else:
                lines.append(line.rstrip())
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def cite_keys(source: str, written: dict) -> str:
    """Replace the content's {p:KEY} placeholders with citations of the posts written."""
    return re.sub(r"\{p:(\w+)\}", lambda m: f"#p{written[m.group(1)].id}", source)


def load_dialogue(people: dict[str, User]) -> None:
    """Load the demonstration dialogue: its topics, prompt questions and threaded replies."""
    dialogue = dialogues.create_dialogue(
        slug=content.DIALOGUE["slug"],
        title=content.DIALOGUE["title"],
        description=unwrap(content.DIALOGUE["description"]),
        by=people["admin"],
    )
    dialogues.assign_facilitator(dialogue, people["facilitator"], by=people["admin"])
    start = utcnow() - timedelta(days=6)
    for index, spec in enumerate(content.TOPICS):
        opened = start + timedelta(days=2 * index)
        topic = topics.open_topic(
            dialogue,
            title=spec["title"],
            framing=unwrap(spec["framing"]),
            questions=spec["questions"],
            by=people[spec["author"]],
        )
        topic.created_at = topic.last_activity_at = opened
        written = {}
        for item in spec["posts"]:
            body = unwrap(item["body"])
            if item.get("quote"):
                quoted = written[item["quote"]]
                name = people_module.name_in(quoted, quoted.author)
                body = f"> **{name} wrote:**\n>\n> {item['quote_text']}\n\n{body}"
            question = item.get("prompt")
            post = posts.reply(
                topic,
                by=people[item["author"]],
                subject=item.get("subject", ""),
                body=body,
                prompt_id=topic.questions[question - 1].id if question else None,
                parent_id=written[item["parent"]].id if item.get("parent") else None,
                content_note=item.get("content_note", ""),
                language=language_of(item),
            )
            post.created_at = topic.last_activity_at = opened + timedelta(minutes=item["minutes"])
            written[item["key"]] = post
        dialogue.last_activity_at = topic.last_activity_at
        for item in spec["posts"]:
            if item.get("edit"):
                at = opened + timedelta(minutes=item["edit"]["minutes"])
                add_words(written[item["key"]], unwrap(item["edit"]["addition"]), at=at)
        # Summaries and conclusions are written the day after the last post, unless dated.
        written_at = topic.last_activity_at + timedelta(hours=18)
        if spec.get("summary"):
            summary = summaries.save_summary(
                topic,
                source=cite_keys(unwrap(spec["summary"]), written),
                pinned=True,
                by=people[spec["author"]],
            )
            if spec.get("summary_minutes"):
                written_at = opened + timedelta(minutes=spec["summary_minutes"])
            summary.created_at = summary.updated_at = written_at
            pin = db.session.scalars(select(LogEntry).order_by(LogEntry.id.desc())).first()
            pin.created_at = summary.created_at
        for number, versions in spec.get("conclusions", {}).items():
            versions = [versions] if isinstance(versions, str) else versions
            for source in versions:
                conclusion = conclusions.save_conclusion(
                    topic.questions[number - 1],
                    source=cite_keys(unwrap(source), written),
                    by=people[spec["author"]],
                )
            conclusion.created_at = conclusion.updated_at = written_at
            for revision in conclusions.revisions(conclusion):
                revision.created_at = written_at
        if spec.get("lock_reason"):
            entry = moderation.lock_topic(topic, by=people["moderator"], reason=spec["lock_reason"])
            topic.locked_at = entry.created_at = topic.last_activity_at + timedelta(hours=20)
    db.session.flush()


def add_words(post: Post, words: str, *, at) -> None:
    """Add words to a post, as its author edits it at that time."""
    posts.edit_post(
        post,
        by=post.author,
        body=f"{post.body_source}\n\n{words}",
        subject=post.subject,
        prompt_id=post.prompt_id,
    )
    post.edited_at = at
    for revision in db.session.scalars(select(PostRevision).where(PostRevision.post_id == post.id)):
        revision.created_at = at


def load_pseudonymous(people: dict[str, User]) -> None:
    """Load the pseudonymous demonstration dialogue: one topic, a few posts, a chosen name."""
    spec = content.PSEUDONYMOUS
    dialogue = dialogues.create_dialogue(
        slug=spec["slug"],
        title=spec["title"],
        description=unwrap(spec["description"]),
        pseudonymous=True,
        by=people["admin"],
    )
    dialogues.assign_facilitator(dialogue, people["facilitator"], by=people["admin"])
    for username, name in spec["chosen"].items():
        people_module.choose(dialogue, people[username], name)
    topic_spec = spec["topic"]
    topic = topics.open_topic(
        dialogue,
        title=topic_spec["title"],
        framing=unwrap(topic_spec["framing"]),
        questions=topic_spec["questions"],
        by=people[topic_spec["author"]],
    )
    written = {}
    for item in topic_spec["posts"]:
        body = unwrap(item["body"])
        if item.get("quote"):
            body = posts.quotation(written[item["quote"]]) + body
        question = item.get("prompt")
        written[item["key"]] = posts.reply(
            topic,
            by=people[item["author"]],
            body=body,
            prompt_id=topic.questions[question - 1].id if question else None,
            parent_id=written[item["parent"]].id if item.get("parent") else None,
            language=language_of(item),
        )
    db.session.flush()


@click.command("demo")
@with_appcontext
def demo_command():
    """Load demo users (one of every role), a facilitated dialogue and a pseudonymous one."""
    if not inspect(db.engine).has_table(User.__tablename__):
        raise click.ClickException("The database has no tables yet: run `forum db upgrade` first.")
    if db.session.scalar(select(User.id).limit(1)) is not None:
        click.echo("The forum already has content: the demo was not loaded.")
        click.echo("Reset a password with `forum user password USERNAME`.")
        return
    passwords, people = {}, {}
    for username, name, organisation, country, role in PEOPLE:
        passwords[username] = secrets.token_urlsafe(12)
        people[username] = services.create_user(
            username=username,
            email=f"{username}@example.org",
            password=passwords[username],
            display_name=name,
            role=role,
        )
        services.update_profile(people[username], organisation=organisation, country=country)
    load_dialogue(people)
    load_voices(people)
    load_pseudonymous(people)
    db.session.commit()
    click.echo("Demo content loaded. Log in at /login with:")
    for username, *_, role in PEOPLE:
        note = " (facilitates the demo dialogue)" if username == "facilitator" else ""
        click.echo(f"  {username:<12} {passwords[username]:<20} ({role.value}){note}")
    click.echo("These passwords are shown once; `forum user password USERNAME` sets a new one.")
