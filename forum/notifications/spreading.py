"""Spread a fan-out: one notification for each follower of the topic or dialogue.

An act that concerns everybody who follows something (a new post, a new topic, a lock, a
summary) writes one FanOut row in its own transaction (services._fan_out), so its request costs
the same for no follower or ten thousand. The mail worker spreads each row here: one
INSERT ... SELECT of the followers and the row's deletion, in one transaction, so a fan-out is
spread exactly once even with several workers (FOR UPDATE SKIP LOCKED on PostgreSQL).
"""

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from forum.mail.delivery import produces_mail
from forum.notifications.models import Audience, FanOut, Follow, Kind, Notification
from forum.notifications.services import notify_all

BATCH = 20


def _followers(fan_out: FanOut) -> list:
    """The WHERE clauses that select the followers who are to be told: those who followed when
    the act was done (not who came to follow before the worker spread it)."""
    if fan_out.audience is Audience.topic_followers:
        where = [Follow.topic_id == fan_out.topic_id]
    else:
        where = [Follow.dialogue_id == fan_out.dialogue_id]
    where.append(Follow.created_at <= fan_out.created_at)
    told = Notification.user_id == Follow.user_id
    if fan_out.kind is Kind.new_post:
        # The author of the post it answers was told already (a reply, a quote).
        where.append(~exists().where(Notification.post_id == fan_out.post_id, told))
    elif fan_out.kind is Kind.summarised:
        # So were the authors of the posts the summary cites, by the same act.
        where.append(
            ~exists().where(
                Notification.kind == Kind.cited,
                Notification.actor_id == fan_out.actor_id,
                Notification.created_at == fan_out.created_at,
                told,
            )
        )
    elif fan_out.kind is Kind.locked:
        # The topic's author had the lock's notice, with its rule and how to appeal.
        where.append(
            ~exists().where(
                Notification.kind == Kind.locked,
                Notification.topic_id == fan_out.topic_id,
                Notification.entry_id.is_not(None),
                Notification.created_at >= fan_out.created_at,
                told,
            )
        )
    return where


def spread(fan_out: FanOut, session: Session) -> None:
    """Notify every follower (but the actor) of the act the fan-out records, and delete it."""
    notify_all(
        Follow.user_id,
        *_followers(fan_out),
        kind=fan_out.kind,
        actor_id=fan_out.actor_id,
        at=fan_out.created_at,
        post_id=fan_out.post_id,
        topic_id=fan_out.topic_id,
        dialogue_id=fan_out.dialogue_id,
        reason=fan_out.reason,
        session=session,
    )
    session.delete(fan_out)


@produces_mail
def spread_waiting(session: Session, limit: int = BATCH) -> int:
    """Spread up to limit waiting fan-outs, oldest first, committed; return how many."""
    waiting = list(
        session.scalars(
            select(FanOut).order_by(FanOut.id).limit(limit).with_for_update(skip_locked=True)
        )
    )
    for fan_out in waiting:
        spread(fan_out, session)
    session.commit()
    return len(waiting)
