"""When what a topic's or a dialogue's feed shows last changed: the validators of the feeds and
the API, and how a conditional GET is answered from them."""

import math
from datetime import datetime, timedelta

from flask import request
from sqlalchemy import or_, select

from forum.clock import utcnow
from forum.database import plain_update
from forum.extensions import db


def mark_changed(*, dialogue_id: int, topic_id: int | None = None) -> None:
    """Record that a topic (and its dialogue), or a dialogue, changed: in the same transaction."""
    from forum.dialogues.models import Dialogue
    from forum.topics.models import Topic

    now = utcnow()
    if topic_id is not None:
        db.session.execute(plain_update(Topic).where(Topic.id == topic_id).values(changed_at=now))
    db.session.execute(
        plain_update(Dialogue).where(Dialogue.id == dialogue_id).values(changed_at=now)
    )


def mark_renamed(user_id: int, *, dialogue_id: int | None = None) -> None:
    """Record that every feed and page showing this person's name changed (they changed their
    name or organisation; or, given a dialogue, the name they go by there)."""
    from forum.conclusions.models import Conclusion, ConclusionRevision
    from forum.dialogues.models import Dialogue, Facilitator
    from forum.posts.models import Post
    from forum.summaries.models import Summary
    from forum.topics.models import Topic

    now = utcnow()
    named_in = or_(
        Topic.id.in_(select(Post.topic_id).where(Post.author_id == user_id)),
        Topic.id.in_(select(Summary.topic_id).where(Summary.author_id == user_id)),
        Topic.id.in_(select(Conclusion.topic_id).where(Conclusion.author_id == user_id)),
        Topic.id.in_(
            select(Conclusion.topic_id)
            .join(ConclusionRevision, ConclusionRevision.conclusion_id == Conclusion.id)
            .where(ConclusionRevision.editor_id == user_id)
        ),
        Topic.author_id == user_id,
        Topic.locked_by_id == user_id,
    )
    dialogues = or_(
        Dialogue.id.in_(select(Topic.dialogue_id).where(named_in)),
        Dialogue.id.in_(select(Summary.dialogue_id).where(Summary.author_id == user_id)),
        Dialogue.id.in_(select(Facilitator.dialogue_id).where(Facilitator.user_id == user_id)),
    )
    topics = named_in
    if dialogue_id is not None:
        topics = named_in & (Topic.dialogue_id == dialogue_id)
        dialogues = dialogues & (Dialogue.id == dialogue_id)
    db.session.execute(plain_update(Topic).where(topics).values(changed_at=now))
    db.session.execute(plain_update(Dialogue).where(dialogues).values(changed_at=now))


def mark_rerendered(model, ids: list[int]) -> None:
    """Record that the stored HTML of these rows (dialogues, topics, posts or summaries) was
    rendered anew by a newer text pipeline: the pages and feeds showing them changed."""
    from forum.dialogues.models import Dialogue
    from forum.posts.models import Post
    from forum.summaries.models import Summary
    from forum.topics.models import Topic

    topics = dialogues = None
    if model is Dialogue:
        dialogues = Dialogue.id.in_(ids)
    elif model is Topic:
        topics = Topic.id.in_(ids)
    elif model is Post:
        topics = Topic.id.in_(select(Post.topic_id).where(Post.id.in_(ids)))
    elif model is Summary:
        topics = Topic.id.in_(select(Summary.topic_id).where(Summary.id.in_(ids)))
        dialogues = Dialogue.id.in_(select(Summary.dialogue_id).where(Summary.id.in_(ids)))
    now = utcnow()
    if topics is not None:
        db.session.execute(plain_update(Topic).where(topics).values(changed_at=now))
        in_topics = Dialogue.id.in_(select(Topic.dialogue_id).where(topics))
        dialogues = in_topics if dialogues is None else or_(dialogues, in_topics)
    if dialogues is not None:
        db.session.execute(plain_update(Dialogue).where(dialogues).values(changed_at=now))


def http_time(moment: datetime) -> datetime:
    """A change time rounded up to the second, as HTTP dates carry no fractions."""
    return moment.replace(microsecond=0) + timedelta(seconds=math.ceil(moment.microsecond / 1e6))


def validators(key: str, changed: datetime | None) -> tuple[str, datetime]:
    """The ETag and Last-Modified of what `key` names, as it was at `changed`."""
    changed = changed or datetime(2000, 1, 1)
    return f"{key}-{int(changed.timestamp() * 1_000_000)}", http_time(changed)


def is_fresh(etag: str, modified: datetime) -> bool:
    """Whether the client already has this version (If-None-Match wins over If-Modified-Since).

    If-None-Match compares weakly (RFC 9110, 13.1.2): W/"x" names the same version as "x".
    """
    if request.if_none_match:
        return request.if_none_match.contains_weak(etag)
    since = request.if_modified_since
    return since is not None and since.replace(tzinfo=None) >= modified


