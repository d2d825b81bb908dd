"""Summaries: writing, citing posts, pinning and unpinning, with revisions and log entries."""

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import selectinload

from forum import acts, text
from forum.accounts.models import User
from forum.changes import mark_changed
from forum.clock import utcnow
from forum.dialogues.models import Dialogue
from forum.extensions import db
from forum.moderation.models import Action
from forum.moderation.services import AlreadyDone, ModerationError, record
from forum.posts.models import Post
from forum.summaries.models import Summary, SummaryRevision
from forum.topics.models import Topic

SOURCE_MAX = text.MAX_LENGTH
# "#p123", or a post's permalink ("/p/123", "https://forum.example/p/123").
CITATION = re.compile(text.CITATION)
PERMALINK = re.compile(r"(?:https?://[^\s/()<>]+)?/p/(\d{1,10})\b")


def find_summary(target: Topic | Dialogue) -> Summary | None:
    """The summary of a topic or a dialogue, pinned or not."""
    column = Summary.topic_id if isinstance(target, Topic) else Summary.dialogue_id
    return db.session.scalar(select(Summary).where(column == target.id))


_PINNED_FOR_TOPIC = select(Summary).where(
    Summary.is_pinned,
    or_(Summary.topic_id == bindparam("topic_id"), Summary.dialogue_id == bindparam("dialogue_id")),
)  # built once, like every statement on the topic page


def pinned_for_topic(topic: Topic) -> tuple[Summary | None, Summary | None]:
    """The pinned summaries of a topic and of its dialogue, in one query."""
    rows = db.session.scalars(
        _PINNED_FOR_TOPIC, {"topic_id": topic.id, "dialogue_id": topic.dialogue_id}
    ).all()
    own = next((s for s in rows if s.topic_id == topic.id), None)
    dialogue = next((s for s in rows if s.dialogue_id == topic.dialogue_id), None)
    return own, dialogue


def cite(source: str, target: Topic | Dialogue) -> list[int]:
    """The posts a text (a summary, a conclusion) cites ('#p123' or a permalink) that belong to
    target and are not hidden."""
    numbers = {int(n) for n in CITATION.findall(source)} | {
        int(n) for n in PERMALINK.findall(source)
    }
    numbers = {n for n in numbers if n <= text.POST_ID_MAX}
    cited: list[int] = []
    if numbers:
        query = select(Post.id).where(Post.id.in_(numbers), Post.hidden_at.is_(None))
        if isinstance(target, Topic):
            query = query.where(Post.topic_id == target.id)
        else:
            query = query.join(Topic, Topic.id == Post.topic_id).where(
                Topic.dialogue_id == target.id
            )
        cited = sorted(db.session.scalars(query))
    return cited


def _where(target: Topic | Dialogue) -> dict:
    if isinstance(target, Topic):
        return {"topic_id": target.id, "dialogue_id": target.dialogue_id}
    return {"dialogue_id": target.id}


def save_summary(target: Topic | Dialogue, *, source: str, pinned: bool, by: User) -> Summary:
    """Write or rewrite the summary of a topic or dialogue; the old text is kept."""
    if not source.strip():
        raise ModerationError(_l("Write the summary before saving it."))
    if len(source) > SOURCE_MAX:
        raise ModerationError(_l("A summary has at most %(n)d characters.", n=SOURCE_MAX))
    try:
        html = text.render(source)
    except text.TextRefused as exc:
        raise ModerationError(*exc.args) from exc
    cited = cite(source, target)
    summary = find_summary(target)
    was_pinned = summary is not None and summary.is_pinned
    was_cited = set(summary.cited_post_ids or []) if summary is not None else set()
    changed = summary is None or summary.source != source
    if summary is None:
        owner = {"topic_id": target.id} if isinstance(target, Topic) else {"dialogue_id": target.id}
        summary = Summary(author_id=by.id, source=source, html="", **owner)
        db.session.add(summary)
    elif summary.source != source:
        db.session.add(
            SummaryRevision(summary_id=summary.id, editor_id=by.id, source=summary.source)
        )
        summary.edit_count += 1
    summary.source = source
    summary.html = html
    summary.render_version = text.RENDER_VERSION
    summary.cited_post_ids = cited
    summary.updated_at = utcnow()
    summary.is_pinned = pinned
    if pinned and not was_pinned:
        record(Action.pin, by=by, **_where(target))
    elif was_pinned and not pinned:
        record(Action.unpin, by=by, **_where(target))
    else:  # no log entry, which would have marked the change for the feeds
        mark_changed(**_where(target))
    db.session.flush()
    if pinned and (changed or not was_pinned):
        newly_cited = [post_id for post_id in cited if post_id not in was_cited]
        acts.summary_published.send(summary, by=by, newly_cited=newly_cited)
    elif was_pinned and not pinned:
        acts.summary_unpinned.send(summary, by=by)
    return summary


def unpin_summary(target: Topic | Dialogue, *, by: User, reason: str = "") -> Summary:
    """Take a summary down from above the thread; it stays, to edit and pin again."""
    summary = find_summary(target)
    if summary is None or not summary.is_pinned:
        raise AlreadyDone(_l("There is no pinned summary."))
    summary.is_pinned = False
    record(Action.unpin, by=by, reason=reason, **_where(target))
    db.session.flush()
    acts.summary_unpinned.send(summary, by=by)
    return summary


def revisions(summary: Summary) -> list[SummaryRevision]:
    """The summary's earlier versions, newest first."""
    return list(
        db.session.scalars(
            select(SummaryRevision)
            .options(selectinload(SummaryRevision.editor))
            .where(SummaryRevision.summary_id == summary.id)
            .order_by(SummaryRevision.id.desc())
        )
    )
