"""Posts: replying, quoting, editing with revisions, finding a post's page, re-rendering."""

import re
from collections.abc import Callable
from datetime import timedelta

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from forum import acts, people, text
from forum.accounts.models import User
from forum.changes import mark_changed, mark_rerendered
from forum.clock import shown, utcnow
from forum.config import LANGUAGES
from forum.database import plain_update
from forum.dialogues.models import Dialogue
from forum.dialogues.services import newer_last_post
from forum.extensions import db
from forum.permissions import can, reply_refusal
from forum.posts import notes, threads
from forum.posts.models import OTHER_LANGUAGE, Post, PostRevision
from forum.posts.visibility import seen
from forum.topics.models import PromptQuestion, Topic
from forum.topics.services import read_own_post

SUBJECT_MAX = 200
# The languages a post may be written in: the forum's, whose words search stems, or another.
POST_LANGUAGES = (*LANGUAGES, OTHER_LANGUAGE)
BODY_MAX = text.MAX_LENGTH


class PostError(ValueError):
    """A post that cannot be written as asked, with a message for its author."""


def _check(subject: str, body: str) -> str:
    subject = " ".join((subject or "").split())
    if len(subject) > SUBJECT_MAX:
        raise PostError(_l("Subject lines have at most %(n)d characters.", n=SUBJECT_MAX))
    if not body.strip():
        raise PostError(_l("Write something before posting."))
    if len(body) > BODY_MAX:
        raise PostError(
            _l(
                "A post has at most %(n)d characters; this one has %(length)d.",
                n=BODY_MAX,
                length=len(body),
            )
        )
    return subject


def _note(note: str | None) -> str:
    try:
        return notes.check_note(note)
    except notes.NoteRefused as exc:
        raise PostError(*exc.args) from exc


def _render(body: str) -> str:
    try:
        return text.render(body)
    except text.TextRefused as exc:
        raise PostError(*exc.args) from exc


def _prompt_in(topic: Topic, prompt_id: int | None) -> PromptQuestion | None:
    if prompt_id is None:
        return None
    prompt = db.session.get(PromptQuestion, prompt_id)
    if prompt is None or prompt.topic_id != topic.id:
        raise PostError(_l("This prompt question is not part of the topic."))
    return prompt


def _language(language: str | None, by: User) -> str:
    if language is None:
        return by.locale if by.locale in LANGUAGES else "en"
    if language not in POST_LANGUAGES:
        raise PostError(_l("Choose the language of your post from the list."))
    return language


def find_post(post_id: int) -> Post | None:
    """Return the post with this id."""
    return db.session.get(Post, post_id)


def reply(
    topic: Topic,
    *,
    by: User,
    body: str,
    subject: str = "",
    prompt_id: int | None = None,
    parent_id: int | None = None,
    content_note: str = "",
    language: str | None = None,
) -> Post:
    """Add a reply to a topic, or under one of its posts, and update every count it changes.

    Its language (what search stems it as) is the writer's interface language unless given.
    The topic row is written first, so concurrent replies to one topic take turns; on
    PostError the caller must roll back.
    """
    subject = _check(subject, body)
    language = _language(language, by)
    content_note = _note(content_note)
    now = utcnow()
    number = db.session.execute(
        plain_update(Topic)
        .where(Topic.id == topic.id)
        .values(post_count=Topic.post_count + 1, last_activity_at=now, changed_at=now)
        .returning(Topic.post_count)
    ).scalar_one()
    db.session.refresh(topic)
    db.session.refresh(topic.dialogue)
    refusal = reply_refusal(by, topic)
    if refusal:
        raise PostError(refusal)
    _check_pace(topic, by, now)
    parent = None
    if parent_id is not None:
        parent = db.session.get(Post, parent_id)
        if parent is None or parent.topic_id != topic.id:
            raise PostError(_l("The post you are replying to is not in this topic."))
    prompt = _prompt_in(topic, prompt_id)
    html = _render(body)
    post = Post(
        topic_id=topic.id,
        number=number,
        parent_id=parent_id,
        path="",
        author_id=by.id,
        subject=subject,
        prompt_id=prompt.id if prompt else None,
        body_source=body,
        body_html=html,
        content_note=content_note,
        language=language,
        render_version=text.RENDER_VERSION,
        created_at=now,
    )
    db.session.add(post)
    db.session.flush()
    post.path, post.depth = threads.place(post.id, parent)
    root_path = post.path[: threads.WIDTH]
    if parent is not None:
        db.session.execute(
            plain_update(Post)
            .where(Post.topic_id == topic.id, Post.path == root_path)
            .values(thread_size=Post.thread_size + 1)
        )
    if prompt is not None:
        db.session.execute(
            plain_update(PromptQuestion)
            .where(PromptQuestion.id == prompt.id)
            .values(answer_count=PromptQuestion.answer_count + 1)
        )
    db.session.execute(
        plain_update(Dialogue)
        .where(Dialogue.id == topic.dialogue_id)
        .values(
            post_count=Dialogue.post_count + 1,
            last_post_id=newer_last_post(post.id),
            last_activity_at=now,
            changed_at=now,
        )
    )
    topic.last_post_id = post.id
    db.session.flush()
    topic.page_starts = threads.compute_page_starts(topic.id, topic.page_starts, root_path)
    read_own_post(by, topic, number)
    db.session.flush()
    acts.post_written.send(post, by=by)
    return post


