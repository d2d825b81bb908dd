"""The outbox for administrators: how much mail waits, what failed and why, and a retry."""

from math import ceil

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.extensions import db
from forum.inputs import int_arg
from forum.mail import services
from forum.permissions import require

bp = Blueprint("mail", __name__)

PER_PAGE = 20


def _pages(failed: int) -> int:
    return max(1, ceil(failed / PER_PAGE))


@bp.get("/admin/mail")
def outbox():
    """Counts of queued, sent and failed mail, and the failed messages, newest first (admins)."""
    require("administer")
    page = int_arg("page", 1)
    status = services.outbox_status()
    pages = _pages(status["failed"])
    if page > pages:
        abort(404)
    return render_template(
        "mail/outbox.html",
        status=status,
        failed=services.failed_messages(PER_PAGE, page=page),
        page=page,
        pages=pages,
    )


@bp.post("/admin/mail/<int:message_id>/retry")
def retry(message_id: int):
    """Queue a failed message again, due now, its attempts counted afresh (admins)."""
    require("administer")
    message = services.find_message(message_id) or abort(404)
    recipient = message.recipient
    if services.retry_message(message, by=current_user):
        db.session.commit()
        flash(_("The message to %(address)s is queued again.", address=recipient), "success")
    else:
        flash(_("This message has not failed: it is queued or sent already."), "info")
    # The failed list is shorter now: stay on the page, or on the last one left.
    page = min(int_arg("page", 1), _pages(services.outbox_status()["failed"]))
    return redirect(url_for(".outbox", page=page))
