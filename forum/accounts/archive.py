"""One's own data: everything the forum holds about a person, as a zip of JSON and Markdown.

The JSON (data.json) is for programs, complete and exact; the Markdown (posts.md) is for
reading: every post with its earlier versions, under its dialogue and topic. The archive holds
only what is the person's own: their profile, logins (when, never where from: the forum keeps
no client address), posts with their history, topics, summaries and conclusions they wrote,
reports and appeals they made, their notifications, follows, pseudonyms and facilitator roles,
and the moderation acts that concern them. Other people appear only as the dialogue shows them.
"""

import io
import json
import zipfile
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from forum.accounts.models import ProfileChoice, User, UserSession
from forum.clock import utcnow
from forum.conclusions.models import Conclusion
from forum.dialogues.models import Dialogue, Facilitator, Pseudonym
from forum.extensions import db
from forum.mail.services import absolute_url
from forum.moderation.models import Appeal, LogEntry, Report
from forum.notifications.models import Follow, Notification
from forum.posts.models import Post, PostRevision
from forum.summaries.models import Summary
from forum.topics.models import PromptQuestion, Topic

PROFILE = (
    "username", "email", "email_confirmed_at", "display_name", "organisation", "country", "bio",
    "locale", "timezone", "role", "created_at", "suspended_at", "suspended_until",
    "suspension_reason", "follows_own_topics", "mail_mode", "opens_noted_posts", "digest_sent_at",
)  # fmt: skip


