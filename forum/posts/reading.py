"""The posts of one page of a topic, with their authors, in one query."""

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import aliased

from forum import people
from forum.accounts.models import User
from forum.extensions import db
from forum.posts import threads
from forum.posts.models import Post
from forum.topics.models import Topic

PAGE_SIZE = threads.PAGE_SIZE


def _select_rows() -> Select:
    parent = aliased(Post)
    parent_author = aliased(User)
    return (
        select(
            Post.id,
            Post.topic_id,
            Post.number,
            Post.parent_id,
            Post.depth,
            Post.author_id,
            Post.subject,
            Post.prompt_id,
            Post.body_html,
            Post.content_note,
            Post.created_at,
            Post.edit_count,
            Post.hidden_at,
            Post.hidden_reason,
            Post.removed_at,
            User.organisation.label("author_organisation"),
            *people.columns(User, bindparam("dialogue_id"), "author"),
            *people.columns(parent_author, bindparam("dialogue_id"), "parent"),
        )
        .join(User, User.id == Post.author_id)
        .outerjoin(parent, parent.id == Post.parent_id)
        .outerjoin(parent_author, parent_author.id == parent.author_id)
    )


# Built once: making the aliases and the statement on every request cost more than the query.
ROWS = _select_rows()


def _read(topic: Topic, query) -> list:
    """The rows, each author shown as the dialogue shows them (forum.people)."""
    rows = db.session.execute(query, {"dialogue_id": topic.dialogue_id}).all()
    return people.named(rows, "author", "parent", pseudonymous=topic.dialogue.pseudonymous)


def page_count(total: int) -> int:
    """How many pages of PAGE_SIZE hold total posts (at least one)."""
    return max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)


def threaded(topic: Topic, page: int) -> list:
    """The posts of one page of the threaded view, in tree order."""
    if not 1 <= page <= len(topic.page_starts):
        return []
    first, end = threads.page_range(topic.page_starts, page)
    if end is None:
        # The last page: still a bounded range, or PostgreSQL, seeing every later topic's
        # paths above `first`, plans a scan of thousands of rows. No thread of this topic
        # starts after its newest post.
        end = threads.segment(topic.last_post_id + 1)
    query = ROWS.where(Post.topic_id == topic.id, Post.path >= first, Post.path < end)
    return _read(topic, query.order_by(Post.path))


def flat(topic: Topic, page: int) -> list:
    """The posts of one page of the chronological view."""
    first = (page - 1) * PAGE_SIZE + 1
    query = ROWS.where(
        Post.topic_id == topic.id, Post.number >= first, Post.number < first + PAGE_SIZE
    )
    return _read(topic, query.order_by(Post.number))


def answering(topic: Topic, prompt_id: int, page: int) -> list:
    """One page of the posts that answer a prompt question, oldest first.

    The page's first number is found on the (topic_id, prompt_id, number) index alone; only
    then are the page's rows read, so a deep page never reads the rows before it.
    """
    criteria = (Post.topic_id == topic.id, Post.prompt_id == prompt_id)
    first = db.session.scalar(
        select(Post.number)
        .where(*criteria)
        .order_by(Post.number)
        .limit(1)
        .offset((page - 1) * PAGE_SIZE)
    )
    if first is None:
        return []
    query = ROWS.where(*criteria, Post.number >= first).order_by(Post.number).limit(PAGE_SIZE)
    return _read(topic, query)
