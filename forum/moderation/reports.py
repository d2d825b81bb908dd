"""Reports: participants flag posts; moderators hide the post or dismiss, with a note."""

from itertools import groupby

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from forum import acts
from forum.accounts.models import User
from forum.clock import utcnow
from forum.extensions import db
from forum.moderation.models import Action, Report, ReportReason, ReportStatus
from forum.moderation.services import AlreadyDone, about_post, check_reason, hide_post, record

REASON_NAMES = {
    ReportReason.harassment: _l("Harassment or abuse"),
    ReportReason.hateful: _l("Hateful content"),
    ReportReason.personal_information: _l("Personal information"),
    ReportReason.spam: _l("Spam"),
    ReportReason.off_topic: _l("Off-topic"),
    ReportReason.other: _l("Something else"),
}


def report_post(post, *, by: User, reason: ReportReason, note: str = "") -> Report:
    """Flag a post for the moderators; one open report per person per post."""
    reason = ReportReason(reason)
    note = check_reason(note, required=reason is ReportReason.other)
    report = Report(post_id=post.id, reporter_id=by.id, reason=reason, note=note)
    try:
        with db.session.begin_nested():
            db.session.add(report)
    except IntegrityError as exc:
        raise AlreadyDone(
            _l("You have already reported this post; the moderators will look at it.")
        ) from exc
    return report


def open_reports():
    """Open reports grouped by post, most reported first: [(post, [reports])]."""
    from forum.posts.models import Post

    reports = db.session.scalars(
        select(Report)
        .options(selectinload(Report.reporter))
        .where(Report.status == ReportStatus.open)
        .order_by(Report.post_id, Report.id)
    ).all()
    groups = [(post_id, list(items)) for post_id, items in groupby(reports, lambda r: r.post_id)]
    posts = {
        post.id: post
        for post in db.session.scalars(
            select(Post)
            .options(selectinload(Post.author), selectinload(Post.topic))
            .where(Post.id.in_([g[0] for g in groups]))
        )
    }
    groups.sort(key=lambda group: (-len(group[1]), group[1][0].id))
    return [(posts[post_id], items) for post_id, items in groups]


def resolve_reports(post, *, by: User, hide: bool, note: str, rule: str | None = None) -> int:
    """Close the open reports on a post: hide it (the note is the public reason, under the
    rule given) or dismiss."""
    note = check_reason(note)
    if hide:
        status, action = ReportStatus.resolved, Action.resolve_report
    else:
        status, action = ReportStatus.dismissed, Action.dismiss_report
    now = utcnow()
    closed = db.session.execute(
        update(Report)
        .where(Report.post_id == post.id, Report.status == ReportStatus.open)
        .values(status=status, handled_by_id=by.id, handled_at=now, resolution_note=note)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not closed:
        raise AlreadyDone(_l("There is no open report on this post."))
    if hide and post.hidden_at is None:
        # One act, one line in the log: the hiding, whose reason is the note.
        hide_post(post, by=by, reason=note, rule=rule)
    else:
        record(action, by=by, reason=note, **about_post(post))
    acts.reports_handled.send(post, by=by, upheld=hide, handled_at=now, note=note)
    db.session.flush()
    return closed


def reports_by(user: User) -> list[Report]:
    """The reports a person made, newest first, with how they were handled."""
    return list(
        db.session.scalars(
            select(Report).where(Report.reporter_id == user.id).order_by(Report.id.desc())
        )
    )
