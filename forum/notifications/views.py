"""The notifications page, marking notices read, and the follow buttons."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.changes import Validator
from forum.dialogues.views import get_dialogue_or_404
from forum.extensions import csrf, db
from forum.inputs import int_arg
from forum.kept import conditional
from forum.moderation.appeals import notice_token
from forum.notifications import mailing, services
from forum.permissions import can
from forum.posts.visibility import seen
from forum.topics.links import topic_url
from forum.topics.services import find_topic

bp = Blueprint("notifications", __name__)

PER_PAGE = 30


# What the page shows that can change, read before it is built (forum.kept): the person's
# notifications (new ones, and the read ones: the unread count is part of every page's reader)
# and the posts, topics and people they name, whose changes move their dialogue's changed_at.
PAGE = Validator(
    """SELECT count(*), max(id), count(read_at), (SELECT max(changed_at) FROM dialogue)
    FROM notification WHERE user_id = :user_id"""
)


def page_version(*, user_id: int | None) -> tuple | None:
    """The page's version; None for a reader without an account (asked to log in)."""
    return None if user_id is None else tuple(PAGE.first(user_id=user_id))


@bp.get("/notifications")
@conditional(page_version, keep=False)
@login_required
def index():
    """The person's notifications, newest first, the unread marked."""
    page = int_arg("page", 1)
    rows, more = services.notifications_page(current_user, page=page, per_page=PER_PAGE)
    if page > 1 and not rows:
        abort(404)
    moderator = can("moderate")
    # Shown as the post is now: a post hidden since says nothing to readers.
    items = [seen(row, moderator=moderator) for row in rows]
    return render_template("notifications/index.html", items=items, page=page, more=more,
                           notice_token=notice_token)  # fmt: skip


@bp.post("/notifications/read")
@login_required
def read_all():
    """Mark every notification read."""
    services.mark_all_read(current_user)
    db.session.commit()
    return redirect(url_for(".index"))


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def read(notification_id: int):
    """Mark one notification read."""
    notification = services.find_notification(notification_id, user=current_user) or abort(404)
    services.mark_read(notification)
    db.session.commit()
    return redirect(url_for(".index", page=int_arg("page", 1)))


def _follow(target, *, following: bool, back: str, message: str):
    if following:
        services.follow(target, by=current_user)
    else:
        services.unfollow(target, by=current_user)
    db.session.commit()
    flash(message, "success")
    return redirect(back)


@bp.post("/t/<int:topic_id>/follow")
@login_required
def follow_topic(topic_id: int):
    """Follow a topic."""
    topic = find_topic(topic_id) or abort(404)
    message = _("You follow this topic: its new posts will be in your notifications.")
    return _follow(topic, following=True, back=topic_url(topic), message=message)


@bp.post("/t/<int:topic_id>/unfollow")
@login_required
def unfollow_topic(topic_id: int):
    """Stop following a topic."""
    topic = find_topic(topic_id) or abort(404)
    message = _("You no longer follow this topic.")
    return _follow(topic, following=False, back=topic_url(topic), message=message)


@bp.post("/d/<slug>/follow")
@login_required
def follow_dialogue(slug: str):
    """Follow a dialogue: its new topics."""
    dialogue = get_dialogue_or_404(slug)
    message = _("You follow this dialogue: its new topics will be in your notifications.")
    back = url_for("dialogues.show", slug=dialogue.slug)
    return _follow(dialogue, following=True, back=back, message=message)


@bp.post("/d/<slug>/unfollow")
@login_required
def unfollow_dialogue(slug: str):
    """Stop following a dialogue."""
    dialogue = get_dialogue_or_404(slug)
    message = _("You no longer follow this dialogue.")
    back = url_for("dialogues.show", slug=dialogue.slug)
    return _follow(dialogue, following=False, back=back, message=message)


@bp.get("/mail/unsubscribe/<token>")
def unsubscribe_page(token: str):
    """The page of an unsubscribe link: a button, since a link scanner may open the link."""
    user = mailing.user_for_unsubscribe(token)
    if user is None:
        return render_template("notifications/unsubscribe_dead.html"), 404
    return render_template("notifications/unsubscribe.html", token=token, done=False)


@bp.post("/mail/unsubscribe/<token>")
@csrf.exempt  # one-click (RFC 8058): a mail client posts it, with no cookie; the token is the proof
def unsubscribe(token: str):
    """Stop all mail of notifications to the person the signed link was mailed to."""
    user = mailing.user_for_unsubscribe(token)
    if user is None:
        return render_template("notifications/unsubscribe_dead.html"), 404
    mailing.unsubscribe(user)
    db.session.commit()
    return render_template("notifications/unsubscribe.html", token=token, done=True)
