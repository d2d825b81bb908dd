"""Conclusions: what the facilitators conclude under each prompt question, with revisions."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import aliased, selectinload

from forum import acts, people, text
from forum.accounts.models import User
from forum.changes import mark_changed
from forum.clock import utcnow
from forum.conclusions.models import Conclusion, ConclusionRevision
from forum.extensions import db
from forum.summaries.services import cite
from forum.topics.models import PromptQuestion, Topic

# A conclusion is a few sentences under its question, not a second summary.
SOURCE_MAX = 5000


class ConclusionError(ValueError):
    """A conclusion that cannot be saved as written, with a message for its writer."""


def find_question(topic: Topic, question_id: int) -> PromptQuestion | None:
    """The topic's prompt question with this id (None if it is another topic's, or none)."""
    return db.session.scalar(
        select(PromptQuestion).where(
            PromptQuestion.id == question_id, PromptQuestion.topic_id == topic.id
        )
    )


def find_conclusion(question: PromptQuestion) -> Conclusion | None:
    """The conclusion under a question, if one was written."""
    return db.session.scalar(select(Conclusion).where(Conclusion.question_id == question.id))


# Built once, like every statement on the topic page.
_OF_TOPICS = select(Conclusion).where(
    Conclusion.topic_id.in_(bindparam("topic_ids", expanding=True))
)


def conclusions_by_question(topic_ids) -> dict[int, Conclusion]:
    """The conclusions of these topics' questions (with their authors), by question id, in one
    query."""
    topic_ids = list(topic_ids)
    if not topic_ids:
        return {}
    found = db.session.scalars(_OF_TOPICS, {"topic_ids": topic_ids})
    return {conclusion.question_id: conclusion for conclusion in found}


_OTHER = aliased(Conclusion)
_CONCLUDED = (
    select(
        PromptQuestion.topic_id,
        PromptQuestion.id,
        PromptQuestion.position,
        PromptQuestion.text,
        Conclusion.html,
    )
    .outerjoin(Conclusion, Conclusion.question_id == PromptQuestion.id)
    .where(
        PromptQuestion.topic_id.in_(bindparam("topic_ids", expanding=True)),
        exists(select(_OTHER.id).where(_OTHER.topic_id == PromptQuestion.topic_id)),
    )
    .order_by(PromptQuestion.topic_id, PromptQuestion.position)
)


def concluded_questions(topic_ids) -> dict[int, tuple]:
    """For each of these topics that has a conclusion, its questions in order, each with the
    HTML of its conclusion (None where there is none yet): rows of (topic_id, id, position,
    text, html), in one query."""
    topic_ids = list(topic_ids)
    if not topic_ids:
        return {}
    questions: dict[int, list] = {}
    for row in db.session.execute(_CONCLUDED, {"topic_ids": topic_ids}):
        questions.setdefault(row.topic_id, []).append(row)
    return {topic_id: tuple(rows) for topic_id, rows in questions.items()}


def save_conclusion(question: PromptQuestion, *, source: str, by: User) -> Conclusion:
    """Write or rewrite the conclusion under a prompt question; the old text is kept."""
    if not source.strip():
        raise ConclusionError(_l("Write the conclusion before saving it."))
    if len(source) > SOURCE_MAX:
        raise ConclusionError(_l("A conclusion has at most %(n)d characters.", n=SOURCE_MAX))
    try:
        html = text.render(source)
    except text.TextRefused as exc:
        raise ConclusionError(*exc.args) from exc
    # The question's row lock (PostgreSQL): two facilitators saving at once take turns.
    db.session.execute(
        select(PromptQuestion.id).where(PromptQuestion.id == question.id).with_for_update()
    )
    topic = question.topic
    cited = cite(source, topic)
    conclusion = find_conclusion(question)
    was_cited = set(conclusion.cited_post_ids or ()) if conclusion is not None else set()
    if conclusion is None:
        conclusion = Conclusion(
            question_id=question.id, topic_id=topic.id, author_id=by.id, source=source, html=""
        )
        db.session.add(conclusion)
    elif conclusion.source != source:
        db.session.add(
            ConclusionRevision(
                conclusion_id=conclusion.id, editor_id=by.id, source=conclusion.source
            )
        )
        conclusion.edit_count += 1
    conclusion.source = source
    conclusion.html = html
    conclusion.render_version = text.RENDER_VERSION
    conclusion.cited_post_ids = cited
    conclusion.updated_at = utcnow()
    # Its writer appears in a pseudonymous dialogue under a pseudonym, like any writer there.
    people.enter(topic.dialogue, by)
    mark_changed(dialogue_id=topic.dialogue_id, topic_id=topic.id)
    db.session.flush()
    newly_cited = [post_id for post_id in cited if post_id not in was_cited]
    acts.conclusion_written.send(conclusion, by=by, newly_cited=newly_cited)
    return conclusion


def revisions(conclusion: Conclusion) -> list[ConclusionRevision]:
    """The conclusion's earlier versions, newest first."""
    return list(
        db.session.scalars(
            select(ConclusionRevision)
            .options(selectinload(ConclusionRevision.editor))
            .where(ConclusionRevision.conclusion_id == conclusion.id)
            .order_by(ConclusionRevision.id.desc())
        )
    )