def _value(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") + "Z"
    if hasattr(value, "value"):  # an enum
        return value.value
    return value


def _row(thing, *names: str) -> dict:
    return {name: _value(getattr(thing, name)) for name in names}


def _declared(user: User) -> dict:
    """The role and region the person declared (the participation pages count them in groups)."""

    def label(choice_id: int | None) -> str | None:
        choice = db.session.get(ProfileChoice, choice_id) if choice_id else None
        return choice.label if choice else None

    return {
        "declared_role": label(user.declared_role_id),
        "declared_region": label(user.declared_region_id),
    }


def collect(user: User) -> dict:
    """Everything the forum holds about the person, as plain data."""
    uid = user.id
    posts = []
    rows = db.session.execute(
        select(Post, Topic.title, Dialogue.title.label("dialogue"), PromptQuestion.text)
        .join(Topic, Topic.id == Post.topic_id)
        .join(Dialogue, Dialogue.id == Topic.dialogue_id)
        .outerjoin(PromptQuestion, PromptQuestion.id == Post.prompt_id)
        .where(Post.author_id == uid)
        .order_by(Post.id)
    ).all()
    revisions: dict[int, list] = {}
    for revision in db.session.scalars(
        select(PostRevision)
        .where(PostRevision.post_id.in_(select(Post.id).where(Post.author_id == uid)))
        .order_by(PostRevision.id)
    ):
        revisions.setdefault(revision.post_id, []).append(
            _row(revision, "created_at", "subject", "body_source", "content_note")
        )
    for post, topic, dialogue, question in rows:
        posts.append(
            {
                "id": post.id,
                "url": absolute_url("posts.show", post_id=post.id),
                "dialogue": dialogue,
                "topic": topic,
                "question": question,
                "in_reply_to": post.parent_id,
                **_row(post, "subject", "body_source", "content_note", "created_at", "edited_at"),
                "hidden": _row(post, "hidden_at", "hidden_reason") if post.hidden_at else None,
                "earlier_versions": revisions.get(post.id, []),
            }
        )
    topics = db.session.scalars(
        select(Topic)
        .where(Topic.author_id == uid)
        .order_by(Topic.id)
        .options(selectinload(Topic.questions))
    )
    summaries = db.session.scalars(
        select(Summary).where(Summary.author_id == uid).order_by(Summary.id)
    )
    return {
        "made_at": _value(utcnow()),
        "forum": absolute_url("pages.index"),
        "profile": {**_row(user, *PROFILE), **_declared(user)},
        "logins": [
            _row(login, "created_at", "expires_at")
            for login in db.session.scalars(
                select(UserSession).where(UserSession.user_id == uid).order_by(UserSession.id)
            )
        ],
        "posts": posts,
        "topics_opened": [
            {
                "url": absolute_url("topics.show", topic_id=topic.id),
                "dialogue": topic.dialogue.title,
                **_row(topic, "title", "framing_source", "created_at", "edited_at"),
                "questions": [question.text for question in topic.questions],
            }
            for topic in topics
        ],
        "summaries_written": [
            {
                "topic_id": summary.topic_id,
                "dialogue_id": summary.dialogue_id,
                **_row(summary, "source", "created_at", "updated_at"),
            }
            for summary in summaries
        ],
        "conclusions_written": [
            _row(conclusion, "topic_id", "question_id", "source", "created_at", "updated_at")
            for conclusion in db.session.scalars(
                select(Conclusion).where(Conclusion.author_id == uid).order_by(Conclusion.id)
            )
        ],
        "reports_made": [
            _row(report, "post_id", "reason", "note", "created_at", "status", "resolution_note")
            for report in db.session.scalars(
                select(Report).where(Report.reporter_id == uid).order_by(Report.id)
            )
        ],
        "appeals_made": [
            {
                "act": appeal.entry.action.value,
                **_row(appeal, "statement", "created_at", "outcome", "decided_at"),
                "decision_reason": appeal.decision_reason,
            }
            for appeal in db.session.scalars(
                select(Appeal)
                .where(Appeal.appellant_id == uid)
                .order_by(Appeal.id)
                .options(joinedload(Appeal.entry))
            )
        ],
        "moderation_concerning_you": [
            _row(entry, "action", "created_at", "reason", "rule", "post_id", "topic_id")
            for entry in db.session.scalars(
                select(LogEntry)
                .where(
                    or_(
                        LogEntry.target_user_id == uid,
                        LogEntry.post_id.in_(select(Post.id).where(Post.author_id == uid)),
                    )
                )
                .order_by(LogEntry.id)
            )
        ],
        "notifications": [
            _row(n, "kind", "created_at", "read_at", "post_id", "topic_id", "dialogue_id", "reason")
            for n in db.session.scalars(
                select(Notification).where(Notification.user_id == uid).order_by(Notification.id)
            )
        ],
        "follows": [
            _row(follow, "topic_id", "dialogue_id", "created_at")
            for follow in db.session.scalars(
                select(Follow).where(Follow.user_id == uid).order_by(Follow.id)
            )
        ],
        "pseudonyms": [
            {"dialogue": title, "number": own.number, "chosen_name": own.name}
            for own, title in db.session.execute(
                select(Pseudonym, Dialogue.title)
                .join(Dialogue, Dialogue.id == Pseudonym.dialogue_id)
                .where(Pseudonym.user_id == uid)
                .order_by(Dialogue.id)
            )
        ],
        "facilitates": [
            {"dialogue": title, "since": _value(role.assigned_at)}
            for role, title in db.session.execute(
                select(Facilitator, Dialogue.title)
                .join(Dialogue, Dialogue.id == Facilitator.dialogue_id)
                .where(Facilitator.user_id == uid)
            )
        ],
    }


def markdown(data: dict) -> str:
    """The posts of the archive as one Markdown text to read, grouped by dialogue and topic."""
    profile = data["profile"]
    lines = [
        f"# {profile['display_name']} ({profile['username']})",
        "",
        f"Everything you wrote on {data['forum']}, as of {data['made_at']}. "
        "data.json holds this and the rest of your data.",
    ]
    place = None
    for post in data["posts"]:
        if (post["dialogue"], post["topic"]) != place:
            place = (post["dialogue"], post["topic"])
            lines += ["", f"## {post['dialogue']}: {post['topic']}"]
        lines += ["", f"### {post['subject'] or 'Post ' + str(post['id'])}", ""]
        lines.append(f"{post['created_at']} · {post['url']}")
        if post["question"]:
            lines.append(f"Answers: {post['question']}")
        if post["hidden"]:
            lines.append(f"Hidden by the moderators: {post['hidden']['hidden_reason']}")
        if post["content_note"]:
            lines.append(f"Content note: {post['content_note']}")
        lines += ["", post["body_source"]]
        for number, earlier in enumerate(post["earlier_versions"], 1):
            lines += ["", f"#### Version {number}, before {earlier['created_at']}", ""]
            lines.append(earlier["body_source"])
    return "\n".join(lines) + "\n"


def archive(user: User) -> bytes:
    """The person's data as a zip: data.json and posts.md."""
    data = collect(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        bundle.writestr("posts.md", markdown(data))
    return buffer.getvalue()
