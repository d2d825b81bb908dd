"""When what a topic's or a dialogue's feed shows last changed: the feeds' validators."""

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


def mark_renamed(user_id: int) -> None:
    """Record that every feed showing this person's name changed (they changed their name)."""
    from forum.dialogues.models import Dialogue
    from forum.posts.models import Post
    from forum.summaries.models import Summary
    from forum.topics.models import Topic

    now = utcnow()
    named_in = or_(
        Topic.id.in_(select(Post.topic_id).where(Post.author_id == user_id)),
        Topic.id.in_(select(Summary.topic_id).where(Summary.author_id == user_id)),
        Topic.author_id == user_id,
        Topic.locked_by_id == user_id,
    )
    db.session.execute(plain_update(Topic).where(named_in).values(changed_at=now))
    db.session.execute(
        plain_update(Dialogue)
        .where(
            or_(
                Dialogue.id.in_(select(Topic.dialogue_id).where(named_in)),
                Dialogue.id.in_(select(Summary.dialogue_id).where(Summary.author_id == user_id)),
            )
        )
        .values(changed_at=now)
    )
