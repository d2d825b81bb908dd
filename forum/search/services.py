"""Searching: one page of results for a query, filters and a reader, in one SQL statement.

`search` needs no request (a bench or a command can call it). Who wrote what is shown through
forum.people, so a pseudonymous dialogue shows pseudonyms; what the reader may not see is never
found: a hidden post (a moderator may ask for them), an unpinned summary or a removed post
(never indexed). Every dialogue is readable by everyone, whatever its state, as its pages are.
"""

from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import case, false, select
from sqlalchemy.orm import aliased

from forum import people, text
from forum.accounts.models import User
from forum.dialogues.models import Dialogue
from forum.extensions import db
from forum.permissions import can
from forum.posts.models import Post
from forum.search import backend
from forum.search.indexing import KINDS
from forum.search.models import SearchEntry
from forum.search.query import Query, QueryRefused, parse
from forum.summaries.models import Summary
from forum.topics.models import PromptQuestion, Topic

PER_PAGE = 20
# How many of the newest matches a search by relevance ranks (README, Search).
CANDIDATES = 1000

__all__ = ["PER_PAGE", "Filters", "QueryRefused", "Result", "Results", "search"]


@dataclass(frozen=True)
class Filters:
    """What to search in, all optional. Times are UTC; `until` is excluded."""

    dialogue_id: int | None = None
    topic_id: int | None = None
    prompt_id: int | None = None
    author_id: int | None = None
    language: str | None = None
    kinds: tuple[str, ...] = KINDS
    since: datetime | None = None
    until: datetime | None = None
    hidden: bool = False  # hidden posts too (moderators only; ignored for anybody else)
    newest: bool = False  # newest first, instead of the most relevant


@dataclass(frozen=True)
class Result:
    kind: str  # "post", "summary" or "topic"
    post_id: int | None
    topic_id: int | None
    topic_slug: str | None
    topic_title: str | None
    dialogue_slug: str
    dialogue_title: str
    subject: str
    snippet: Markup
    author: people.Shown
    created_at: datetime
    language: str
    prompt: str | None  # the prompt question a post answers
    content_note: str
    is_hidden: bool


@dataclass(frozen=True)
class Results:
    query: Query
    items: list[Result] = field(default_factory=list)
    page: int = 1
    has_next: bool = False


def conditions(filters: Filters, *, moderator: bool) -> list:
    """The filters as conditions on the search index."""
    found = []
    if not (filters.hidden and moderator):
        found.append(SearchEntry.is_hidden.is_(false()))
    for name in ("dialogue_id", "topic_id", "prompt_id", "language"):
        value = getattr(filters, name)
        if value is not None:
            found.append(getattr(SearchEntry, name) == value)
    if filters.author_id is not None:
        # In a pseudonymous dialogue nobody's words can be looked up by their account.
        open_named = select(Dialogue.id).where(Dialogue.pseudonymous.is_(false()))
        found.append(SearchEntry.author_id == filters.author_id)
        found.append(SearchEntry.dialogue_id.in_(open_named))
    if tuple(filters.kinds) != KINDS:
        found.append(SearchEntry.kind.in_(filters.kinds))
    if filters.since is not None:
        found.append(SearchEntry.created_at >= filters.since)
    if filters.until is not None:
        found.append(SearchEntry.created_at < filters.until)
    return found


def search(query: str, filters: Filters, reader: User | None, page: int = 1) -> Results:
    """A page of what the reader finds with this query and these filters (QueryRefused: a
    query that cannot be searched, with a message for the person)."""
    parsed = parse(query)
    moderator = reader is not None and can("moderate", user=reader)
    engine = backend.current()
    hits = engine.hits(parsed).where(*conditions(filters, moderator=moderator))
    if filters.newest:
        order = ("created_at", "id")
    else:
        # Relevance ranks the newest CANDIDATES matches: a word in most posts would otherwise
        # have every one of them ranked (a million at scale) for one page of twenty.
        newest = [hits.selected_columns[name].desc() for name in ("created_at", "id")]
        hits = select(hits.order_by(*newest).limit(CANDIDATES).subquery())
        order = ("rank", "created_at", "id")
    hits = hits.order_by(*(hits.selected_columns[name].desc() for name in order))
    found = hits.limit(PER_PAGE + 1).offset((page - 1) * PER_PAGE).subquery()
    author = aliased(User)
    html = case(
        (SearchEntry.kind == "post", Post.body_html),
        (SearchEntry.kind == "summary", Summary.html),
        else_=Topic.framing_html,
    )
    columns = [
        SearchEntry.kind, SearchEntry.post_id, SearchEntry.topic_id, SearchEntry.created_at,
        SearchEntry.language, SearchEntry.is_hidden, Topic.slug.label("topic_slug"),
        Topic.title.label("topic_title"), Dialogue.slug.label("dialogue_slug"),
        Dialogue.title.label("dialogue_title"), Dialogue.pseudonymous, Post.subject,
        Post.content_note, PromptQuestion.text.label("prompt"), html.label("html"),
        *people.columns(author, SearchEntry.dialogue_id, "author"),
    ]  # fmt: skip
    headline = engine.headline(parsed, SearchEntry.language, html)
    if headline is not None:
        columns.append(headline.label("headline"))
    statement = (
        select(*columns)
        .select_from(found)
        .join(SearchEntry, SearchEntry.id == found.c.id)
        .join(Dialogue, Dialogue.id == SearchEntry.dialogue_id)
        .join(author, author.id == SearchEntry.author_id)
        .outerjoin(Topic, Topic.id == SearchEntry.topic_id)
        .outerjoin(Post, Post.id == SearchEntry.post_id)
        .outerjoin(Summary, Summary.id == SearchEntry.summary_id)
        .outerjoin(PromptQuestion, PromptQuestion.id == SearchEntry.prompt_id)
        .order_by(*(found.c[name].desc() for name in order))
    )
    rows = db.session.execute(statement).all()
    items = [_result(row, parsed, engine) for row in rows[:PER_PAGE]]
    return Results(parsed, items, page, len(rows) > PER_PAGE)


def _result(row, parsed: Query, engine) -> Result:
    return Result(
        kind=row.kind,
        post_id=row.post_id,
        topic_id=row.topic_id,
        topic_slug=row.topic_slug,
        topic_title=row.topic_title,
        dialogue_slug=row.dialogue_slug,
        dialogue_title=row.dialogue_title,
        subject=row.subject or "",
        snippet=text.highlighted(engine.snippet(row, parsed)),
        author=people.of_row(row, "author", pseudonymous=row.pseudonymous),
        created_at=row.created_at,
        language=row.language,
        prompt=row.prompt,
        content_note=row.content_note or "",
        is_hidden=row.is_hidden,
    )
