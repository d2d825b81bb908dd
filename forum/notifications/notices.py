"""Notices of moderation acts: the person an act concerns is told in the forum and by mail.

A notice names the act's rule of the code of conduct and its reason, and links to the page
where the person reads it and appeals (a signed link: a suspended person cannot log in). Its
mail goes out at once whatever the person's digest setting, to a confirmed address: it is not a
digest item, and not a mail of notifications one unsubscribes from.
"""

from flask_babel import lazy_gettext as _l

from forum import acts, people
from forum.accounts.models import User
from forum.clock import utcnow
from forum.extensions import db
from forum.mail.services import absolute_url, enqueue_template
from forum.moderation.appeals import notice_token
from forum.moderation.models import Action, LogEntry
from forum.moderation.rules import RULES
from forum.notifications.models import Kind, Notification
from forum.topics.models import Topic

KINDS = {
    Action.hide: Kind.hidden,
    Action.lock: Kind.locked,
    Action.suspend: Kind.suspended,
    Action.appeal_upheld: Kind.appeal_upheld,
    Action.appeal_reversed: Kind.appeal_reversed,
}
SUBJECTS = {
    Kind.hidden: _l("Moderation notice: your post is hidden"),
    Kind.locked: _l("Moderation notice: your topic is locked"),
    Kind.suspended: _l("Moderation notice: your account is suspended"),
    Kind.appeal_upheld: _l("Your appeal: the decision is upheld"),
    Kind.appeal_reversed: _l("Your appeal: the decision is reversed"),
}


@acts.person_noticed.connect
def _noticed(entry: LogEntry, *, person_id: int, act: LogEntry) -> None:
    if person_id == entry.actor_id:
        return  # one's own act on one's own topic needs no notice
    kind = KINDS[entry.action]
    db.session.add(
        Notification(
            user_id=person_id, kind=kind, actor_id=entry.actor_id, post_id=act.post_id,
            topic_id=act.topic_id, reason=entry.reason, entry_id=act.id, created_at=utcnow(),
            mail_pending=False,  # mailed here and now, not by the worker's instant or digest
        )
    )  # fmt: skip
    person = db.session.get(User, person_id)
    if person.email_confirmed_at is None:
        return
    topic = db.session.get(Topic, act.topic_id) if act.topic_id else None
    enqueue_template(
        to=person.email,
        language=person.locale,
        subject=SUBJECTS[kind],
        template="notice",
        user=person,
        kind=kind.value,
        actor=people.name_in(entry, entry.actor),  # a pseudonym in a pseudonymous dialogue
        topic=topic.title if topic else "",
        rule=RULES.get(act.rule, ""),
        act_reason=act.reason,
        reason=entry.reason,
        link=absolute_url("moderation.notice", token=notice_token(act.id, person_id)),
    )
