"""How far a summary or a conclusion has fallen behind the conversation, for those who edit it.

Beside a text it may edit, a facilitator sees how many posts were written since the text was
last edited, which of the posts it cites were edited, hidden or emptied since, and how many of
the people who took part it cites, naming those it does not (as the dialogue shows them:
forum.people). Whoever wrote only hidden or emptied posts has nothing left to cite, and does
not count. For a topic's summary the people are the topic's writers; for a conclusion, those
who answered its question; for a dialogue's summary, the writers of all its topics.

Two queries, whatever the number of posts, people and texts: one counts the visible posts by
author (and question), with the authors' names; one reads the cited posts. Nobody else pays
for it: the pages ask only when the reader may edit the text.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, literal, select

from forum import people
from forum.accounts.models import User
from forum.extensions import db
from forum.posts.models import Post
from forum.topics.models import Topic

_VISIBLE = (Post.hidden_at.is_(None), Post.removed_at.is_(None))


@dataclass(frozen=True)
class ChangedPost:
    """A cited post that changed after the text citing it was last edited."""

    post_id: int
    edited: bool
    hidden: bool
    removed: bool  # its author removed its text when they deleted their account


@dataclass(frozen=True)
class Staleness:
    """What a text's editor should know before trusting it still."""

    since: int  # visible posts written since the text was last edited
    changed: tuple[ChangedPost, ...]
    participants: int
    cited: int  # participants with a visible post it cites
    not_cited: tuple[str, ...]  # the others' names, as the dialogue shows them, sorted

    @property
    def is_stale(self) -> bool:
        return bool(self.since or self.changed)


def of_topic(topic: Topic, summary, conclusions: dict) -> dict:
    """The staleness of a topic's summary (under "summary", if it is given) and of the given
    conclusions of its questions (under their question ids)."""
    if summary is None and not conclusions:
        return {}
    since_summary = literal(0)
    if summary is not None:
        since_summary = _since(Post.created_at > summary.updated_at)
    since_conclusion = literal(0)
    if conclusions:
        edited = case(
            {question_id: c.updated_at for question_id, c in conclusions.items()},
            value=Post.prompt_id,
        )
        since_conclusion = _since(Post.created_at > edited)
    counts = (
        select(
            Post.author_id,
            Post.prompt_id,
            since_summary.label("since_summary"),
            since_conclusion.label("since_conclusion"),
        )
        .where(Post.topic_id == topic.id, *_VISIBLE)
        .group_by(Post.author_id, Post.prompt_id)
    )
    rows = _with_names(counts, topic.dialogue)
    texts = ([summary] if summary is not None else []) + list(conclusions.values())
    posts = _cited_posts(texts)
    found = {}
    if summary is not None:
        found["summary"] = _figures(
            summary, sum(row.since_summary for row, _ in rows), _names(rows), posts
        )
    for question_id, conclusion in conclusions.items():
        answers = [(row, name) for row, name in rows if row.prompt_id == question_id]
        found[question_id] = _figures(
            conclusion, sum(row.since_conclusion for row, _ in answers), _names(answers), posts
        )
    return found


def of_dialogue(dialogue, summary) -> Staleness:
    """The staleness of a dialogue's summary, across all the dialogue's topics."""
    counts = (
        select(Post.author_id, _since(Post.created_at > summary.updated_at).label("since"))
        .where(
            Post.topic_id.in_(select(Topic.id).where(Topic.dialogue_id == dialogue.id)),
            *_VISIBLE,
        )
        .group_by(Post.author_id)
    )
    rows = _with_names(counts, dialogue)
    posts = _cited_posts([summary])
    return _figures(summary, sum(row.since for row, _ in rows), _names(rows), posts)


def _since(condition):
    return func.sum(case((condition, 1), else_=0))


def _with_names(counts, dialogue) -> list[tuple]:
    """The rows of counts (by Post.author_id), each with its author's name in the dialogue."""
    counts = counts.subquery()
    query = select(counts, *people.columns(User, dialogue.id, "person")).join(
        User, User.id == counts.c.author_id
    )
    return [
        (row, people.of_row(row, "person", pseudonymous=dialogue.pseudonymous).name)
        for row in db.session.execute(query)
    ]


def _names(rows) -> dict[int, str]:
    return {row.author_id: name for row, name in rows}


def _cited_posts(texts) -> dict:
    ids = {post_id for text in texts for post_id in (text.cited_post_ids or ())}
    if not ids:
        return {}
    query = select(Post.id, Post.author_id, Post.edited_at, Post.hidden_at, Post.removed_at).where(
        Post.id.in_(ids)
    )
    return {row.id: row for row in db.session.execute(query)}


def _after(moment: datetime | None, edited_at: datetime) -> bool:
    return moment is not None and moment > edited_at


def _figures(text, since: int, participants: dict[int, str], posts: dict) -> Staleness:
    edited_at = text.updated_at
    cites = [posts[post_id] for post_id in text.cited_post_ids or () if post_id in posts]
    changed = []
    for post in cites:
        flags = [
            _after(moment, edited_at)
            for moment in (post.edited_at, post.hidden_at, post.removed_at)
        ]
        if any(flags):
            changed.append(ChangedPost(post.id, *flags))
    cited = {
        post.author_id for post in cites if post.hidden_at is None and post.removed_at is None
    } & participants.keys()
    others = sorted(
        (name for author, name in participants.items() if author not in cited), key=str.casefold
    )
    return Staleness(
        since=int(since or 0),
        changed=tuple(changed),
        participants=len(participants),
        cited=len(cited),
        not_cited=tuple(others),
    )
