"""What the API shows: the pages' public content as plain data, read in a few constant queries.

Everyone reads the same thing, whoever they are: what an anonymous reader sees on the pages.
People appear only as forum.people shows them in their dialogue (a pseudonym, never an account,
in a pseudonymous dialogue); a hidden post is a placeholder that says nothing it said nor who
wrote it; a removed post is empty, as its page shows it. Texts are the stored cleaned HTML.
"""

from datetime import datetime
from urllib.parse import quote

from sqlalchemy import bindparam, case, func, literal, select
from sqlalchemy.orm import aliased

from forum import people
from forum.accounts.models import User
from forum.clock import iso, utcnow
from forum.conclusions.models import Conclusion
from forum.dialogues.models import Dialogue, DialogueState
from forum.extensions import db
from forum.moderation.rules import rule_name
from forum.moderation.services import ACTION_NAMES, log_page
from forum.posts.models import Post
from forum.summaries.models import Summary
from forum.topics.models import PromptQuestion, Topic

PREFIX = "/api/v1"
PAGE_SIZE = 50  # posts or log entries in a page, unless the client asks for another size
PAGE_MAX = 100


class Links:
    """The addresses objects carry: their pages (`url`) and their API resources, all absolute."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.api = root + PREFIX

    def dialogue(self, slug: str) -> str:
        return f"{self.root}/d/{slug}"

    def topic(self, topic_id: int, slug: str) -> str:
        return f"{self.root}/t/{topic_id}/{slug}"

    def post(self, post_id: int) -> str:
        return f"{self.root}/p/{post_id}"

    def profile(self, username: str | None) -> str | None:
        return f"{self.root}/u/{quote(username, safe='')}" if username else None


def _person(name: str, username: str | None, organisation: str | None, links: Links) -> dict:
    """A person as the dialogue shows them: a pseudonym has no profile and no organisation."""
    return {
        "name": str(name),
        "organisation": organisation or None,
        "profile_url": links.profile(username),
    }


def _named(row, prefix: str, links: Links) -> dict:
    """The person a people.Named row shows under prefix."""
    return _person(
        getattr(row, f"{prefix}_name"),
        getattr(row, f"{prefix}_username"),
        getattr(row, f"{prefix}_organisation", None),
        links,
    )


# Dialogues


def shown_changed_at(dialogue: Dialogue) -> datetime:
    """When what the API shows of a dialogue last changed: its validator, or the moment it
    closed on schedule (its state changes then without anyone acting)."""
    closed = dialogue.closes_at
    if dialogue.state is DialogueState.open and closed is not None and closed <= utcnow():
        return max(dialogue.changed_at, closed)
    return dialogue.changed_at


def dialogues_changed_at() -> tuple[int, datetime | None]:
    """How many dialogues there are and when the list last changed (one query)."""
    closed = case(
        (
            (Dialogue.state == DialogueState.open) & (Dialogue.closes_at <= utcnow()),
            Dialogue.closes_at,
        )
    )
    count, changed, closed = db.session.execute(
        select(func.count(Dialogue.id), func.max(Dialogue.changed_at), func.max(closed))
    ).one()
    return count, max(filter(None, (changed, closed)), default=None)


def _dialogue_card(dialogue: Dialogue, links: Links) -> dict:
    return {
        "slug": dialogue.slug,
        "title": dialogue.title,
        "url": links.dialogue(dialogue.slug),
        "api_url": f"{links.api}/dialogues/{dialogue.slug}",
        "state": dialogue.shown_state.value,
        "closes_at": iso(dialogue.closes_at),
        "pseudonymous": dialogue.pseudonymous,
        "created_at": iso(dialogue.created_at),
        "last_activity_at": iso(dialogue.last_activity_at),
        "topic_count": dialogue.topic_count,
        "post_count": dialogue.post_count,
    }


def dialogues(links: Links) -> dict:
    """Every dialogue, open ones first, then by last activity (as the front page lists them)."""
    order = case(
        (Dialogue.state == DialogueState.open, 0),
        (Dialogue.state == DialogueState.closed, 1),
        else_=2,
    )
    rows = db.session.scalars(
        select(Dialogue).order_by(order, Dialogue.last_activity_at.desc(), Dialogue.id)
    )
    return {"dialogues": [_dialogue_card(dialogue, links) for dialogue in rows]}


def _with_author(model, *criteria, dialogue: Dialogue) -> list:
    """Rows of a model written by someone (a summary, a conclusion), with how its author
    appears in the dialogue (people.Named, prefix 'author')."""
    query = (
        select(
            model,
            User.organisation.label("author_organisation"),
            *people.columns(User, literal(dialogue.id), "author"),
        )
        .join(User, User.id == model.author_id)
        .where(*criteria)
    )
    rows = db.session.execute(query).all()
    return people.named(rows, "author", pseudonymous=dialogue.pseudonymous)


def _written(row, thing, links: Links) -> dict:
    """A summary or conclusion: its cleaned HTML, the posts it cites, who wrote it, when."""
    return {
        "html": thing.html,
        "cited_post_ids": list(thing.cited_post_ids or []),
        "author": _named(row, "author", links),
        "created_at": iso(thing.created_at),
        "updated_at": iso(thing.updated_at),
        "edit_count": thing.edit_count,
    }


def _summary(rows, links: Links, history: str) -> dict | None:
    if not rows:
        return None
    summary = rows[0].Summary
    return _written(rows[0], summary, links) | {"history_url": history}


def dialogue(found: Dialogue, links: Links) -> dict:
    """A dialogue: its description, facilitators (by name, unless it is pseudonymous) and
    pinned summary."""
    facilitators = []
    if not found.pseudonymous:
        for user in found.facilitators:
            who = people.person(found, user)
            facilitators.append(_person(who.name, who.username, who.organisation, links))
    summary = _with_author(
        Summary, Summary.dialogue_id == found.id, Summary.is_pinned, dialogue=found
    )
    return _dialogue_card(found, links) | {
        "description_html": found.description_html,
        "licence": found.licence or None,
        "facilitators": facilitators,
        "summary": _summary(summary, links, f"{links.dialogue(found.slug)}/summary/history"),
        "topics_url": f"{links.api}/dialogues/{found.slug}/topics",
        "feed_url": f"{links.dialogue(found.slug)}/feed.rss",
    }


# Topics


def _topic_card(topic, links: Links) -> dict:
    return {
        "id": topic.id,
        "title": topic.title,
        "url": links.topic(topic.id, topic.slug),
        "api_url": f"{links.api}/topics/{topic.id}",
        "created_at": iso(topic.created_at),
        "last_activity_at": iso(topic.last_activity_at),
        "post_count": topic.post_count,
        "question_count": topic.question_count,
        "is_locked": topic.locked_at is not None,
    }


def topics(found: Dialogue, links: Links) -> dict:
    """The topics of a dialogue, in the order they were opened."""
    rows = db.session.execute(
        select(
            Topic.id,
            Topic.slug,
            Topic.title,
            Topic.created_at,
            Topic.last_activity_at,
            Topic.post_count,
            Topic.question_count,
            Topic.locked_at,
        )
        .where(Topic.dialogue_id == found.id)
        .order_by(Topic.id)
    )
    return {
        "dialogue": {"slug": found.slug, "url": links.dialogue(found.slug)},
        "topics": [_topic_card(row, links) for row in rows],
    }


_AUTHOR, _LOCKER = aliased(User), aliased(User)  # made once, not per request
_TOPIC_PEOPLE = (
    select(
        _AUTHOR.organisation.label("author_organisation"),
        *people.columns(_AUTHOR, Topic.dialogue_id, "author"),
        _LOCKER.organisation.label("locker_organisation"),
        *people.columns(_LOCKER, Topic.dialogue_id, "locker"),
    )
    .select_from(Topic)
    .join(_AUTHOR, _AUTHOR.id == Topic.author_id)
    .outerjoin(_LOCKER, _LOCKER.id == Topic.locked_by_id)
    .where(Topic.id == bindparam("topic_id"))
)
_TOPIC_HEAD = select(
    Topic.changed_at,
    select(PromptQuestion.id)
    .where(PromptQuestion.id == bindparam("question_id"), PromptQuestion.topic_id == Topic.id)
    .scalar_subquery()
    .label("question_id"),
).where(Topic.id == bindparam("topic_id"))


def topic_head(topic_id: int, question_id: int | None = None):
    """A topic's validator, and whether question_id is one of its questions (one query);
    None if there is no such topic."""
    return db.session.execute(
        _TOPIC_HEAD, {"topic_id": topic_id, "question_id": question_id}
    ).first()


def topic(found: Topic, links: Links) -> dict:
    """A topic: its framing, who opened it, its lock, its prompt questions each with its
    conclusion, and its pinned summary."""
    dialogue = found.dialogue
    names = people.Named(
        db.session.execute(_TOPIC_PEOPLE, {"topic_id": found.id}).one(),
        ("author", "locker"),
        pseudonymous=dialogue.pseudonymous,
    )
    conclusions = {
        row.Conclusion.question_id: _written(row, row.Conclusion, links)
        for row in _with_author(Conclusion, Conclusion.topic_id == found.id, dialogue=dialogue)
    }
    summary = _with_author(
        Summary, Summary.topic_id == found.id, Summary.is_pinned, dialogue=dialogue
    )
    url = links.topic(found.id, found.slug)
    lock = None
    if found.locked_at is not None:
        lock = {
            "locked_at": iso(found.locked_at),
            "by": _named(names, "locker", links),
            "reason": found.lock_reason,
        }
    return _topic_card(found, links) | {
        # Its slug, not its title: a topic's validator does not follow its dialogue's edits.
        "dialogue": {
            "slug": dialogue.slug,
            "url": links.dialogue(dialogue.slug),
            "api_url": f"{links.api}/dialogues/{dialogue.slug}",
        },
        "author": _named(names, "author", links),
        "framing_html": found.framing_html,
        "edited_at": iso(found.edited_at),
        "edit_count": found.edit_count,
        "lock": lock,
        "questions": [
            {
                "id": question.id,
                "number": question.number,
                "text": question.text,
                "answer_count": question.answer_count,
                "url": f"{url}?prompt={question.id}",
                "posts_url": f"{links.api}/topics/{found.id}/posts?question={question.id}",
                "conclusion": conclusions.get(question.id),
            }
            for question in found.questions
        ],
        "summary": _summary(summary, links, f"{links.root}/t/{found.id}/summary/history"),
        "posts_url": f"{links.api}/topics/{found.id}/posts",
        "feed_url": f"{links.root}/t/{found.id}/feed.rss",
    }


# Posts

_POSTS = (
    select(
        Post.id,
        Post.topic_id,
        Post.number,
        Post.parent_id,
        Post.depth,
        Post.subject,
        Post.prompt_id,
        Post.body_html,
        Post.content_note,
        Post.language,
        Post.created_at,
        Post.edited_at,
        Post.edit_count,
        Post.hidden_at,
        Post.hidden_reason,
        Post.removed_at,
        Dialogue.pseudonymous,
        User.organisation.label("author_organisation"),
        *people.columns(User, Topic.dialogue_id, "author"),
    )
    .join(User, User.id == Post.author_id)
    .join(Topic, Topic.id == Post.topic_id)
    .join(Dialogue, Dialogue.id == Topic.dialogue_id)
)  # built once: building it cost more than running it


def _post(row, links: Links) -> dict:
    """A post as an anonymous reader sees it on its topic's page."""
    if row.hidden_at is not None:
        # Where it was and why the moderators hid it; nothing it said, nor who said it.
        return {
            "id": row.id,
            "number": row.number,
            "url": links.post(row.id),
            "parent_id": row.parent_id,
            "depth": row.depth,
            "hidden": True,
            "hidden_reason": row.hidden_reason,
        }
    return {
        "id": row.id,
        "number": row.number,
        "url": links.post(row.id),
        "parent_id": row.parent_id,
        "depth": row.depth,
        "hidden": False,
        "removed": row.removed_at is not None,
        "author": _named(row, "author", links),
        "created_at": iso(row.created_at),
        "edited_at": iso(row.edited_at),
        "edit_count": row.edit_count,
        "question_id": row.prompt_id,
        "language": row.language,
        "subject": row.subject,
        "content_note": row.content_note,
        "body_html": row.body_html,
    }