def _check_pace(topic: Topic, by: User, now) -> None:
    """In slow mode, refuse a participant's reply that comes too soon after their last one."""
    if not topic.is_slow or can("moderate_topic", topic, user=by):
        return
    last = db.session.scalar(
        select(func.max(Post.created_at)).where(Post.topic_id == topic.id, Post.author_id == by.id)
    )
    if last is None:
        return
    allowed_at = last + timedelta(minutes=topic.slow_minutes)
    if now < allowed_at:
        raise PostError(
            _l(
                "This topic is in slow mode: you may post here again at %(time)s.",
                time=shown(allowed_at),
            )
        )


def said(post: Post, passage: str) -> bool:
    """Say whether the post really says this passage (in its source or as it reads on the page)."""
    words = " ".join(passage.split())
    if not words:
        return False
    source = " ".join(post.body_source.split())
    return words in source or words in text.cleaned(post.body_html).striptags()


def first_paragraph(source: str) -> str:
    """The first paragraph of a Markdown text that is not itself a quotation."""
    paragraphs = [p for p in re.split(r"\n\s*\n", source.strip()) if p.strip()]
    return next((p for p in paragraphs if not p.lstrip().startswith(">")), source.strip())


def quotation(post: Post, passage: str | None = None) -> str:
    """The Markdown that quotes a post under a reply, attributed in the writer's language.

    It quotes the passage chosen if the post really says it (nobody puts words in another's
    mouth), else the post's first paragraph, short to trim. A hidden post quotes nothing; a
    post's content note comes with its words, before them.
    """
    if not seen(post, moderator=False).body_source:
        return ""
    chosen = passage if passage and said(post, passage) else first_paragraph(post.body_source)
    lines = chosen.strip().splitlines()
    quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in lines)
    header = gettext("%(name)s wrote:", name=text.literal(people.name_in(post, post.author)))
    if post.content_note:
        quoted = f"> *{text.literal(notes.heading(post.content_note))}*\n>\n{quoted}"
    return f"> **{header}**\n>\n{quoted}\n\n"


