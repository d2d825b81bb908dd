"""Locking topics, hiding posts, reports, suspensions, roles, and the public moderation log."""

from datetime import datetime, time

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext, to_utc
from flask_login import current_user, login_required

from forum.accounts.models import Role
from forum.accounts.services import find_by_username
from forum.dialogues.services import find_dialogue
from forum.extensions import db
from forum.forms import form_page
from forum.inputs import int_arg
from forum.moderation import appeals, people, reports, reveals, services, transparency
from forum.moderation.forms import (
    AppealForm,
    ContentNoteForm,
    DecideForm,
    ReasonForm,
    ReportForm,
    ResolveForm,
    RevealForm,
    RoleForm,
    SanctionForm,
    SlowModeForm,
    SuspendForm,
)
from forum.moderation.rules import RULES
from forum.permissions import require
from forum.posts.services import find_post
from forum.posts.views import permalink
from forum.topics.links import topic_url
from forum.topics.services import find_topic

bp = Blueprint("moderation", __name__)

LOG_PER_PAGE = 50

ACTS = {
    # name: (service, page title, confirmation, form: a sanction names the rule it applies)
    "lock": (services.lock_topic, _l("Lock the topic"), _l("The topic is locked."), SanctionForm),
    "unlock": (
        services.unlock_topic,
        _l("Unlock the topic"),
        _l("The topic is unlocked."),
        ReasonForm,
    ),
    "hide": (services.hide_post, _l("Hide the post"), _l("The post is hidden."), SanctionForm),
    "restore": (
        services.restore_post,
        _l("Restore the post"),
        _l("The post is shown again."),
        ReasonForm,
    ),
}


def _attempt(form, action, *, done: str, back: str, template: str, field=None, **context):
    """Carry out an act when its form is valid (commit, confirm, go back), or show the form.

    A refused act keeps what the person typed: 409 when it is already done, 422 for bad input
    (its message beside `field` if given, else at the top of the form).
    """
    conflict = False
    if form.validate_on_submit():
        try:
            action()
        except services.AlreadyDone as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
            conflict = True
        except services.ModerationError as exc:
            db.session.rollback()
            (field.errors if field is not None else form.form_errors).append(str(exc))
        else:
            db.session.commit()
            flash(str(done), "success")
            return redirect(back)
    page, status = form_page(template, form, **context)
    return page, 409 if conflict else status


def _act(name: str, target, back: str, context: dict):
    """Show the reason form for an act, or carry the act out, log it, and go back."""
    service, title, done, form_class = ACTS[name]
    form = form_class()

    def act():
        rule = {"rule": form.rule.data or ""} if "rule" in form else {}
        service(target, by=current_user, reason=form.reason.data, **rule)

    return _attempt(form, act, done=done, back=back, template="moderation/act.html",
                    field=form.reason, title=title, act=name, back_to=back, **context)  # fmt: skip


@bp.route("/t/<int:topic_id>/lock", methods=["GET", "POST"])
def lock(topic_id: int):
    """Lock a topic, with a reason (facilitators of its dialogue, moderators)."""
    topic = find_topic(topic_id) or abort(404)
    require("moderate_topic", topic)
    return _act("lock", topic, topic_url(topic), {"topic": topic})


@bp.route("/t/<int:topic_id>/unlock", methods=["GET", "POST"])
def unlock(topic_id: int):
    """Unlock a topic, with an optional note (facilitators of its dialogue, moderators)."""
    topic = find_topic(topic_id) or abort(404)
    require("moderate_topic", topic)
    return _act("unlock", topic, topic_url(topic), {"topic": topic})


@bp.route("/p/<int:post_id>/hide", methods=["GET", "POST"])
def hide(post_id: int):
    """Hide a post from readers, with a reason (moderators)."""
    post = find_post(post_id) or abort(404)
    require("moderate")
    return _act("hide", post, permalink(post), {"post": post, "topic": post.topic})


@bp.route("/p/<int:post_id>/restore", methods=["GET", "POST"])
def restore(post_id: int):
    """Show a hidden post again, with a reason (moderators)."""
    post = find_post(post_id) or abort(404)
    require("moderate")
    return _act("restore", post, permalink(post), {"post": post, "topic": post.topic})


