"""Writing the conclusion under a prompt question, and reading its history."""

from flask import Blueprint, abort, flash, redirect, render_template
from flask_babel import gettext as _
from flask_login import current_user

from forum import changes, text
from forum.conclusions import services
from forum.conclusions.forms import ConclusionForm
from forum.extensions import db
from forum.forms import form_page
from forum.kept import conditional
from forum.permissions import require
from forum.summaries import staleness
from forum.topics.links import topic_url
from forum.topics.services import find_topic

bp = Blueprint("conclusions", __name__)


def _question(topic_id: int, question_id: int):
    """The topic and its question, or 404 (a question of another topic too)."""
    topic = find_topic(topic_id) or abort(404)
    question = services.find_question(topic, question_id) or abort(404)
    return topic, question


@bp.route("/t/<int:topic_id>/questions/<int:question_id>/conclusion", methods=["GET", "POST"])
def edit(topic_id: int, question_id: int):
    """Write or edit the conclusion under a prompt question, preview it (facilitators)."""
    topic, question = _question(topic_id, question_id)
    require("summarise", topic)
    conclusion = services.find_conclusion(question)
    form = ConclusionForm(source=conclusion.source if conclusion else "")
    preview = None
    if form.validate_on_submit():
        if form.preview.data:
            preview = text.render(form.source.data)
        else:
            try:
                services.save_conclusion(question, source=form.source.data, by=current_user)
            except services.ConclusionError as exc:
                db.session.rollback()
                form.source.errors.append(str(exc))
            else:
                db.session.commit()
                flash(_("The conclusion is saved."), "success")
                return redirect(topic_url(topic, _anchor=f"conclusion-{question.id}"))
    stale = None
    if conclusion is not None:
        stale = staleness.of_topic(topic, None, {question.id: conclusion})[question.id]
    return form_page(
        "conclusions/edit.html",
        form,
        topic=topic,
        question=question,
        conclusion=conclusion,
        preview=preview,
        stale=stale,
    )


@bp.get("/t/<int:topic_id>/questions/<int:question_id>/conclusion/history")
@conditional(changes.conclusion_page)
def history(topic_id: int, question_id: int):
    """The earlier versions of the conclusion under a prompt question."""
    topic, question = _question(topic_id, question_id)
    conclusion = services.find_conclusion(question) or abort(404)
    return render_template(
        "conclusions/history.html",
        topic=topic,
        question=question,
        conclusion=conclusion,
        revisions=services.revisions(conclusion),
    )
