"""Deleting an account: the person's data erased at once, what they said kept or removed.

The account's row stays, emptied, so that what others wrote in reply still has someone to
answer: it holds no name, address, profile or password, and the person appears everywhere as
"A former participant" (forum/people.py, which knows an erased display name). Their logins,
follows, notifications, read markers, facilitator roles and queued mail go; the chosen names of
their pseudonyms go too (the number stays, so "Participant 7" is nobody else later).

What they wrote in the dialogues follows their choice: KEEP leaves the text under "A former
participant"; REMOVE empties their posts (subject, text, content note, earlier versions), and
a placeholder takes their place, so the replies to them stay in their threads; summaries and
conclusions that cite them strike the citation out. Topics they opened and summaries and
conclusions they wrote stay either way: other people's words hang on them. What they wrote to
the moderators (reports' notes, appeals' statements) is erased; the decisions and the public
log stay, as the forum's accountability.

`HANDLED` names what happens to every column that holds a user id; a test fails when a table
gains one that is not named here (tests/accounts/test_deletion.py).
"""

import enum
import re

from flask_babel import force_locale, gettext
from sqlalchemy import delete, or_, select, update

from forum import acts, text
from forum.accounts.models import Role, User, UserSession
from forum.changes import mark_changed, mark_renamed
from forum.clock import utcnow
from forum.conclusions.models import Conclusion, ConclusionRevision
from forum.config import LANGUAGES
from forum.dialogues.models import Dialogue, Facilitator, Pseudonym
from forum.extensions import db
from forum.mail.models import OutboxMessage
from forum.moderation.models import Appeal, LogEntry, Report, Reveal
from forum.notifications.models import FanOut, Follow, Notification
from forum.pages.models import ConductRevision, ConductText
from forum.posts.models import Post, PostRevision
from forum.search.models import SearchEntry
from forum.summaries.models import Summary, SummaryRevision
from forum.topics.models import ReadMarker, Topic, TopicRevision


class Posts(enum.StrEnum):
    """What happens to what a person wrote in the dialogues when they delete their account."""

    keep = "keep"  # the text stays, under "A former participant"
    remove = "remove"  # the text goes; a placeholder keeps the replies in their threads


class DeletionRefused(ValueError):
    """An account that cannot be deleted now, with the reason."""


# Every column holding a user id, and what deleting the account does to its rows:
#   erase: the rows are deleted;  keep: the rows stay, naming the emptied account;
#   erase text: the rows stay, what the person wrote in them is erased.
HANDLED = {
    (UserSession, "user_id"): "erase",
    (Follow, "user_id"): "erase",
    (Notification, "user_id"): "erase",
    (ReadMarker, "user_id"): "erase",
    (Facilitator, "user_id"): "erase",
    (Pseudonym, "user_id"): "erase text",  # the chosen name goes, the number stays
    (Report, "reporter_id"): "erase text",  # the note goes, the report counts
    (Appeal, "appellant_id"): "erase text",  # the statement goes, the decision stays
    (Post, "author_id"): "keep",  # or its text removed, as the person chooses
    (PostRevision, "editor_id"): "keep",  # revisions of their own posts go with their text
    (Notification, "actor_id"): "keep",
    (FanOut, "actor_id"): "keep",
    (Facilitator, "assigned_by_id"): "keep",
    (Post, "hidden_by_id"): "keep",
    (Topic, "author_id"): "keep",
    (Topic, "locked_by_id"): "keep",
    (TopicRevision, "editor_id"): "keep",
    (Summary, "author_id"): "keep",
    (SearchEntry, "author_id"): "keep",  # follows its post: removed with the post's text
    (SummaryRevision, "editor_id"): "keep",
    (LogEntry, "actor_id"): "keep",
    (LogEntry, "target_user_id"): "keep",
    (Appeal, "decided_by_id"): "keep",
    (Report, "handled_by_id"): "keep",
    (Reveal, "moderator_id"): "keep",
    (Reveal, "user_id"): "keep",
    (ConductText, "updated_by_id"): "keep",
    (ConductRevision, "editor_id"): "keep",
    (Dialogue, "created_by_id"): "keep",
    (Conclusion, "author_id"): "keep",
    (ConclusionRevision, "editor_id"): "keep",
}


def check_deletable(user: User) -> None:
    """Refuse to delete the forum's last administrator: nobody could administer it after."""
    if user.role is Role.admin:
        admins = db.session.scalar(
            select(db.func.count()).where(User.role == Role.admin, User.deleted_at.is_(None))
        )
        if admins <= 1:
            raise DeletionRefused(
                gettext(
                    "You are the forum's only administrator: make someone else an administrator "
                    "before you delete your account."
                )
            )