@bp.route("/p/<int:post_id>/content-note", methods=["GET", "POST"])
def content_note(post_id: int):
    """Put a content note on someone's post, change or remove it, with a reason (moderators)."""
    post = find_post(post_id) or abort(404)
    require("moderate")
    form = ContentNoteForm(note=post.content_note)

    def act():
        services.set_content_note(post, by=current_user, note=form.note.data,
                                  reason=form.reason.data)  # fmt: skip

    back = permalink(post)
    return _attempt(form, act, done=_("The content note is saved."), back=back,
                    template="moderation/content_note.html", field=form.reason, post=post,
                    topic=post.topic, back_to=back)  # fmt: skip


@bp.route("/p/<int:post_id>/reveal", methods=["GET", "POST"])
def reveal(post_id: int):
    """Show a moderator the account behind a post's pseudonym, for a recorded reason."""
    post = find_post(post_id) or abort(404)
    require("moderate")
    if not post.topic.dialogue.pseudonymous:
        abort(404)
    form = RevealForm()
    context = {"post": post, "topic": post.topic, "back_to": permalink(post)}
    if form.validate_on_submit():
        try:
            look = reveals.reveal_author(post, by=current_user, reason=form.reason.data)
        except services.ModerationError as exc:
            db.session.rollback()
            form.reason.errors.append(str(exc))
        else:
            db.session.commit()
            return render_template("moderation/revealed.html", look=look, **context)
    return form_page("moderation/reveal.html", form, **context)


@bp.get("/admin/reveals")
def reveal_log():
    """Every look behind a pseudonym: who looked, when, why, and at whom (admins)."""
    require("administer")
    page = int_arg("page", 1)
    looks, more = reveals.reveal_page(page=page)
    if page > 1 and not looks:
        abort(404)
    return render_template("moderation/reveals.html", looks=looks, more=more, page=page)


@bp.app_context_processor
def action_names():
    return {"action_names": services.ACTION_NAMES, "rule_names": RULES}


@bp.get("/moderation/log")
def log():
    """The public moderation log: every act, who did it, when, and why."""
    dialogue = None
    if request.args.get("dialogue"):
        dialogue = find_dialogue(request.args["dialogue"]) or abort(404)
    page = int_arg("page", 1)
    entries, more = services.log_page(dialogue=dialogue, page=page, per_page=LOG_PER_PAGE)
    if page > 1 and not entries:
        abort(404)
    return render_template(
        "moderation/log.html", entries=entries, more=more, page=page, dialogue=dialogue
    )


@bp.route("/p/<int:post_id>/report", methods=["GET", "POST"])
def report(post_id: int):
    """Report a post to the moderators under the code of conduct (logged-in people)."""
    post = find_post(post_id) or abort(404)
    require("report", post)
    form = ReportForm()

    def act():
        reports.report_post(post, by=current_user, reason=form.reason.data, note=form.note.data)

    return _attempt(
        form,
        act,
        done=_("Thank you. The moderators will look at your report."),
        back=permalink(post),
        template="moderation/report.html",
        field=form.note,
        post=post,
        topic=post.topic,
    )


@bp.get("/moderation/reports")
def queue():
    """Open reports, grouped by post, for the moderators to handle."""
    require("moderate")
    return render_template(
        "moderation/queue.html",
        groups=reports.open_reports(),
        form=ResolveForm(formdata=None),
        reason_names=reports.REASON_NAMES,
    )


@bp.post("/moderation/reports/<int:post_id>")
def resolve(post_id: int):
    """Hide the reported post or dismiss its reports, with a note that is made public."""
    post = find_post(post_id) or abort(404)
    require("moderate")
    form = ResolveForm()
    if form.validate_on_submit():
        try:
            closed = reports.resolve_reports(
                post, by=current_user, hide=bool(form.hide.data), note=form.reason.data,
                rule=form.rule.data or "",
            )  # fmt: skip
        except services.ModerationError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(
                ngettext("%(num)d report handled.", "%(num)d reports handled.", closed), "success"
            )
    else:
        flash(" ".join(form.reason.errors) or _("Please give a reason."), "error")
    return redirect(url_for(".queue"))


@bp.get("/reports/mine")
@login_required
def my_reports():
    """The reports I made and how the moderators handled them."""
    return render_template(
        "moderation/mine.html",
        reports=reports.reports_by(current_user),
        reason_names=reports.REASON_NAMES,
    )


def _person(username: str):
    return find_by_username(username) or abort(404)


def _act_on_person(action, form, person, template: str, done: str):
    """Carry out an act on a person from its form, then go back to their profile."""
    back = url_for("accounts.profile", username=person.username)
    return _attempt(form, action, done=done, back=back, template=template, person=person)


