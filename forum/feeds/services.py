"""What each feed holds, read in a few constant queries, and the validators that answer 304."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from forum import people, text
from forum.accounts.models import User
from forum.changes import Validator, moment
from forum.dialogues.models import Dialogue, DialogueState
from forum.extensions import db
from forum.posts import notes
from forum.posts.models import Post
from forum.posts.visibility import seen
from forum.summaries.models import Summary
from forum.topics.models import PromptQuestion, Topic

SIZE = 50
QUESTION = aliased(PromptQuestion)  # made once, not per request


@dataclass
class Item:
    """One feed item. Its title, author and category are plain text; its html is Markup."""

    title: str
    path: str  # the item's permanent address on this site, made absolute by the view
    published: datetime
    # What the description shows, and so what a feed reader renders as HTML: only stored
    # cleaned HTML (text.cleaned) or plain text escaped (markupsafe.escape) may go in.
    html: Markup
    author: str = ""
    category: str = ""
    anchor: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.html, Markup):
            raise TypeError("A feed item's html is text.cleaned() HTML or escape()d text.")
        # Plain str, whatever came in (a lazy translation or Markup would pass unescaped).
        self.title, self.author, self.category = map(str, (self.title, self.author, self.category))


def _post_rows(*criteria, order):
    """The newest visible posts matching criteria, with author, question and topic title."""
    question = QUESTION
    return db.session.execute(
        select(
            Post,
            *people.columns(User, Topic.dialogue_id, "author"),
            question.text.label("question"),
            Topic.title,
            Dialogue.pseudonymous,
        )
        .join(User, User.id == Post.author_id)
        .join(Topic, Topic.id == Post.topic_id)
        .join(Dialogue, Dialogue.id == Topic.dialogue_id)
        .outerjoin(question, question.id == Post.prompt_id)
        .where(Post.hidden_at.is_(None), Post.removed_at.is_(None), *criteria)
        .order_by(order)
        .limit(SIZE)
    ).all()


def _post_items(rows) -> list[Item]:
    items = []
    for row in rows:
        post, question, title = row.Post, row.question, row.title
        name = people.of_row(row, "author", pseudonymous=row.pseudonymous).name
        said = seen(post, moderator=False)  # feeds are read by anyone
        items.append(
            Item(
                title=said.subject or str(_l("Re: %(title)s", title=title)),
                path=f"/p/{post.id}",
                published=post.created_at,
                html=notes.feed_html(said.content_note, text.cleaned(said.body_html)),
                author=name,
                category=question or "",
            )
        )
    return items


def topic_items(topic: Topic) -> list[Item]:
    """The newest posts of a topic, its pinned summary and its lock, newest first."""
    rows = _post_rows(Post.topic_id == topic.id, order=Post.number.desc())
    items = _post_items(rows)
    summary = db.session.scalar(
        select(Summary).where(Summary.topic_id == topic.id, Summary.is_pinned)
    )
    if summary is not None:
        items.append(_summary_item(summary, topic.title, f"/t/{topic.id}"))
    if topic.is_locked:
        locker = people.name_in(topic, topic.locked_by)
        items.append(
            Item(
                title=str(_l("Topic locked: %(title)s", title=topic.title)),
                path=f"/t/{topic.id}",
                anchor=f"locked-{int(topic.locked_at.timestamp())}",
                published=topic.locked_at,
                html=escape(str(_l("Locked by %(name)s: %(reason)s",
                                   name=locker, reason=topic.lock_reason))),
                author=locker,
            )
        )  # fmt: skip
    items.sort(key=lambda item: item.published, reverse=True)
    return items


def _summary_item(summary: Summary, title: str, path: str) -> Item:
    return Item(
        title=str(_l("Facilitators' summary: %(title)s", title=title)),
        path=path,
        anchor="summary",
        published=summary.updated_at,
        html=text.cleaned(summary.html),
        author=people.name_in(summary, summary.author),
    )


def dialogue_items(dialogue: Dialogue) -> list[Item]:
    """A dialogue's newest topics (framing and prompt questions) and its summaries."""
    topics = db.session.execute(
        select(Topic, User)
        .join(User, User.id == Topic.author_id)
        .where(Topic.dialogue_id == dialogue.id)
        .order_by(Topic.created_at.desc())
        .limit(SIZE)
    ).all()
    questions: dict[int, list[str]] = {}
    for topic_id, wording in db.session.execute(
        select(PromptQuestion.topic_id, PromptQuestion.text)
        .where(PromptQuestion.topic_id.in_([t.id for t, _ in topics]))
        .order_by(PromptQuestion.topic_id, PromptQuestion.position)
    ):
        questions.setdefault(topic_id, []).append(wording)
    items = [
        Item(
            title=topic.title,
            path=f"/t/{topic.id}",
            published=topic.created_at,
            html=text.cleaned(topic.framing_html) + _question_list(questions.get(topic.id, [])),
            author=people.person(dialogue, author).name,
        )
        for topic, author in topics
    ]
    summaries = db.session.execute(
        select(Summary, Topic.title)
        .outerjoin(Topic, Topic.id == Summary.topic_id)
        .where(
            Summary.is_pinned,
            or_(Summary.dialogue_id == dialogue.id, Topic.dialogue_id == dialogue.id),
        )
    ).all()
    for summary, title in summaries:
        if summary.dialogue_id is not None:
            items.append(_summary_item(summary, dialogue.title, f"/d/{dialogue.slug}"))
        else:
            items.append(_summary_item(summary, title, f"/t/{summary.topic_id}"))
    items.sort(key=lambda item: item.published, reverse=True)
    return items[:SIZE]


def _question_list(wordings: list[str]) -> Markup:
    if not wordings:
        return Markup()
    items = Markup().join(Markup("<li>%s</li>") % wording for wording in wordings)
    return Markup("<ol>%s</ol>") % items


def site_items() -> list[Item]:
    """The newest posts across the dialogues that are not archived."""
    rows = _post_rows(Dialogue.state != DialogueState.archived, order=Post.id.desc())
    return _post_items(rows)


# The validators are read on every poll, before anything else: plain SQL on the driver's
# cursor (forum.changes.Validator), no ORM session for a 304.
TOPIC_CHANGED = Validator("SELECT changed_at FROM topic WHERE id = :topic_id")
DIALOGUE_CHANGED = Validator("SELECT id, changed_at FROM dialogue WHERE slug = :slug")
SITE_CHANGED = Validator("SELECT max(changed_at) FROM dialogue WHERE state != 'archived'")
LOG_HEAD = Validator("SELECT id, created_at FROM log_entry ORDER BY id DESC LIMIT 1")


def topic_changed_at(topic_id: int) -> datetime | None:
    """When a topic's feed last changed, or None if there is no such topic (one query)."""
    row = TOPIC_CHANGED.first(topic_id=topic_id)
    return moment(row[0]) if row else None


def dialogue_changed_at(slug: str) -> tuple[int, datetime] | None:
    """A dialogue's id and when its feed last changed, or None (one query)."""
    row = DIALOGUE_CHANGED.first(slug=slug)
    return (row[0], moment(row[1])) if row else None


def site_changed_at() -> datetime | None:
    """When anything the site feed shows last changed (one query)."""
    return moment(SITE_CHANGED.first()[0])


def log_head() -> tuple[int, datetime] | None:
    """The newest moderation log entry's id and time (one query)."""
    row = LOG_HEAD.first()
    return (row[0], moment(row[1])) if row else None
