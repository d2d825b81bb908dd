"""What a dialogue's report holds, read once for every format (HTML, Markdown, JSON, CSV).

Everything is read as a reader who is not a moderator reads it: a hidden post is only a
placeholder (that it was there, who wrote it, when and why it was hidden: what the pages show
of it), never what it said. People appear as the dialogue shows them (forum.people): by their
pseudonym in a pseudonymous dialogue, else by display name, and never with their username,
address or what they declared of themselves.

The small parts (topics, questions, conclusions, summaries, figures) are read whole; posts and
the moderation log are read in batches as a format writes them (`posts`, `log_entries`), so a
dialogue of 100,000 posts exports in flat memory.
"""

import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, has_request_context, request
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from forum import people, text
from forum.accounts.models import User
from forum.clock import utcnow
from forum.conclusions.models import Conclusion
from forum.dialogues.models import Dialogue
from forum.extensions import db
from forum.moderation.models import LogEntry
from forum.moderation.services import log_query
from forum.posts.models import Post
from forum.summaries.models import Summary
from forum.topics.models import PromptQuestion, Topic

BATCH = 500  # rows read at a time from the database
EXCERPT = 240


@dataclass(frozen=True)
class Cited:
    """A post a summary or conclusion cites, resolved: who wrote it, when, what it says."""

    post_id: int
    topic_id: int
    author: str
    created_at: datetime
    excerpt: str  # empty when the post was hidden or its text removed since


@dataclass
class Written:
    """A summary or a conclusion, with its citations resolved."""

    html: str
    source: str
    author: str
    updated_at: datetime
    cited: list[Cited]
    is_pinned: bool = True


@dataclass
class Question:
    id: int
    number: int
    text: str
    answers: int
    conclusion: Written | None = None


@dataclass
class TopicPart:
    id: int
    title: str
    slug: str
    url: str
    author: str
    created_at: datetime
    framing_html: str
    framing_source: str
    lock_reason: str | None  # None: not locked
    questions: list[Question] = field(default_factory=list)
    summary: Written | None = None
    posts: int = 0
    people: int = 0


@dataclass
class Report:
    """A dialogue, or one topic of it, as its report shows it; the data card's facts first."""

    dialogue: Dialogue
    topic: Topic | None  # the one topic reported on, or None: the whole dialogue
    made_at: datetime
    base: str  # the forum's address, for links that work outside it
    url: str
    licence: str
    topics: list[TopicPart]
    summary: Written | None
    posts: int  # posts readers can read (hidden ones are not counted)
    hidden: int
    people: int
    log: int

    @property
    def pseudonymous(self) -> bool:
        return self.dialogue.pseudonymous

    @property
    def title(self) -> str:
        return self.topic.title if self.topic else self.dialogue.title

    def post_url(self, post_id: int) -> str:
        return self.base + text.permalink(post_id)

    def absolute(self, html: str) -> str:
        """Cleaned HTML with its links to this forum written out in full (they leave it)."""
        return html.replace('href="/', f'href="{self.base}/')


@dataclass(frozen=True)
class Entry:
    """A post as the report shows it: `state` is 'shown', 'hidden' or 'removed'; a hidden or
    removed post says nothing (no subject, text or content note)."""

    id: int
    topic_id: int
    number: int
    parent_id: int | None
    parent_number: int | None
    depth: int
    question_id: int | None
    author: str
    created_at: datetime
    edited_at: datetime | None
    state: str
    subject: str
    content_note: str
    html: str
    source: str
    hidden_reason: str


@dataclass(frozen=True)
class LogLine:
    """A public moderation log entry: what the public log page shows of it."""

    id: int
    created_at: datetime
    action: str
    actor: str
    target: str
    topic_id: int | None
    topic_title: str
    post_id: int | None
    rule: str
    reason: str


def base_url() -> str:
    """The forum's address: FORUM_BASE_URL, else the request's, else localhost (the CLI)."""
    base = current_app.config.get("BASE_URL")
    if base:
        return base
    if has_request_context():
        return request.url_root.rstrip("/")
    return "http://localhost"


def _excerpt(html: str) -> str:
    return textwrap.shorten(text.cleaned(html).striptags(), width=EXCERPT, placeholder=" …")


def _cited(post_ids: set[int], dialogue: Dialogue) -> dict[int, Cited]:
    """The cited posts, with their authors as the dialogue shows them, in one query."""
    if not post_ids:
        return {}
    rows = db.session.execute(
        select(
            Post.id,
            Post.topic_id,
            Post.created_at,
            Post.body_html,
            Post.hidden_at,
            *people.columns(User, dialogue.id, "author"),
        )
        .join(User, User.id == Post.author_id)
        .join(Topic, Topic.id == Post.topic_id)
        .where(Post.id.in_(post_ids), Topic.dialogue_id == dialogue.id)
    )
    found = {}
    for row in rows:
        author = people.of_row(row, "author", pseudonymous=dialogue.pseudonymous).name
        excerpt = "" if row.hidden_at else _excerpt(row.body_html)
        found[row.id] = Cited(row.id, row.topic_id, author, row.created_at, excerpt)
    return found