# What a page shows that can change (forum.kept), read before the page is built. One Core
# statement on a connection of its own: a 304 opens no ORM session. The statements are built on
# first use (the models import this module).
_pages: dict[str, object] = {}


def _statements() -> dict:
    if _pages:
        return _pages
    from sqlalchemy import and_, bindparam, case, exists, func, literal

    from forum.dialogues.models import Dialogue, DialogueState
    from forum.notifications.models import Follow
    from forum.topics.models import ReadMarker, Topic

    topic, dialogue = Topic.__table__, Dialogue.__table__
    follow, marker = Follow.__table__, ReadMarker.__table__
    user = bindparam("user_id")
    topic_page = select(
        topic.c.slug,
        topic.c.changed_at,
        topic.c.slow_minutes,
        topic.c.slow_until,
        dialogue.c.changed_at,
        dialogue.c.state,
        dialogue.c.closes_at,
    ).select_from(topic.join(dialogue, dialogue.c.id == topic.c.dialogue_id))
    _pages["topic"] = topic_page.where(topic.c.id == bindparam("topic_id"))
    _pages["topic_reader"] = _pages["topic"].add_columns(
        select(marker.c.last_read_number)
        .where(marker.c.user_id == user, marker.c.topic_id == topic.c.id)
        .scalar_subquery(),
        exists().where(follow.c.user_id == user, follow.c.topic_id == topic.c.id),
    )
    dialogue_page = select(
        dialogue.c.id, dialogue.c.changed_at, dialogue.c.state, dialogue.c.closes_at
    ).where(dialogue.c.slug == bindparam("slug"))
    _pages["dialogue"] = dialogue_page
    markers = marker.join(topic, topic.c.id == marker.c.topic_id)
    mine = (marker.c.user_id == user, topic.c.dialogue_id == dialogue.c.id)
    _pages["dialogue_reader"] = dialogue_page.add_columns(
        select(func.count()).select_from(markers).where(*mine).scalar_subquery(),
        select(func.sum(marker.c.last_read_number)).select_from(markers).where(*mine)
        .scalar_subquery(),
        exists().where(follow.c.user_id == user, follow.c.dialogue_id == dialogue.c.id),
    )  # fmt: skip
    scheduled = and_(dialogue.c.state == DialogueState.open, dialogue.c.closes_at.is_not(None))
    now = bindparam("now")
    _pages["front"] = select(
        func.count(),
        func.max(dialogue.c.changed_at),
        func.sum(case((and_(scheduled, dialogue.c.closes_at <= now), 1), else_=literal(0))),
    ).select_from(dialogue)
    return _pages


def first_row(statement, params: dict):
    """The first row of a validator's statement, run on a pooled connection of its own: a
    request answered 304 then never opens an ORM session (opening and closing one cost more
    than the statement). Where the request has one already (it loaded a logged-in reader), on
    its connection."""
    if db.session.registry.has():
        return db.session.connection().execute(statement, params).first()
    with db.engine.connect() as connection:
        return connection.execute(statement, params).first()


def _first(name: str, **params):
    return first_row(_statements()[name], params)


def _closed(state, closes_at: datetime | None, now: datetime) -> bool:
    """Whether an open dialogue has passed its scheduled closing time (it reads closed)."""
    return state.value == "open" and closes_at is not None and closes_at <= now


def topic_page(*, topic_id: int, slug: str | None, user_id: int | None, **_) -> tuple | None:
    """What a topic's pages show that can change (None: no such topic at this address): its
    validator and its dialogue's, whether its slow mode and its dialogue's schedule still hold
    now, and for a logged-in reader how far they read it and whether they follow it."""
    if user_id is None:
        row = _first("topic", topic_id=topic_id)
    else:
        row = _first("topic_reader", topic_id=topic_id, user_id=user_id)
    if row is None or (slug is not None and row.slug != slug):
        return None
    now = utcnow()
    slow = bool(row.slow_minutes) and (row.slow_until is None or row.slow_until > now)
    return (*row[1:2], row[4], slow, _closed(row.state, row.closes_at, now), *row[7:])


def conclusion_page(*, topic_id: int, user_id: int | None, **_) -> tuple | None:
    """What a page about one of a topic's questions shows that can change: its topic's."""
    return topic_page(topic_id=topic_id, slug=None, user_id=user_id)


def dialogue_page(*, slug: str, user_id: int | None) -> tuple | None:
    """What a dialogue's pages show that can change (None: no such dialogue): its validator,
    whether its schedule still holds now, and for a logged-in reader how far they read its
    topics and whether they follow it."""
    if user_id is None:
        row = _first("dialogue", slug=slug)
    else:
        row = _first("dialogue_reader", slug=slug, user_id=user_id)
    if row is None:
        return None
    return (row.id, row[1], _closed(row.state, row.closes_at, utcnow()), *row[4:])


def front_page(*, user_id: int | None) -> tuple:
    """What the front page shows that can change: how many dialogues, their newest validator,
    and how many have passed their scheduled closing time."""
    return tuple(_first("front", now=utcnow()))
