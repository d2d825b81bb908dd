"""Keeping the index right: the acts that change what can be found refresh its entries, in the
act's transaction; `forum search reindex` refreshes everything.

An entry is made from its post, topic or summary by one query (`source`), so the same rows
feed a single refresh and the whole reindex. What a reader may never find is not indexed at
all: an unpinned summary, a post whose author removed its words; a hidden post is indexed as
hidden, for the moderators.
"""

from collections.abc import Callable
from functools import cache

from sqlalchemy import (
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    delete,
    false,
    func,
    literal,
    null,
    select,
)
from sqlalchemy.orm import aliased

from forum import acts
from forum.accounts.models import User
from forum.clock import utcnow
from forum.database import plain_update
from forum.dialogues.models import Dialogue
from forum.extensions import db
from forum.posts.models import Post
from forum.search import backend
from forum.search.models import SearchEntry
from forum.search.words import STEMMED
from forum.summaries.models import Summary
from forum.topics.models import PromptQuestion, Topic

KINDS = ("post", "topic", "summary")
_none = cast(null(), Integer)  # an id column that this kind of entry does not have
BATCH = 500


def _language_of(author) -> case:
    """Topics and summaries have no language of their own: their writer's, else English."""
    return case((author.locale.in_(list(STEMMED)), author.locale), else_=literal("en"))


def _escaped(column):
    """Plain text as HTML, to go beside stored HTML."""
    return func.replace(func.replace(func.replace(column, "&", "&amp;"), "<", "&lt;"), ">", "&gt;")


@cache
def source(kind: str) -> tuple[Select, object]:
    """The rows the entries of a kind are made of, and the id column a refresh picks them by.

    Columns: key, kind, post_id, summary_id, topic_id, dialogue_id, prompt_id, author_id,
    language, created_at, is_hidden, then subject and html (the text, as stored HTML).
    Built once per kind: building it cost more than running it, on every post written.
    """
    if kind == "post":
        query = (
            select(
                (literal("post:") + cast(Post.id, String)).label("key"),
                literal("post").label("kind"),
                Post.id.label("post_id"),
                _none.label("summary_id"),
                Post.topic_id,
                Topic.dialogue_id,
                Post.prompt_id,
                Post.author_id,
                Post.language,
                Post.created_at,
                Post.hidden_at.is_not(None).label("is_hidden"),
                Post.subject,
                Post.body_html.label("html"),
            )
            .join(Topic, Topic.id == Post.topic_id)
            .where(Post.removed_at.is_(None))
        )
        return query, Post.id
    author = aliased(User)
    if kind == "topic":
        questions = (
            select(func.aggregate_strings(_escaped(PromptQuestion.text), " "))
            .where(PromptQuestion.topic_id == Topic.id)
            .scalar_subquery()
        )
        query = select(
            (literal("topic:") + cast(Topic.id, String)).label("key"),
            literal("topic").label("kind"),
            _none.label("post_id"),
            _none.label("summary_id"),
            Topic.id.label("topic_id"),
            Topic.dialogue_id,
            _none.label("prompt_id"),
            Topic.author_id,
            _language_of(author).label("language"),
            Topic.created_at,
            false().label("is_hidden"),
            Topic.title.label("subject"),
            (Topic.framing_html + " " + func.coalesce(questions, "")).label("html"),
        ).join(author, author.id == Topic.author_id)
        return query, Topic.id
    in_topic = aliased(Topic)
    query = (
        select(
            (literal("summary:") + cast(Summary.id, String)).label("key"),
            literal("summary").label("kind"),
            _none.label("post_id"),
            Summary.id.label("summary_id"),
            Summary.topic_id,
            func.coalesce(Summary.dialogue_id, in_topic.dialogue_id).label("dialogue_id"),
            _none.label("prompt_id"),
            Summary.author_id,
            _language_of(author).label("language"),
            Summary.updated_at.label("created_at"),
            false().label("is_hidden"),
            literal("").label("subject"),
            Summary.html,
        )
        .join(author, author.id == Summary.author_id)
        .outerjoin(in_topic, in_topic.id == Summary.topic_id)
        .where(Summary.is_pinned)
    )
    return query, Summary.id


_REF = {
    "post": SearchEntry.post_id,
    "topic": SearchEntry.topic_id,
    "summary": SearchEntry.summary_id,
}


def refresh(kind: str, ids: list[int] | None = None, *, low=None, high=None) -> None:
    """Make the entries of these posts, topics or summaries (by ids, or an id range) say what
    they say now, or remove them if they are not to be found any more."""
    db.session.flush()
    query, ref = source(kind)
    entry = _REF[kind]
    if ids is not None:
        picked, entries = ref.in_(ids), entry.in_(ids)
    else:
        picked, entries = and_(ref >= low, ref <= high), and_(entry >= low, entry <= high)
    db.session.execute(delete(SearchEntry).where(SearchEntry.kind == kind, entries))
    backend.current().insert_entries(query.where(picked))


def total() -> int:
    """How many posts, topics and summaries a reindex reads."""
    return sum(db.session.scalar(select(func.count(source(kind)[1]))) for kind in KINDS)


def reindex(*, progress: Callable[[int], None] = lambda n: None) -> int:
    """Rebuild every entry, a batch of ids at a time, each batch committed: searching goes on
    meanwhile and finds what is not refreshed yet as it was. Return how many things were read.

    The batches cover every id of the tables, so an entry of what is not to be found any more
    goes too; an entry of what no longer exists went with it (foreign keys cascade).
    """
    done = 0
    for kind in KINDS:
        ref = source(kind)[1]
        ids = select(ref).order_by(ref)
        last = 0
        while True:
            batch = list(db.session.scalars(ids.where(ref > last).limit(BATCH)))
            if not batch:
                break
            refresh(kind, low=batch[0], high=batch[-1])
            # What can be found may have changed anywhere: the search page's version moves.
            db.session.execute(plain_update(Dialogue).values(changed_at=utcnow()))
            db.session.commit()
            last = batch[-1]
            done += len(batch)
            progress(len(batch))
    return done


# The acts that change what can be found, each refreshing its entry in its own transaction.
@acts.post_written.connect
@acts.post_edited.connect
@acts.post_hidden.connect
@acts.post_restored.connect
def _post_changed(post, **_) -> None:
    refresh("post", [post.id])


@acts.topic_opened.connect
@acts.topic_edited.connect
def _topic_changed(topic, **_) -> None:
    refresh("topic", [topic.id])


@acts.summary_published.connect
@acts.summary_unpinned.connect
def _summary_changed(summary, **_) -> None:
    refresh("summary", [summary.id])


@acts.posts_rewritten.connect
def _posts_rewritten(_sender, *, post_ids, **_) -> None:
    if post_ids:
        refresh("post", sorted(post_ids))