def _shown(rows) -> list:
    return [
        people.Named(row, ("author",), pseudonymous=row.pseudonymous) for row in rows
    ]  # fmt: skip


def posts(topic_id: int, *, after: int, size: int, question_id: int | None, links: Links):
    """A page of a topic's posts in the order they came (after the post numbered `after`),
    and the number of the last one if more follow (one query)."""
    query = _POSTS.where(Post.topic_id == topic_id, Post.number > after)
    if question_id is not None:
        query = query.where(Post.prompt_id == question_id)
    rows = _shown(db.session.execute(query.order_by(Post.number).limit(size + 1)))
    more = len(rows) > size
    rows = rows[:size]
    return [_post(row, links) for row in rows], rows[-1].number if more else None


def post_head(post_id: int):
    """The validator of the topic a post is in (one query); None if there is no such post."""
    return db.session.execute(
        select(Topic.id, Topic.changed_at)
        .join(Post, Post.topic_id == Topic.id)
        .where(Post.id == post_id)
    ).first()


def post(post_id: int, links: Links) -> dict:
    """One post, as in its topic's list (one query)."""
    [row] = _shown(db.session.execute(_POSTS.where(Post.id == post_id)))
    return _post(row, links) | {
        "topic": {"id": row.topic_id, "api_url": f"{links.api}/topics/{row.topic_id}"}
    }