def _written(thing, dialogue: Dialogue, cited: dict[int, Cited]) -> Written:
    return Written(
        html=thing.html,
        source=thing.source,
        author=people.person(dialogue, thing.author).name,
        updated_at=thing.updated_at,
        cited=[cited[n] for n in thing.cited_post_ids if n in cited],
        is_pinned=getattr(thing, "is_pinned", True),
    )


def gather(dialogue: Dialogue, topic: Topic | None = None) -> Report:
    """Read the report of a dialogue (or of one topic of it), all but its posts and log."""
    base = base_url()
    topics = (
        [topic]
        if topic is not None
        else list(
            db.session.scalars(
                select(Topic).where(Topic.dialogue_id == dialogue.id).order_by(Topic.created_at)
            )
        )
    )
    topic_ids = [t.id for t in topics]
    authors = {u.id: u for u in _users({t.author_id for t in topics})}
    questions = db.session.scalars(
        select(PromptQuestion)
        .where(PromptQuestion.topic_id.in_(topic_ids))
        .order_by(PromptQuestion.topic_id, PromptQuestion.position)
    ).all()
    conclusions = {
        c.question_id: c
        for c in db.session.scalars(select(Conclusion).where(Conclusion.topic_id.in_(topic_ids)))
    }
    summaries = db.session.scalars(
        select(Summary).where(
            Summary.topic_id.in_(topic_ids)
            if topic is not None
            else (Summary.topic_id.in_(topic_ids) | (Summary.dialogue_id == dialogue.id))
        )
    ).all()
    cited = _cited(
        {n for thing in (*summaries, *conclusions.values()) for n in thing.cited_post_ids},
        dialogue,
    )
    counts = _post_counts(topic_ids)
    parts = {}
    for t in topics:
        _hidden, shown, posters = counts.get(t.id, (0, 0, 0))
        parts[t.id] = TopicPart(
            id=t.id,
            title=t.title,
            slug=t.slug,
            url=f"{base}/t/{t.id}/{t.slug}",
            author=people.person(dialogue, authors.get(t.author_id)).name,
            created_at=t.created_at,
            framing_html=t.framing_html,
            framing_source=t.framing_source,
            lock_reason=t.lock_reason if t.is_locked else None,
            posts=shown,
            people=posters,
        )
    for q in questions:
        conclusion = conclusions.get(q.id)
        parts[q.topic_id].questions.append(
            Question(
                q.id,
                q.number,
                q.text,
                q.answer_count,
                conclusion and _written(conclusion, dialogue, cited),
            )
        )
    dialogue_summary = None
    for summary in summaries:
        if summary.topic_id is not None:
            parts[summary.topic_id].summary = _written(summary, dialogue, cited)
        else:
            dialogue_summary = _written(summary, dialogue, cited)
    people_count, log_count = _people_and_log(dialogue, topic)
    return Report(
        dialogue=dialogue,
        topic=topic,
        made_at=utcnow(),
        base=base,
        url=f"{base}/t/{topic.id}/{topic.slug}" if topic else f"{base}/d/{dialogue.slug}",
        licence=dialogue.licence,
        topics=[parts[t.id] for t in topics],
        summary=dialogue_summary,
        posts=sum(c[1] for c in counts.values()),
        hidden=sum(c[0] for c in counts.values()),
        people=people_count,
        log=log_count,
    )


def _users(ids: set[int]) -> list[User]:
    return list(db.session.scalars(select(User).where(User.id.in_(ids)))) if ids else []


def _post_counts(topic_ids: list[int]) -> dict[int, tuple[int, int, int]]:
    """Per topic: hidden posts, posts readers read, and how many people wrote those."""
    if not topic_ids:
        return {}
    hidden = Post.hidden_at.is_not(None)
    rows = db.session.execute(
        select(
            Post.topic_id,
            func.count().filter(hidden),
            func.count().filter(~hidden),
            func.count(Post.author_id.distinct()).filter(~hidden),
        )
        .where(Post.topic_id.in_(topic_ids))
        .group_by(Post.topic_id)
    )
    return {row[0]: (row[1], row[2], row[3]) for row in rows}


def _people_and_log(dialogue: Dialogue, topic: Topic | None) -> tuple[int, int]:
    """How many people wrote what readers read, and how many log entries the report has."""
    where = [Post.hidden_at.is_(None)]
    where.append(Post.topic_id == topic.id if topic else Topic.dialogue_id == dialogue.id)
    posters = db.session.scalar(
        select(func.count(Post.author_id.distinct()))
        .join(Topic, Topic.id == Post.topic_id)
        .where(*where)
    )
    entries = db.session.scalar(select(func.count()).select_from(_log(dialogue, topic).subquery()))
    return posters, entries


