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