def edit_post(
    post: Post,
    *,
    by: User,
    body: str,
    subject: str = "",
    prompt_id: int | None = None,
    content_note: str | None = None,
    language: str | None = None,
) -> Post:
    """Change a post, keeping what it said before as a revision (no content_note or language:
    keep it)."""
    subject = _check(subject, body)
    note = post.content_note if content_note is None else _note(content_note)
    language = post.language if language is None else _language(language, by)
    prompt = _prompt_in(post.topic, prompt_id)
    new_prompt_id = prompt.id if prompt else None
    now = (subject, body, new_prompt_id, note)
    if now == (post.subject, post.body_source, post.prompt_id, post.content_note):
        if language != post.language:  # what it says is the same: no revision to keep
            post.language = language
            mark_changed(dialogue_id=post.topic.dialogue_id, topic_id=post.topic_id)  # the API
            acts.post_edited.send(post, by=by)
        return post
    keep_revision(post, by=by)
    if new_prompt_id != post.prompt_id:
        for question_id, change in ((post.prompt_id, -1), (new_prompt_id, 1)):
            if question_id is not None:
                db.session.execute(
                    plain_update(PromptQuestion)
                    .where(PromptQuestion.id == question_id)
                    .values(answer_count=PromptQuestion.answer_count + change)
                )
    post.subject = subject
    post.body_source = body
    post.body_html = _render(body)
    post.render_version = text.RENDER_VERSION
    post.prompt_id = new_prompt_id
    post.content_note = note
    post.language = language
    mark_changed(dialogue_id=post.topic.dialogue_id, topic_id=post.topic_id)
    db.session.flush()
    acts.post_edited.send(post, by=by)
    return post


def keep_revision(post: Post, *, by: User) -> None:
    """Keep what a post says now as a revision, before `by` changes it; count the edit."""
    db.session.add(
        PostRevision(
            post_id=post.id,
            editor_id=by.id,
            subject=post.subject,
            prompt_id=post.prompt_id,
            body_source=post.body_source,
            content_note=post.content_note,
        )
    )
    post.edited_at = utcnow()
    post.edit_count += 1


def revisions(post: Post) -> list[PostRevision]:
    """The earlier versions of a post, newest first, with their editors."""
    return list(
        db.session.scalars(
            select(PostRevision)
            .options(selectinload(PostRevision.editor))
            .where(PostRevision.post_id == post.id)
            .order_by(PostRevision.id.desc())
        )
    )


def page_of_post(post: Post) -> int:
    """The page of its topic's threaded view on which a post is shown."""
    starts = db.session.scalar(select(Topic.page_starts).where(Topic.id == post.topic_id))
    return threads.page_of(starts or [], post.path)


def post_by_number(topic: Topic, number: int) -> Post | None:
    """The topic's post with this number."""
    return db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.number == number))


def _rendered():
    """Every stored rendering: (name, model, source column, html column)."""
    from forum.pages.models import ConductText
    from forum.summaries.models import Summary

    return [
        ("dialogue", Dialogue, Dialogue.description_source, Dialogue.description_html),
        ("topic", Topic, Topic.framing_source, Topic.framing_html),
        ("post", Post, Post.body_source, Post.body_html),
        ("summary", Summary, Summary.source, Summary.html),
        ("conduct", ConductText, ConductText.source, ConductText.html),
    ]


def stale_counts() -> dict[str, int]:
    """How many stored texts of each kind were rendered by an older pipeline."""
    version = text.RENDER_VERSION
    return {
        name: db.session.scalar(
            select(func.count()).select_from(model).where(model.render_version < version)
        )
        for name, model, *_ in _rendered()
    }


def rerender(*, batch: int = 500, progress: Callable[[int], None] = lambda n: None) -> int:
    """Refresh the stored HTML of everything an older pipeline rendered; return how many.

    A stored text too complex for the pipeline's budget becomes plain paragraphs (render_stored).
    """
    version = text.RENDER_VERSION
    done = 0
    for _name, model, source, html in _rendered():
        key = model.__mapper__.primary_key[0]
        last = None
        while True:
            query = select(key, source).where(model.render_version < version)
            if last is not None:
                query = query.where(key > last)
            rows = db.session.execute(query.order_by(key).limit(batch)).all()
            if not rows:
                break
            for row_key, row_source in rows:
                db.session.execute(
                    plain_update(model)
                    .where(key == row_key)
                    .values({html: text.render_stored(row_source), model.render_version: version})
                )
            mark_rerendered(model, [row[0] for row in rows])  # the pages and feeds showing them
            db.session.commit()
            last = rows[-1][0]
            done += len(rows)
            progress(len(rows))
    return done
