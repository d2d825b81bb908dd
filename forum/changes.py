"""When what a topic's or a dialogue's feed shows last changed: the feeds' validators."""

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
