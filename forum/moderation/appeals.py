"""Notice and appeal: the person an act concerns reads its notice and appeals once; another
moderator than the one who acted upholds or reverses it, in the open log."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from forum import acts
from forum.accounts.models import User
from forum.clock import utcnow
from forum.extensions import db
from forum.moderation import people, services
from forum.moderation.models import Action, Appeal, LogEntry, Outcome
from forum.moderation.services import AlreadyDone, ModerationError, check_reason, record

APPEALABLE = (Action.hide, Action.lock, Action.suspend)
STATEMENT_MAX = 2000


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="notice")


def notice_token(entry_id: int, user_id: int) -> str:
    """The token of the link to a person's notice of an act: it works without logging in, for
    a suspended person cannot log in."""
    return _signer().dumps({"entry": entry_id, "user": user_id})


def notice_for_token(token: str) -> tuple[LogEntry, User] | None:
    """The act and the person a notice token is for, or None if it is not a valid one."""
    try:
        data = _signer().loads(token)
        entry = db.session.get(LogEntry, int(data["entry"]))
        user = db.session.get(User, int(data["user"]))
    except (BadData, KeyError, TypeError, ValueError, OverflowError):
        return None
    if entry is None or user is None or entry.target_user_id != user.id:
        return None
    return entry, user


def appeal_of(entry: LogEntry) -> Appeal | None:
    """The appeal against this act, if there is one."""
    return db.session.scalar(select(Appeal).where(Appeal.entry_id == entry.id))


def find_appeal(appeal_id: int) -> Appeal | None:
    """The appeal with this id."""
    return db.session.get(Appeal, appeal_id)


def _about(entry: LogEntry) -> dict:
    return {
        "dialogue_id": entry.dialogue_id,
        "topic_id": entry.topic_id,
        "post_id": entry.post_id,
        "target_user_id": entry.target_user_id,
    }


def file_appeal(entry: LogEntry, *, by: User, statement: str) -> Appeal:
    """Appeal against an act on one's post, topic or account, once, with a statement (read by
    the moderators only); the log shows that an appeal was made."""
    if entry.action not in APPEALABLE or entry.target_user_id != by.id:
        raise ModerationError(_l("Only the person an act concerns can appeal against it."))
    statement = (statement or "").strip()
    if not statement:
        raise ModerationError(_l("Say why the decision should be reversed."))
    if len(statement) > STATEMENT_MAX:
        raise ModerationError(_l("A statement has at most %(n)d characters.", n=STATEMENT_MAX))
    appeal = Appeal(entry_id=entry.id, appellant_id=by.id, statement=statement)
    try:
        with db.session.begin_nested():
            db.session.add(appeal)
    except IntegrityError as exc:
        raise AlreadyDone(_l("You have already appealed against this decision.")) from exc
    record(Action.appeal, by=by, **_about(entry))
    return appeal


def open_appeals() -> list[Appeal]:
    """Appeals not yet decided, oldest first, with their act and appellant."""
    return list(
        db.session.scalars(
            select(Appeal)
            .options(
                selectinload(Appeal.entry).selectinload(LogEntry.actor),
                selectinload(Appeal.appellant),
            )
            .where(Appeal.decided_at.is_(None))
            .order_by(Appeal.id)
        )
    )


def _reverse(entry: LogEntry, *, by: User, reason: str) -> None:
    """Undo the act through its own service, so its log entry and notices follow."""
    from forum.posts.models import Post
    from forum.topics.models import Topic

    try:
        if entry.action is Action.hide:
            services.restore_post(db.session.get(Post, entry.post_id), by=by, reason=reason)
        elif entry.action is Action.lock:
            services.unlock_topic(db.session.get(Topic, entry.topic_id), by=by, reason=reason)
        else:
            people.unsuspend(db.session.get(User, entry.target_user_id), by=by, reason=reason)
    except AlreadyDone:
        pass  # undone since: the decision stands on its own


def decide(appeal: Appeal, *, by: User, reverse: bool, reason: str) -> LogEntry:
    """Uphold or reverse the act appealed against, with a public reason; the appellant is told.

    The moderator who acted does not decide on the appeal against their own act.
    """
    reason = check_reason(reason)
    entry = appeal.entry
    if entry.actor_id == by.id:
        raise ModerationError(_l("Another moderator decides on an appeal against your own act."))
    locked = db.session.execute(
        select(Appeal.decided_at).where(Appeal.id == appeal.id).with_for_update()
    ).scalar_one()
    if locked is not None:
        raise AlreadyDone(_l("This appeal is decided already."))
    if reverse:
        _reverse(entry, by=by, reason=reason)
    appeal.outcome = Outcome.reversed if reverse else Outcome.upheld
    appeal.decided_by_id, appeal.decided_at, appeal.decision_reason = by.id, utcnow(), reason
    action = Action.appeal_reversed if reverse else Action.appeal_upheld
    decision = record(action, by=by, reason=reason, rule=entry.rule, **_about(entry))
    db.session.flush()
    acts.person_noticed.send(decision, person_id=appeal.appellant_id, act=entry)
    return decision