@bp.route("/u/<username>/suspend", methods=["GET", "POST"])
def suspend(username: str):
    """Suspend a person, with a reason and an optional end (moderators)."""
    person = _person(username)
    require("moderate")
    form = SuspendForm()

    def act():
        until = form.until.data
        people.suspend(
            person,
            by=current_user,
            reason=form.reason.data,
            until=to_utc(datetime.combine(until, time())) if until else None,
            rule=form.rule.data or "",
        )

    done = _("%(name)s is suspended.", name=person.display_name)
    return _act_on_person(act, form, person, "moderation/suspend.html", done)


@bp.route("/u/<username>/unsuspend", methods=["GET", "POST"])
def unsuspend(username: str):
    """Lift a person's suspension, with a reason (moderators)."""
    person = _person(username)
    require("moderate")
    form = ReasonForm()

    def act():
        people.unsuspend(person, by=current_user, reason=form.reason.data)

    done = _("%(name)s can take part again.", name=person.display_name)
    return _act_on_person(act, form, person, "moderation/unsuspend.html", done)


@bp.route("/u/<username>/role", methods=["GET", "POST"])
def role(username: str):
    """Change a person's site role (administrators)."""
    person = _person(username)
    require("administer")
    form = RoleForm(role=person.role.value)

    def act():
        people.change_role(person, Role(form.role.data), by=current_user, reason=form.reason.data)

    done = _("The role of %(name)s is changed.", name=person.display_name)
    return _act_on_person(act, form, person, "moderation/role.html", done)


@bp.route("/t/<int:topic_id>/slow-mode", methods=["GET", "POST"])
def slow_mode(topic_id: int):
    """Put a heated topic in slow mode, or end it (facilitators of its dialogue, moderators)."""
    topic = find_topic(topic_id) or abort(404)
    require("moderate_topic", topic)
    form = SlowModeForm(minutes=topic.slow_minutes if topic.is_slow else None)

    def act():
        services.set_slow_mode(topic, by=current_user, minutes=form.minutes.data,
                               until=form.until.data, reason=form.reason.data)  # fmt: skip

    return _attempt(form, act, done=_("Slow mode is saved."), back=topic_url(topic),
                    template="moderation/slow_mode.html", topic=topic)  # fmt: skip


@bp.route("/notice/<token>", methods=["GET", "POST"])
def notice(token: str):
    """A person's notice of an act on their post, topic or account: the rule, the reason, and
    their appeal (the signed link mailed to them: no login, for a suspended person has none)."""
    found = appeals.notice_for_token(token) or abort(404)
    entry, person = found
    appeal = appeals.appeal_of(entry)
    form = AppealForm()
    context = {"entry": entry, "person": person, "appeal": appeal, "rules": RULES,
               "appealable": entry.action in appeals.APPEALABLE and appeal is None}  # fmt: skip

    def act():
        appeals.file_appeal(entry, by=person, statement=form.statement.data)

    return _attempt(form, act, done=_("Your appeal is sent. You will be told of the decision."),
                    back=url_for(".notice", token=token), template="moderation/notice.html",
                    field=form.statement, **context)  # fmt: skip


@bp.get("/moderation/appeals")
def appeals_queue():
    """Open appeals, oldest first: a moderator other than the one who acted decides."""
    require("moderate")
    return render_template(
        "moderation/appeals.html",
        appeals=appeals.open_appeals(),
        form=DecideForm(formdata=None),
        rules=RULES,
    )


@bp.post("/moderation/appeals/<int:appeal_id>")
def decide(appeal_id: int):
    """Uphold or reverse the act appealed against, with a public reason (another moderator)."""
    require("moderate")
    appeal = appeals.find_appeal(appeal_id) or abort(404)
    require("decide_appeal", appeal)
    form = DecideForm()
    if form.validate_on_submit():
        try:
            appeals.decide(
                appeal, by=current_user, reverse=bool(form.reverse.data), reason=form.reason.data
            )
        except services.ModerationError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("The appeal is decided; the person is told."), "success")
    else:
        flash(" ".join(form.reason.errors) or _("Please give a reason."), "error")
    return redirect(url_for(".appeals_queue"))


@bp.get("/transparency")
def transparency_page():
    """The numbers of moderation, per month and per dialogue, drawn from the public log."""
    return render_template(
        "moderation/transparency.html",
        months=transparency.numbers(),
        counted=transparency.COUNTED,
        reason_names=reports.REASON_NAMES,
    )