def delete_account(user: User, *, posts: Posts) -> None:
    """Erase the person's account and data, in the caller's transaction."""
    check_deletable(user)
    mark_renamed(user.id)  # every feed and kept page naming them changes (before names go)
    rewritten = _unname_quotes(user, remove=posts is Posts.remove)
    if posts is Posts.remove:
        rewritten |= _remove_posts(user)
    acts.posts_rewritten.send(user, post_ids=rewritten)
    uid = user.id
    for model in (UserSession, Follow, Notification, ReadMarker, Facilitator):
        db.session.execute(delete(model).where(model.user_id == uid))
    db.session.execute(
        update(Pseudonym).where(Pseudonym.user_id == uid).values(name=None, name_key=None)
    )
    db.session.execute(update(Report).where(Report.reporter_id == uid).values(note=""))
    db.session.execute(update(Appeal).where(Appeal.appellant_id == uid).values(statement=""))
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == user.email))
    now = utcnow()
    user.username = ""
    user.username_key = f"~deleted-{uid}"  # no username can start with "~"
    user.email = f"deleted-{uid}@deleted.invalid"
    user.email_confirmed_at = None
    user.password_hash = "!"  # noqa: S105 (matches no password)
    user.display_name = ""  # forum.people shows "A former participant"
    user.organisation = user.country = user.bio = user.locale = user.timezone = ""
    user.declared_role_id = user.declared_region_id = None
    user.role = Role.participant
    user.created_at = now
    user.suspended_at = user.suspended_until = None
    user.suspension_reason = ""
    user.digest_sent_at = None
    user.deleted_at = now
    db.session.flush()


def _remove_posts(user: User) -> set[int]:
    """Empty the person's posts and their earlier versions; strike out the citations of them in
    summaries and conclusions. Return the ids of the posts emptied."""
    removed = set(db.session.scalars(select(Post.id).where(Post.author_id == user.id)))
    if not removed:
        return removed
    db.session.execute(
        delete(PostRevision).where(PostRevision.post_id.in_(select(Post.id).where(
            Post.author_id == user.id)))
    )  # fmt: skip
    db.session.execute(
        update(Post)
        .where(Post.author_id == user.id)
        .values(subject="", body_source="", body_html="", content_note="", removed_at=utcnow())
    )
    citing = [
        citing_text
        for model in (Summary, Conclusion)
        for citing_text in db.session.scalars(select(model))
        if removed.intersection(citing_text.cited_post_ids or ())
    ]
    cited = {post_id for citing_text in citing for post_id in citing_text.cited_post_ids}
    struck = set(
        db.session.scalars(
            select(Post.id).where(Post.id.in_(list(cited)), Post.removed_at.is_not(None))
        )
    )  # one query for every summary and conclusion, with the posts removed before (their
    # citations stay struck)
    for citing_text in citing:
        citing_text.html = text.strike_removed(text.render_stored(citing_text.source), struck)
        _mark(citing_text)
    return removed


def _mark(citing: Summary | Conclusion) -> None:
    if citing.topic_id is not None:
        topic = db.session.get(Topic, citing.topic_id)
        mark_changed(dialogue_id=topic.dialogue_id, topic_id=topic.id)
    else:
        mark_changed(dialogue_id=citing.dialogue_id)


def _quote_header(name: str) -> str:
    """'**Maria wrote:**', as forum.posts.services.quotation heads a quote, in this language."""
    return f"**{gettext('%(name)s wrote:', name=text.literal(name))}**"


def _unname_quotes(user: User, *, remove: bool) -> set[int]:
    """Quotes of the person in others' posts stop naming them: "Maria wrote:" becomes "A former
    participant wrote:" (in each language a quote may be headed in), and the same for their
    pseudonyms in the dialogue where they had them. remove: the quoted words go too.
    Return the ids of the posts rewritten."""
    rewritten = _replace_quotes(lambda: user.display_name, None, remove=remove)
    for own in db.session.scalars(select(Pseudonym).where(Pseudonym.user_id == user.id)):
        if own.name:
            rewritten |= _replace_quotes(lambda name=own.name: name, own.dialogue_id, remove=remove)
        if remove:  # a given pseudonym is no name, but the words quoted under it are theirs
            rewritten |= _replace_quotes(
                lambda n=own.number: gettext("Participant %(number)d", number=n),
                own.dialogue_id,
                remove=True,
            )
    return rewritten


def _replace_quotes(name, dialogue_id: int | None, *, remove: bool) -> set[int]:
    """Rewrite the quotes headed by name() (called in each language) in posts and revisions;
    return the ids of the posts rewritten."""
    headers, replacements = [], {}
    for language in LANGUAGES:
        with force_locale(language):
            header = _quote_header(name())
            former = _quote_header(gettext("A former participant"))
            words = gettext("Its author removed these words when they left the forum.")
            headers.append(header)
            replacements[header] = f"> {former}\n>\n> *{words}*\n" if remove else former
    rewritten: set[int] = set()
    found = "|".join(re.escape(header) for header in headers)
    # A quote is its header line and the quoted lines after it, up to the first other line.
    pattern = re.compile(rf"^> ({found})[^\n]*\n(?:>[^\n]*(?:\n|$))*" if remove else found, re.M)

    def unnamed(source: str) -> str:
        return pattern.sub(lambda quote: replacements[quote.group(1 if remove else 0)], source)

    for model in (Post, PostRevision):
        query = select(model).where(
            or_(*(model.body_source.contains(header, autoescape=True) for header in headers))
        )
        if dialogue_id is not None:
            post_id = model.id if model is Post else model.post_id
            query = query.where(post_id.in_(
                select(Post.id).join(Topic, Topic.id == Post.topic_id).where(
                    Topic.dialogue_id == dialogue_id)))  # fmt: skip
        changed = set()
        for row in db.session.scalars(query):
            row.body_source = unnamed(row.body_source)
            if model is Post:
                row.body_html = text.render_stored(row.body_source)
                changed.add((row.topic.dialogue_id, row.topic_id))
                rewritten.add(row.id)
        for in_dialogue, topic_id in changed:  # once a topic, however many of its posts quote
            mark_changed(dialogue_id=in_dialogue, topic_id=topic_id)
    return rewritten
