"""Topics: opening them with prompt questions, editing them, and read markers."""

from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, case, exists, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload, undefer, with_expression

from forum import acts, people, text
from forum.accounts.models import User
from forum.changes import mark_changed
from forum.clock import utcnow
from forum.database import plain_update
from forum.dialogues.models import Dialogue, Pseudonym
from forum.extensions import db
from forum.notifications.models import Follow
from forum.posts.models import Post
from forum.slugs import slugify
from forum.topics.models import PromptQuestion, ReadMarker, Topic, TopicRevision

TITLE_MAX = 200
FRAMING_MAX = text.MAX_LENGTH
QUESTION_MAX = 500
QUESTIONS_MAX = 10


# Words that follow /t/<id>/ for a topic's other pages, so never a topic's slug.
RESERVED_SLUGS = frozenset(
    {
        "edit",
        "history",
        "reply",
        "first-new",
        "lock",
        "unlock",
        "summary",
        "hide",
        "restore",
        "slow-mode",
    }
)


class TopicError(ValueError):
    """A topic that cannot be opened or changed as asked, with a message for the person."""


def _render(framing: str) -> str:
    try:
        return text.render(framing)
    except text.TextRefused as exc:
        raise TopicError(*exc.args) from exc


# Built once: building a statement with its options cost as much as running it. The last
# post's time and author are shown above the replies: read in the same query, as plain values.
_TOPIC = select(Topic).where(Topic.id == bindparam("topic_id"))
_LAST_POST = select(Post.created_at).where(Post.id == Topic.last_post_id)
_LAST_AUTHOR = select(User.display_name).join(Post, Post.author_id == User.id)
_BY_LAST_AUTHOR = (Post.author_id == Pseudonym.user_id) & (
    Pseudonym.dialogue_id == Topic.dialogue_id
)
_TOPIC_TO_READ = _TOPIC.options(
    undefer(Topic.page_starts),
    joinedload(Topic.questions),
    with_expression(Topic.last_post_at, _LAST_POST.scalar_subquery()),
    with_expression(
        Topic.last_author, _LAST_AUTHOR.where(Post.id == Topic.last_post_id).scalar_subquery()
    ),
    with_expression(
        Topic.last_author_number,
        select(Pseudonym.number)
        .join(Post, _BY_LAST_AUTHOR)
        .where(Post.id == Topic.last_post_id)
        .scalar_subquery(),
    ),
    with_expression(
        Topic.last_author_chosen,
        select(Pseudonym.name)
        .join(Post, _BY_LAST_AUTHOR)
        .where(Post.id == Topic.last_post_id)
        .scalar_subquery(),
    ),
)


# A logged-in reader's page reads their marker, the post after it and their follow with the
# topic, rather than in statements of their own.
_MARKER = select(ReadMarker.last_read_number).where(
    ReadMarker.user_id == bindparam("reader_id"), ReadMarker.topic_id == Topic.id
)
_AFTER_MARKER = func.coalesce(
    select(ReadMarker.last_read_number)
    .where(ReadMarker.user_id == bindparam("reader_id"), ReadMarker.topic_id == Post.topic_id)
    .scalar_subquery(),
    0,
)
_TOPIC_FOR_READER = _TOPIC_TO_READ.options(
    with_expression(Topic.read_number, func.coalesce(_MARKER.scalar_subquery(), 0)),
    with_expression(
        Topic.first_unread_id,
        select(Post.id)
        .where(Post.topic_id == Topic.id, Post.number == _AFTER_MARKER + 1)
        .scalar_subquery(),
    ),
    with_expression(
        Topic.followed,
        exists().where(Follow.user_id == bindparam("reader_id"), Follow.topic_id == Topic.id),
    ),
)


def find_topic(topic_id: int, *, with_pages: bool = False, reader: User | None = None):
    """Return the topic and its dialogue; to read it, with pages, questions and last post, and
    for a logged-in reader (who implies with_pages) how far they have read it and whether they
    follow it (first_unread, topic.followed), all in one statement."""
    if reader is not None:
        params = {"topic_id": topic_id, "reader_id": reader.id}
        return db.session.execute(_TOPIC_FOR_READER, params).unique().scalar_one_or_none()
    query = _TOPIC_TO_READ if with_pages else _TOPIC
    return db.session.execute(query, {"topic_id": topic_id}).unique().scalar_one_or_none()


