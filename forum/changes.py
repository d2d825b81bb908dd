"""When what a topic's or a dialogue's feed shows last changed: the validators of the feeds and
the API, and how a conditional GET is answered from them."""

import math
import re
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


class Validator:
    """A validator's statement, plain SQL with :named parameters, run on a pooled connection.

    Pages and feeds read one on every request, and it is all a 304 costs: through SQLAlchemy's
    Connection it cost three times the statement, so it runs on the driver's cursor. Values come
    back as the driver gives them (SQLite's times as text: `moment` reads them), the same
    whichever way it runs. Where the request has an ORM session already (it loaded a logged-in
    reader) it runs on that session's connection; where someone listens to the engine's
    statements (the tests' count, a tracer), through SQLAlchemy, so that they see it.
    """

    def __init__(self, sql: str) -> None:
        self.names = re.findall(r":(\w+)", sql)
        self.sql = sql
        self._prepared: dict[str, str] = {}

    def first(self, **params) -> tuple | None:
        engine = db.engine
        paramstyle = engine.dialect.paramstyle
        sql = self._prepared.get(paramstyle)
        if sql is None:
            mark = "?" if paramstyle == "qmark" else r"%(\1)s"
            sql = self._prepared[paramstyle] = re.sub(r":(\w+)", mark, self.sql)
        args = tuple(params[name] for name in self.names) if paramstyle == "qmark" else params
        if db.session.registry.has():
            return db.session.connection().exec_driver_sql(sql, args).first()
        if engine.dispatch.before_cursor_execute:
            with engine.connect() as connection:
                return connection.exec_driver_sql(sql, args).first()
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(sql, args)
            row = cursor.fetchone()
            cursor.close()
        finally:
            connection.close()
        return row


def moment(value) -> datetime | None:
    """A time as a validator reads it: the driver's datetime, or SQLite's stored text."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def as_stored(value: datetime):
    """A time as a validator's parameter: as the database stores it (SQLite: text)."""
    if db.engine.dialect.name == "sqlite":
        return value.isoformat(" ", "microseconds")
    return value


# What a page shows that can change (forum.kept), read before the page is built.
_TOPIC = """SELECT topic.slug, topic.changed_at, topic.slow_minutes, topic.slow_until,
    dialogue.changed_at, dialogue.state, dialogue.closes_at{reader}
    FROM topic JOIN dialogue ON dialogue.id = topic.dialogue_id WHERE topic.id = :topic_id"""
TOPIC_PAGE = Validator(_TOPIC.format(reader=""))
TOPIC_PAGE_READER = Validator(
    _TOPIC.format(
        reader=""",
    (SELECT last_read_number FROM read_marker
     WHERE read_marker.user_id = :user_id AND read_marker.topic_id = topic.id),
    EXISTS (SELECT 1 FROM follow WHERE follow.user_id = :user_id AND follow.topic_id = topic.id)"""
    )
)
_DIALOGUE = """SELECT dialogue.id, dialogue.changed_at, dialogue.state, dialogue.closes_at{reader}
    FROM dialogue WHERE dialogue.slug = :slug"""
DIALOGUE_PAGE = Validator(_DIALOGUE.format(reader=""))
DIALOGUE_PAGE_READER = Validator(
    _DIALOGUE.format(
        reader=""",
    (SELECT count(*) FROM read_marker JOIN topic ON topic.id = read_marker.topic_id
     WHERE read_marker.user_id = :user_id AND topic.dialogue_id = dialogue.id),
    (SELECT sum(read_marker.last_read_number) FROM read_marker
     JOIN topic ON topic.id = read_marker.topic_id
     WHERE read_marker.user_id = :user_id AND topic.dialogue_id = dialogue.id),
    EXISTS (SELECT 1 FROM follow
            WHERE follow.user_id = :user_id AND follow.dialogue_id = dialogue.id)"""
    )
)
_EVERY_DIALOGUE = """SELECT count(*), max(changed_at),
    sum(CASE WHEN state = 'open' AND closes_at <= :now THEN 1 ELSE 0 END){more} FROM dialogue"""
FRONT_PAGE = Validator(_EVERY_DIALOGUE.format(more=""))
# Search: what can be found moves its dialogue's changed_at; an author filter names a person,
# who may register or leave.
SEARCH_PAGE = Validator(
    _EVERY_DIALOGUE.format(
        more=""",
    (SELECT count(*) FROM "user" WHERE deleted_at IS NULL)"""
    )
)


def _closed(state: str, closes_at, now: datetime) -> bool:
    """Whether an open dialogue has passed its scheduled closing time (it reads closed)."""
    return state == "open" and closes_at is not None and moment(closes_at) <= now


def topic_page(*, topic_id: int, slug: str | None, user_id: int | None, **_) -> tuple | None:
    """What a topic's pages show that can change (None: no such topic at this address): its
    validator and its dialogue's, whether its slow mode and its dialogue's schedule still hold
    now, and for a logged-in reader how far they read it and whether they follow it."""
    if user_id is None:
        row = TOPIC_PAGE.first(topic_id=topic_id)
    else:
        row = TOPIC_PAGE_READER.first(topic_id=topic_id, user_id=user_id)
    if row is None or (slug is not None and row[0] != slug):
        return None
    now = utcnow()
    until = moment(row[3])
    slow = bool(row[2]) and (until is None or until > now)
    return (row[1], row[4], slow, _closed(row[5], row[6], now), *row[7:])


def conclusion_page(*, topic_id: int, user_id: int | None, **_) -> tuple | None:
    """What a page about one of a topic's questions shows that can change: its topic's."""
    return topic_page(topic_id=topic_id, slug=None, user_id=user_id)


def dialogue_page(*, slug: str, user_id: int | None) -> tuple | None:
    """What a dialogue's pages show that can change (None: no such dialogue): its validator,
    whether its schedule still holds now, and for a logged-in reader how far they read its
    topics and whether they follow it."""
    if user_id is None:
        row = DIALOGUE_PAGE.first(slug=slug)
    else:
        row = DIALOGUE_PAGE_READER.first(slug=slug, user_id=user_id)
    if row is None:
        return None
    return (row[0], row[1], _closed(row[2], row[3], utcnow()), *row[4:])


def front_page(*, user_id: int | None) -> tuple:
    """What the front page shows that can change: how many dialogues, their newest validator,
    and how many have passed their scheduled closing time."""
    return tuple(FRONT_PAGE.first(now=as_stored(utcnow())))


def search_page(*, user_id: int | None) -> tuple:
    """What the search page shows that can change, whatever the query (its address): every
    dialogue's validator, as the front page reads it, and how many accounts there are."""
    return tuple(SEARCH_PAGE.first(now=as_stored(utcnow())))