def _log(dialogue: Dialogue, topic: Topic | None):
    query = log_query(dialogue=dialogue)
    return query if topic is None else query.where(LogEntry.topic_id == topic.id)


@dataclass(frozen=True)
class Writer:
    name: str
    posts: int
    first: datetime
    last: datetime


def writers_of(report: Report) -> list[Writer]:
    """Everyone who wrote a post readers read, as the dialogue shows them, most posts first."""
    where = [Post.hidden_at.is_(None)]
    if report.topic is not None:
        where.append(Post.topic_id == report.topic.id)
    else:
        # The dialogue's topics by a subquery, not a list of every topic id in the statement.
        topics = select(Topic.id).where(Topic.dialogue_id == report.dialogue.id)
        where.append(Post.topic_id.in_(topics.scalar_subquery()))
    counted = (
        select(
            Post.author_id,
            func.count().label("posts"),
            func.min(Post.created_at).label("first"),
            func.max(Post.created_at).label("last"),
        )
        .where(*where)
        .group_by(Post.author_id)
        .subquery()
    )
    rows = db.session.execute(
        select(counted, *people.columns(User, report.dialogue.id, "author"))
        .join(User, User.id == counted.c.author_id)
        .order_by(counted.c.posts.desc(), counted.c.first)
    )
    return [
        Writer(
            people.of_row(row, "author", pseudonymous=report.pseudonymous).name,
            row.posts,
            row.first,
            row.last,
        )
        for row in rows
    ]


_PARENT = aliased(Post)


def _post_rows(dialogue: Dialogue):
    return (
        select(
            Post.id,
            Post.topic_id,
            Post.number,
            Post.parent_id,
            Post.depth,
            Post.prompt_id,
            Post.created_at,
            Post.edited_at,
            Post.hidden_at,
            Post.hidden_reason,
            Post.removed_at,
            Post.subject,
            Post.content_note,
            Post.body_html,
            Post.body_source,
            _PARENT.number.label("parent_number"),
            *people.columns(User, dialogue.id, "author"),
        )
        .join(User, User.id == Post.author_id)
        .outerjoin(_PARENT, _PARENT.id == Post.parent_id)
    )


def _entry(row, pseudonymous: bool) -> Entry:
    said = row.hidden_at is None and row.removed_at is None
    return Entry(
        id=row.id,
        topic_id=row.topic_id,
        number=row.number,
        parent_id=row.parent_id,
        parent_number=row.parent_number,
        depth=row.depth,
        question_id=row.prompt_id,
        author=people.of_row(row, "author", pseudonymous=pseudonymous).name,
        created_at=row.created_at,
        edited_at=row.edited_at,
        state="hidden" if row.hidden_at else "removed" if row.removed_at else "shown",
        subject=row.subject if said else "",
        content_note=row.content_note if said else "",
        html=row.body_html if said else "",
        source=row.body_source if said else "",
        hidden_reason=row.hidden_reason if row.hidden_at else "",
    )


ORDERS = {
    "number": (Post.number,),  # the order posts arrived in
    "path": (Post.path,),  # the threads, in reading order
}


def posts(
    report: Report,
    topic_id: int,
    *,
    order: str = "number",
    answering: int | str = "any",
    done: Callable[[int], None] | None = None,
) -> Iterator[Entry]:
    """A topic's posts, read in batches. answering: a question's id (the posts answering it),
    "none" (those answering no question) or "any". done(n) is told of every n posts read."""
    query = _post_rows(report.dialogue).where(Post.topic_id == topic_id)
    if answering == "none":
        query = query.where(Post.prompt_id.is_(None))
    elif answering != "any":
        query = query.where(Post.prompt_id == answering)
    query = query.order_by(*ORDERS[order]).execution_options(yield_per=BATCH)
    for rows in db.session.execute(query).partitions():
        for row in rows:
            yield _entry(row, report.pseudonymous)
        if done is not None:
            done(len(rows))


def log_entries(report: Report, names: dict[str, str]) -> Iterator[LogLine]:
    """The public log of the dialogue (or topic), oldest first, as the log page shows it."""
    query = _log(report.dialogue, report.topic).order_by(None).order_by(LogEntry.id)
    for rows in db.session.execute(query.execution_options(yield_per=BATCH)).partitions():
        for row in people.named(rows, "actor", "target", pseudonymous=report.pseudonymous):
            entry = row.LogEntry
            yield LogLine(
                id=entry.id,
                created_at=entry.created_at,
                action=str(names.get(entry.action, entry.action.value)),
                actor=row.actor_name,
                target=row.target_name or "",
                topic_id=entry.topic_id,
                topic_title=row.topic_title or "",
                post_id=entry.post_id,
                rule=entry.rule,
                reason=entry.reason,
            )
