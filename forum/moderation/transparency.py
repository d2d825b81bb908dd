"""Transparency numbers: per month and per dialogue, what moderation did, counted from the
public log itself (and from reports, which are private but counted), so the two never disagree.
"""

from collections import defaultdict
from datetime import date
from statistics import median

from sqlalchemy import func, select

from forum.dialogues.models import Dialogue
from forum.extensions import db
from forum.moderation.models import Action, LogEntry, Report
from forum.posts.models import Post
from forum.topics.models import Topic

# The log's actions counted, in the page's order. A reveal (behind a pseudonym) counts once
# the forum has the act.
COUNTED = [
    Action.hide,
    Action.restore,
    Action.lock,
    Action.suspend,
    *([Action("reveal")] if "reveal" in Action.__members__ else []),
    Action.appeal,
    Action.appeal_reversed,
]


def _month(column):
    """The UTC month of a time column as 'YYYY-MM', in SQL."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _place(months: dict, month: str, dialogue_id: int | None) -> dict:
    return months.setdefault(month, {}).setdefault(
        dialogue_id, {"counts": defaultdict(int), "reports": defaultdict(int), "waits": []}
    )


def numbers() -> list[dict]:
    """The months, newest first, each with its dialogues (None: acts on people, forum-wide):
    counts of the log's acts by action, reports by reason, and the median time from a report
    to its decision (reports decided that month)."""
    months: dict[str, dict] = {}
    month = _month(LogEntry.created_at)
    for at, dialogue_id, action, count in db.session.execute(
        select(month, LogEntry.dialogue_id, LogEntry.action, func.count())
        .where(LogEntry.action.in_(COUNTED))
        .group_by(month, LogEntry.dialogue_id, LogEntry.action)
    ):
        _place(months, at, dialogue_id)["counts"][action] += count
    month = _month(Report.created_at)
    for at, dialogue_id, reason, count in db.session.execute(
        select(month, Topic.dialogue_id, Report.reason, func.count())
        .join(Post, Post.id == Report.post_id)
        .join(Topic, Topic.id == Post.topic_id)
        .group_by(month, Topic.dialogue_id, Report.reason)
    ):
        _place(months, at, dialogue_id)["reports"][reason] += count
    for created_at, handled_at, dialogue_id in db.session.execute(
        select(Report.created_at, Report.handled_at, Topic.dialogue_id)
        .join(Post, Post.id == Report.post_id)
        .join(Topic, Topic.id == Post.topic_id)
        .where(Report.handled_at.is_not(None))
    ):
        waits = _place(months, f"{handled_at:%Y-%m}", dialogue_id)["waits"]
        waits.append(handled_at - created_at)
    ids = {i for dialogues in months.values() for i in dialogues if i is not None}
    titles = {
        row.id: row
        for row in db.session.execute(
            select(Dialogue.id, Dialogue.title, Dialogue.slug).where(Dialogue.id.in_(ids))
        )
    }
    return [
        {
            "month": date(int(key[:4]), int(key[5:7]), 1),
            "dialogues": [
                {
                    "dialogue": titles.get(dialogue_id),
                    "counts": dict(place["counts"]),
                    "reports": dict(place["reports"]),
                    "median_wait": median(place["waits"]) if place["waits"] else None,
                }
                for dialogue_id, place in sorted(
                    dialogues.items(),
                    key=lambda item: (item[0] is None, titles[item[0]].title if item[0] else ""),
                )
            ],
        }
        for key, dialogues in sorted(months.items(), reverse=True)
    ]
