"""Every text that reaches a feed comes out as text, or as HTML inside the allowlist, never as
markup someone else wrote: the XSS corpus in every field, in every feed."""

from datetime import datetime, timedelta
from xml.etree import ElementTree

import feedparser
import html5lib
import pytest
from sqlalchemy import select, update

from forum import text
from forum.accounts.models import Role, User
from forum.clock import utcnow
from forum.dialogues.models import Dialogue
from forum.extensions import db
from forum.moderation.models import Action, LogEntry
from forum.posts.models import Post
from forum.summaries.models import Summary
from forum.topics.models import PromptQuestion, Topic
from tests.databases import same_on_every_database
from tests.test_text import payloads

PEOPLE = 20  # payloads per round go into the names of this many people, their posts, ...
DC = "{http://purl.org/dc/elements/1.1/}"
DOCUMENT = {"html", "head", "body"}  # what html5lib wraps every fragment in
# Where a feed carries plain text (escaped once as XML, never to be read as HTML).
PLAIN = ("title", "category", f"{DC}creator")


def outside_allowlist(html: str) -> list[str]:
    """Every element, attribute or link in html that forum/text.py's allowlist does not allow."""
    tree = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        tag = element.tag.split("}")[-1]
        if tag not in text.ALLOWED_TAGS | DOCUMENT:
            found.append(f"<{tag}>")
        for name, value in element.attrib.items():
            name = name.split("}")[-1].lower()
            if name not in text.ALLOWED_ATTRIBUTES.get(tag, ()) or name.startswith("on"):
                found.append(f"{tag}[{name}]")
            if name == "href":
                scheme = "".join(value.split()).lower().partition(":")
                if scheme[1] and scheme[0] not in text.ALLOWED_PROTOCOLS:
                    found.append(f"{tag}[href={value[:40]}]")
    return found


def check_feed(data: bytes, round_payloads: list[str]) -> dict[str, set[str]]:
    """Check one feed; return the plain texts it carries, by element name."""
    assert not feedparser.parse(data).bozo
    channel = ElementTree.fromstring(data).find("channel")  # noqa: S314 (the forum's own output)
    plain: dict[str, set[str]] = {name: set() for name in PLAIN}
    for element in [channel.find("title"), channel.find("description")]:
        assert len(element) == 0, ElementTree.tostring(element)
    items = channel.findall("item")
    assert items
    for item in items:
        for name in PLAIN:
            for element in item.findall(name):
                # Escaped once: the payload is the element's text, no element of its own.
                assert len(element) == 0, ElementTree.tostring(element)
                plain[name].add(element.text or "")
        description = item.findtext("description") or ""
        assert outside_allowlist(description) == [], (description, round_payloads)
    return plain


@pytest.fixture
def stage(app, dialogue_setup, create_user, create_post):
    """People, posts answering a question, a pinned summary of the topic and of the
    dialogue, a lock, and log entries: each a place where a payload is written."""
    topic = dialogue_setup.topic
    for n in range(PEOPLE):
        create_user(f"person{n}")
    for n in range(PEOPLE):
        create_post(topic, by=f"person{n}", body="x", prompt_id=topic.question_ids[n % 3])
    with app.app_context():
        author = db.session.scalar(select(User.id).where(User.username == "lucia"))
        db.session.add_all(
            [
                Summary(topic_id=topic.id, source="", html="", author_id=author),
                Summary(dialogue_id=dialogue_setup.dialogue.id, source="", html="",
                        author_id=author),
            ]
        )  # fmt: skip
        db.session.execute(
            update(Topic)
            .where(Topic.id == topic.id)
            .values(locked_at=utcnow(), locked_by_id=author, lock_reason="")
        )
        db.session.commit()
    return dialogue_setup


def write_round(stage, number: int, batch: list[str]) -> None:
    """Put the batch's payloads in every field a feed shows (as stored, cleaned if HTML)."""
    topic_id, dialogue_id = stage.topic.id, stage.dialogue.id
    people = db.session.scalars(
        select(User).where(User.username.like("person%")).order_by(User.id)
    ).all()
    posts = db.session.scalars(
        select(Post).where(Post.topic_id == topic_id).order_by(Post.id)
    ).all()
    for person, post, payload in zip(people, posts, batch, strict=False):
        person.display_name = payload[:80] or "x"
        post.subject = payload[:200]
        post.content_note = payload[:200]
        post.body_html = text.render(payload)
        db.session.add(
            LogEntry(action=Action.hide, actor_id=person.id, reason=payload[:1000],
                     dialogue_id=dialogue_id, topic_id=topic_id, post_id=post.id,
                     target_user_id=post.author_id)
        )  # fmt: skip
    first = batch[0]
    changed = datetime(2030, 1, 1) + timedelta(seconds=number)
    topic = db.session.get(Topic, topic_id)
    topic.title = first[:200] or "x"
    topic.framing_html = text.render(batch[-1])
    topic.lock_reason = batch[1 % len(batch)][:1000]
    topic.changed_at = changed
    topic.locked_by_id = people[0].id
    for question, payload in zip(
        db.session.scalars(select(PromptQuestion).where(PromptQuestion.topic_id == topic_id)),
        batch[2:],
        strict=False,
    ):
        question.text = payload[:500] or "x"
    for summary in db.session.scalars(select(Summary)):
        summary.html = text.render(batch[-2 % len(batch)])
        summary.author_id = people[-1].id
    dialogue = db.session.get(Dialogue, dialogue_id)
    dialogue.title = batch[3 % len(batch)][:200] or "x"
    dialogue.changed_at = changed
    db.session.commit()


@same_on_every_database
def test_no_payload_reaches_a_feed_as_markup(app, client, stage, create_user):
    create_user("grace", role=Role.moderator)
    corpus = payloads()
    feeds = [
        f"/t/{stage.topic.id}/feed.rss",
        f"/d/{stage.dialogue.slug}/feed.rss",
        "/feed.rss",
        "/moderation/log/feed.rss",
    ]
    for number, start in enumerate(range(0, len(corpus), PEOPLE)):
        batch = corpus[start : start + PEOPLE]
        with app.app_context():
            write_round(stage, number, batch)
        names: set[str] = set()
        titles: set[str] = set()
        for address in feeds:
            response = client.get(address)
            assert response.status_code == 200, address
            plain = check_feed(response.data, batch)
            names |= plain[f"{DC}creator"]
            titles |= plain["title"]
        # The names and subjects arrive exactly as written: escaped once, not mangled.
        assert {p[:80] for p in batch if p} <= names
        assert {p[:200] for p in batch if p} <= titles


def test_a_lock_shows_the_name_and_reason_as_text(app, client, dialogue_setup):
    topic = dialogue_setup.topic
    with app.app_context():
        nadia = db.session.scalar(select(User).where(User.username == "nadia"))
        nadia.display_name = "<img src=x onerror=alert(1)>"
        db.session.execute(
            update(Topic)
            .where(Topic.id == topic.id)
            .values(locked_at=utcnow(), locked_by_id=nadia.id, lock_reason="<b>done</b>")
        )
        db.session.commit()
    data = client.get(f"/t/{topic.id}/feed.rss").data
    item = ElementTree.fromstring(data).find("channel/item")  # noqa: S314
    description = item.findtext("description")
    assert description == "Locked by &lt;img src=x onerror=alert(1)&gt;: &lt;b&gt;done&lt;/b&gt;"
    assert outside_allowlist(description) == []