def _slug(title: str) -> str:
    slug = slugify(title) or "topic"
    return slug + "-topic" if slug in RESERVED_SLUGS else slug


def _check(title: str, framing: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise TopicError(_l("A topic needs a title."))
    if len(title) > TITLE_MAX:
        raise TopicError(_l("Titles have at most %(n)d characters.", n=TITLE_MAX))
    if not framing.strip():
        raise TopicError(_l("Write a framing text that opens the conversation."))
    if len(framing) > FRAMING_MAX:
        raise TopicError(_l("The framing has at most %(n)d characters.", n=FRAMING_MAX))
    return title


def _check_question(wording: str | None) -> str:
    wording = " ".join((wording or "").split())
    if len(wording) > QUESTION_MAX:
        raise TopicError(_l("A question has at most %(n)d characters.", n=QUESTION_MAX))
    return wording


def open_topic(
    dialogue: Dialogue, *, title: str, framing: str, questions: list[str], by: User
) -> Topic:
    """Open a topic in a dialogue with a framing text and 1 to 10 prompt questions."""
    title = _check(title, framing)
    wordings = [w for w in (_check_question(q) for q in questions) if w]
    if not 1 <= len(wordings) <= QUESTIONS_MAX:
        raise TopicError(_l("Ask between 1 and %(n)d prompt questions.", n=QUESTIONS_MAX))
    now = utcnow()
    topic = Topic(
        dialogue=dialogue,
        title=title,
        slug=_slug(title),
        author_id=by.id,
        created_at=now,
        last_activity_at=now,
        framing_source=framing,
        framing_html=_render(framing),
        render_version=text.RENDER_VERSION,
        question_count=len(wordings),
        page_starts=[],
    )
    topic.questions = [PromptQuestion(position=i, text=w) for i, w in enumerate(wordings)]
    db.session.add(topic)
    db.session.execute(
        plain_update(Dialogue)
        .where(Dialogue.id == dialogue.id)
        .values(topic_count=Dialogue.topic_count + 1, last_activity_at=now, changed_at=now)
    )
    db.session.flush()
    acts.topic_opened.send(topic, by=by)
    return topic


def edit_topic(topic: Topic, *, title: str, framing: str, questions: list[str], by: User) -> Topic:
    """Change a topic's title, framing and questions, keeping the old version as a revision.

    questions[i] is the new wording of question i (numbered from 0); extra entries add
    questions; an empty entry removes a question, which only an unanswered question allows.
    Answers keep pointing to their question whatever its new wording.
    """
    title = _check(title, framing)
    wordings = [_check_question(q) for q in questions]
    existing = list(topic.questions)
    revision = TopicRevision(
        topic_id=topic.id,
        editor_id=by.id,
        title=topic.title,
        framing_source=topic.framing_source,
        questions=[q.text for q in existing],
    )
    kept: list[PromptQuestion] = []
    for i, wording in enumerate(wordings):
        question = existing[i] if i < len(existing) else None
        if question is None:
            if wording:
                kept.append(PromptQuestion(text=wording, position=0))
        elif wording:
            question.text = wording
            kept.append(question)
        elif question.answer_count:
            raise TopicError(
                _l(
                    "Question %(n)d has answers, so it cannot be removed; change its wording.",
                    n=question.number,
                )
            )
    for question in existing[len(wordings) :]:
        if question.answer_count:
            raise TopicError(
                _l(
                    "Question %(n)d has answers, so it cannot be removed; change its wording.",
                    n=question.number,
                )
            )
    if not 1 <= len(kept) <= QUESTIONS_MAX:
        raise TopicError(_l("Ask between 1 and %(n)d prompt questions.", n=QUESTIONS_MAX))
    db.session.add(revision)
    for position, question in enumerate(kept):
        question.position = position
    topic.questions = kept
    topic.question_count = len(kept)
    topic.title = title
    topic.slug = _slug(title)
    topic.framing_source = framing
    topic.framing_html = _render(framing)
    topic.render_version = text.RENDER_VERSION
    topic.edited_at = utcnow()
    topic.edit_count += 1
    mark_changed(dialogue_id=topic.dialogue_id, topic_id=topic.id)
    db.session.flush()
    acts.topic_edited.send(topic, by=by)
    return topic


def topic_revisions(topic: Topic) -> list[tuple[TopicRevision, User]]:
    """The earlier versions of a topic's framing, newest first, with their editors."""
    return db.session.execute(
        select(TopicRevision, User)
        .join(User, User.id == TopicRevision.editor_id)
        .where(TopicRevision.topic_id == topic.id)
        .order_by(TopicRevision.id.desc())
    ).all()


def last_read_number(user: User, topic: Topic) -> int:
    """How far the user has read the topic (0 if never opened)."""
    marker = db.session.get(ReadMarker, (user.id, topic.id))
    return marker.last_read_number if marker else 0


def first_unread(topic: Topic) -> tuple[int, int | None]:
    """How far the reader has read the topic, and the id of the first post after that (or None).

    Read with the topic (find_topic(reader=...)), before the page marks anything read, so that
    "First new post" still points where the reader stopped.
    """
    if topic.first_unread_id is None:  # nothing after the marker: every post is read
        return topic.post_count, None
    return topic.read_number, topic.first_unread_id


def read_own_post(user: User, topic: Topic, number: int) -> None:
    """Count the author's new post as read when they had read every post before it."""
    mark_read(user, topic, read_before=last_read_number(user, topic), shown={number})


def mark_read(user: User, topic: Topic, *, read_before: int, shown: set[int]) -> bool:
    """Advance the read marker over the posts just shown, in one upsert; say if it moved.

    The marker is a post number below which everything has been seen, so it only moves across
    an unbroken run of shown posts: a new reply on another page stays new until it is shown.
    """
    number = read_before
    while number + 1 in shown:
        number += 1
    if number <= read_before:
        return False
    db.session.execute(
        _marking(db.engine.dialect.name),
        {"user_id": user.id, "topic_id": topic.id, "number": number, "now": utcnow()},
    )
    return True


@cache
def _marking(dialect: str):
    """mark_read's upsert, built once per dialect (building it cost more than running it)."""
    insert = (postgresql if dialect == "postgresql" else sqlite).insert
    statement = insert(ReadMarker).values(
        user_id=bindparam("user_id"),
        topic_id=bindparam("topic_id"),
        last_read_number=bindparam("number"),
        read_at=bindparam("now"),
    )
    higher = statement.excluded.last_read_number > ReadMarker.last_read_number
    return statement.on_conflict_do_update(
        index_elements=[ReadMarker.user_id, ReadMarker.topic_id],
        set_={
            "last_read_number": case(
                (higher, statement.excluded.last_read_number),
                else_=ReadMarker.last_read_number,
            ),
            "read_at": statement.excluded.read_at,
        },
    )


def list_topics(dialogue: Dialogue, *, user: User | None, page: int, per_page: int):
    """A page of the dialogue's topics, sticky first then by last activity, with last posts.

    Each row carries what a topic's card shows (plain values, so that the card can be kept
    under them: forum.topics.pieces), its last post's id, time and author, and (for a
    logged-in reader) how far they have read it.
    """
    from forum.summaries.models import Summary

    query = (
        select(
            Topic.id,
            Topic.slug,
            Topic.title,
            Topic.is_sticky,
            Topic.locked_at,
            Topic.post_count,
            Topic.question_count,
            Topic.created_at,
            Summary.id.label("summary_id"),
            Post.id.label("last_post_id"),
            Post.created_at.label("last_post_at"),
            *people.columns(User, Topic.dialogue_id, "last"),
        )
        .outerjoin(Post, Post.id == Topic.last_post_id)
        .outerjoin(User, User.id == Post.author_id)
        .outerjoin(Summary, (Summary.topic_id == Topic.id) & Summary.is_pinned)
        .where(Topic.dialogue_id == dialogue.id)
        .order_by(Topic.is_sticky.desc(), Topic.last_activity_at.desc(), Topic.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    if user is not None:
        query = query.add_columns(ReadMarker.last_read_number).outerjoin(
            ReadMarker, (ReadMarker.topic_id == Topic.id) & (ReadMarker.user_id == user.id)
        )
    rows = db.session.execute(query).all()
    return people.named(rows, "last", pseudonymous=dialogue.pseudonymous)
