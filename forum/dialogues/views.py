"""A dialogue's page of topics, and the admin pages that create and edit dialogues."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum import changes, people
from forum.accounts import services as accounts
from forum.conclusions.services import concluded_questions
from forum.dialogues import services
from forum.dialogues.forms import (
    STATE_NAMES,
    DialogueForm,
    EditDialogueForm,
    FacilitatorForm,
    PseudonymForm,
)
from forum.extensions import db
from forum.forms import form_page
from forum.inputs import int_arg
from forum.kept import conditional
from forum.notifications.services import is_following
from forum.permissions import can, require
from forum.summaries import staleness
from forum.summaries.services import find_summary
from forum.topics.services import list_topics

bp = Blueprint("dialogues", __name__)

TOPICS_PER_PAGE = 30


def get_dialogue_or_404(slug: str):
    dialogue = services.find_dialogue(slug)
    if dialogue is None:
        abort(404)
    return dialogue


@bp.app_context_processor
def state_names():
    return {"state_names": STATE_NAMES}


@bp.get("/d/<slug>")
@conditional(changes.dialogue_page)
def show(slug: str):
    """A dialogue: its description and its topics, sticky first, then by last activity."""
    dialogue = get_dialogue_or_404(slug)
    page = int_arg("page", 1)
    pages = max((dialogue.topic_count + TOPICS_PER_PAGE - 1) // TOPICS_PER_PAGE, 1)
    if not 1 <= page <= pages:
        abort(404)
    reader = current_user if current_user.is_authenticated else None
    topics = list_topics(dialogue, user=reader, page=page, per_page=TOPICS_PER_PAGE)
    summary = find_summary(dialogue)
    if summary is not None and not summary.is_pinned:
        summary = None
    stale = None
    if summary is not None and can("summarise", dialogue):
        stale = staleness.of_dialogue(dialogue, summary)
    own, form = None, None
    if dialogue.pseudonymous and reader is not None:
        own = people.pseudonym(dialogue.id, reader.id)
        form = PseudonymForm(name=own.name if own else "")
    return render_template(
        "dialogues/show.html",
        own_pseudonym=own,
        pseudonym_form=form,
        following=is_following(reader, dialogue) if reader else None,
        dialogue=dialogue,
        topics=topics,
        concluded=concluded_questions(topic.id for topic in topics),
        page=page,
        pages=pages,
        summary=summary,
        stale=stale,
    )


@bp.post("/d/<slug>/pseudonym")
@login_required
def choose_pseudonym(slug: str):
    """Choose the name one goes by in a pseudonymous dialogue, or go back to one's number."""
    dialogue = get_dialogue_or_404(slug)
    if not dialogue.pseudonymous:
        abort(404)
    form = PseudonymForm()
    if form.validate_on_submit():
        try:
            people.choose(dialogue, current_user, form.name.data)
        except people.NameTaken as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("Your pseudonym in this dialogue is saved."), "success")
    else:
        for errors in form.errors.values():
            flash(" ".join(map(str, errors)), "error")
    return redirect(url_for(".show", slug=dialogue.slug, _anchor="pseudonym-h"))


@bp.route("/dialogues/new", methods=["GET", "POST"])
def create():
    """Create a dialogue (admins)."""
    require("administer")
    form = DialogueForm()
    if form.validate_on_submit():
        try:
            dialogue = services.create_dialogue(
                slug=form.slug.data.strip(),
                title=form.title.data,
                description=form.description.data,
                state=form.state.data,
                allow_participant_topics=form.allow_participant_topics.data,
                pseudonymous=form.pseudonymous.data,
                closes_at=form.closes_at.data,
                licence=form.licence.data or "",
                readers_may_export=form.readers_may_export.data,
                by=current_user,
            )
        except services.DialogueError as exc:
            db.session.rollback()
            form.slug.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The dialogue is created. Now assign its facilitators."), "success")
            return redirect(url_for(".facilitators", slug=dialogue.slug))
    return form_page("dialogues/form.html", form, dialogue=None)


@bp.route("/d/<slug>/edit", methods=["GET", "POST"])
def edit(slug: str):
    """Edit a dialogue's title, description, state and topic policy (admins)."""
    dialogue = get_dialogue_or_404(slug)
    require("administer")
    form = EditDialogueForm(
        obj=dialogue, description=dialogue.description_source, state=dialogue.state.value
    )
    if form.validate_on_submit():
        try:
            services.update_dialogue(
                dialogue,
                title=form.title.data,
                description=form.description.data,
                state=form.state.data,
                allow_participant_topics=form.allow_participant_topics.data,
                pseudonymous=form.pseudonymous.data,
                closes_at=form.closes_at.data,
                licence=form.licence.data or "",
                readers_may_export=form.readers_may_export.data,
                by=current_user,
            )
        except services.PseudonymityFixed as exc:
            db.session.rollback()
            form.pseudonymous.errors.append(str(exc))
        except services.DialogueError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The dialogue is saved."), "success")
            return redirect(url_for(".show", slug=dialogue.slug))
    return form_page("dialogues/form.html", form, dialogue=dialogue)


@bp.route("/d/<slug>/facilitators", methods=["GET", "POST"])
def facilitators(slug: str):
    """See, assign and remove a dialogue's facilitators (admins)."""
    dialogue = get_dialogue_or_404(slug)
    require("administer")
    form = FacilitatorForm()
    if form.validate_on_submit():
        person = accounts.find_by_username(form.username.data.strip())
        if person is None:
            form.username.errors.append(_("Nobody has this username."))
        else:
            if services.assign_facilitator(dialogue, person, by=current_user):
                flash(_("%(name)s now facilitates this dialogue.", name=person.display_name))
            else:
                flash(_("%(name)s already facilitates this dialogue.", name=person.display_name))
            db.session.commit()
            return redirect(url_for(".facilitators", slug=slug))
    return form_page("dialogues/facilitators.html", form, dialogue=dialogue)


@bp.post("/d/<slug>/facilitators/<username>/remove")
def remove_facilitator(slug: str, username: str):
    """Remove a facilitator from a dialogue (admins)."""
    dialogue = get_dialogue_or_404(slug)
    require("administer")
    person = accounts.find_by_username(username)
    if person is None or not services.remove_facilitator(dialogue, person, by=current_user):
        abort(404)
    db.session.commit()
    flash(_("%(name)s no longer facilitates this dialogue.", name=person.display_name))
    return redirect(url_for(".facilitators", slug=slug))
