"""Writing, pinning, unpinning and reading the history of summaries."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum import text
from forum.dialogues.services import find_dialogue
from forum.extensions import db
from forum.forms import form_page
from forum.moderation.services import ModerationError
from forum.permissions import require
from forum.summaries import services, staleness
from forum.summaries.forms import SummaryForm
from forum.topics.links import topic_url
from forum.topics.models import Topic
from forum.topics.services import find_topic

bp = Blueprint("summaries", __name__)


def _target(topic_id: int | None, slug: str | None):
    """The topic (by id) or dialogue (by slug) a summary belongs to, and its address."""
    if topic_id is not None:
        topic = find_topic(topic_id) or abort(404)
        return topic, topic_url(topic)
    dialogue = find_dialogue(slug) or abort(404)
    return dialogue, url_for("dialogues.show", slug=dialogue.slug)


def _routes(rule: str, **options):
    """Register a view for a topic's summary and for a dialogue's."""

    def register(view):
        bp.route("/t/<int:topic_id>" + rule, defaults={"slug": None}, **options)(view)
        bp.route("/d/<slug>" + rule, defaults={"topic_id": None}, **options)(view)
        return view

    return register


@_routes("/summary", methods=["GET", "POST"])
def edit(topic_id: int | None, slug: str | None):
    """Write or edit the summary of a topic or dialogue, preview it, pin it (facilitators)."""
    target, back = _target(topic_id, slug)
    require("summarise", target)
    summary = services.find_summary(target)
    form = SummaryForm(
        source=summary.source if summary else "",
        pinned=summary.is_pinned if summary else True,
    )
    preview = None
    if form.validate_on_submit():
        if form.preview.data:
            preview = text.render(form.source.data)
        else:
            try:
                services.save_summary(
                    target, source=form.source.data, pinned=form.pinned.data, by=current_user
                )
            except ModerationError as exc:
                db.session.rollback()
                form.source.errors.append(str(exc))
            else:
                db.session.commit()
                flash(_("The summary is saved."), "success")
                return redirect(back + "#summary")
    stale = None
    if summary is not None:
        if isinstance(target, Topic):
            stale = staleness.of_topic(target, summary, {})["summary"]
        else:
            stale = staleness.of_dialogue(target, summary)
    return form_page(
        "summaries/edit.html",
        form,
        target=target,
        back=back,
        preview=preview,
        summary=summary,
        stale=stale,
    )


@_routes("/summary/unpin", methods=["POST"])
def unpin(topic_id: int | None, slug: str | None):
    """Take the summary down from above the conversation (facilitators)."""
    target, back = _target(topic_id, slug)
    require("summarise", target)
    try:
        services.unpin_summary(target, by=current_user)
    except ModerationError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(back)
    db.session.commit()
    flash(_("The summary is unpinned."), "success")
    return redirect(back)


@_routes("/summary/history", methods=["GET"])
def history(topic_id: int | None, slug: str | None):
    """The earlier versions of a summary."""
    target, back = _target(topic_id, slug)
    summary = services.find_summary(target) or abort(404)
    return render_template(
        "summaries/history.html",
        summary=summary,
        target=target,
        back=back,
        revisions=services.revisions(summary),
    )