# The moderation log


def log(*, dialogue: Dialogue | None, before: int | None, size: int, links: Links):
    """A page of the public moderation log, newest first, as /moderation/log shows it (never
    who reported a post nor what they wrote); and the id of its last entry if more follow."""
    rows, more = log_page(dialogue=dialogue, page=1, per_page=size, before_id=before)
    entries = []
    for row in rows:
        entry = row.LogEntry
        shown = {
            "id": entry.id,
            "action": entry.action.value,
            "action_name": str(ACTION_NAMES[entry.action]),
            "created_at": iso(entry.created_at),
            "actor": _named(row, "actor", links),
            "rule": entry.rule or None,
            "rule_name": rule_name(entry.rule) or None,
            "reason": entry.reason,
            "url": f"{links.root}/moderation/log#e{entry.id}",
            "post": None,
            "topic": None,
            "dialogue": None,
        }
        if entry.post_id:
            shown["post"] = {
                "id": entry.post_id,
                "url": links.post(entry.post_id),
                "author": _named(row, "target", links),
            }
        if row.topic_title:
            shown["topic"] = {
                "id": entry.topic_id,
                "title": row.topic_title,
                "url": links.topic(entry.topic_id, row.topic_slug),
                "api_url": f"{links.api}/topics/{entry.topic_id}",
            }
        if row.dialogue_slug:
            shown["dialogue"] = {
                "slug": row.dialogue_slug,
                "title": row.dialogue_title,
                "url": links.dialogue(row.dialogue_slug),
                "api_url": f"{links.api}/dialogues/{row.dialogue_slug}",
            }
        entries.append(shown)
    return entries, rows[-1].LogEntry.id if more else None
