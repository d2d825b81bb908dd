"""Who a person is, as a dialogue shows them: the one place that decides it.

In a pseudonymous dialogue a person appears only under their pseudonym there: the name they
chose, or "Participant 7" in the reader's language, with no link to their profile and nothing
from their account. Everywhere else they appear under their display name. Pages, quotes, feeds,
notifications, mail and the moderation log all ask `shown` (through `person` for one user, or
`of_row` for a row read with `columns`); nothing else reads a name off an account where
dialogue content is shown.

A person gets their pseudonym when they first appear in the dialogue: their first post or
topic, or their first act recorded in its log (`enter`, in the act's transaction). They may
choose a name with that first post or topic (`is_new_in`, then `choose` in its transaction), or
later on the dialogue's page.
"""

import re
from dataclasses import dataclass
from functools import cache
from operator import attrgetter

from flask_babel import gettext, lazy_gettext
from sqlalchemy import func, select

from forum import acts
from forum.accounts.models import User
from forum.changes import mark_changed, mark_renamed
from forum.dialogues.models import Dialogue, Pseudonym
from forum.extensions import db

NAME_MAX = 80
# "Participant 7", "Participante 7": a chosen name must not pass for a given one.
GENERATED = re.compile(r".*\d\s*$")


@dataclass(frozen=True)
class Shown:
    """A person as a reader sees them: a name, and the profile and organisation if public."""

    name: str
    username: str | None = None
    organisation: str | None = None


def shown(*, pseudonymous: bool, display_name: str | None, username: str | None = None,
          organisation: str | None = None, number: int | None = None,
          chosen: str | None = None, lazy: bool = False) -> Shown:  # fmt: skip
    """How a person appears in a dialogue: by pseudonym if it is pseudonymous, else by name.

    A deleted account (its display name erased, forum/accounts/deletion.py) appears as "A former
    participant" everywhere. lazy: the given names are translated when shown (mail, rendered in
    its reader's language).
    """
    if display_name == "":
        return Shown(
            lazy_gettext("A former participant") if lazy else gettext("A former participant")
        )
    if not pseudonymous:
        return Shown(display_name or "", username, organisation or None)
    if chosen:
        return Shown(chosen)
    if number is None:
        return Shown(lazy_gettext("A participant") if lazy else gettext("A participant"))
    if lazy:
        return Shown(lazy_gettext("Participant %(number)d", number=number))
    return Shown(gettext("Participant %(number)d", number=number))


def pseudonym(dialogue_id: int, user_id: int) -> Pseudonym | None:
    """The person's pseudonym in the dialogue, if they have one."""
    return db.session.get(Pseudonym, (dialogue_id, user_id))


def is_new_in(dialogue: Dialogue, user) -> bool:
    """Whether the person has yet to appear in a pseudonymous dialogue, and so may choose the
    name they will go by there with what they first write in it."""
    return (
        dialogue.pseudonymous and user.is_authenticated and pseudonym(dialogue.id, user.id) is None
    )


def person(dialogue: Dialogue | None, user: User | None) -> Shown:
    """How the user appears in the dialogue (for a page or mail showing a few people); with no
    dialogue (an act on an account, such as a suspension), by their name."""
    if user is None:
        return Shown("")
    if dialogue is None or not dialogue.pseudonymous:
        return shown(pseudonymous=False, display_name=user.display_name, username=user.username,
                     organisation=user.organisation)  # fmt: skip
    own = pseudonym(dialogue.id, user.id)
    return shown(pseudonymous=True, display_name=user.display_name, number=own and own.number,
                 chosen=own and own.name)  # fmt: skip


def dialogue_of(thing) -> Dialogue | None:
    """The dialogue a dialogue, topic, post, summary or moderation log entry belongs to (None:
    a log entry about an account, not about dialogue content)."""
    if isinstance(thing, Dialogue):
        return thing
    if hasattr(thing, "action"):  # a moderation log entry
        if thing.dialogue_id is not None:
            return db.session.get(Dialogue, thing.dialogue_id)
        if thing.topic_id is None:
            return None
    if hasattr(thing, "topic"):  # a post
        return thing.topic.dialogue
    if hasattr(thing, "dialogue"):  # a topic
        return thing.dialogue
    if thing.dialogue_id is not None:  # a summary of a dialogue
        return db.session.get(Dialogue, thing.dialogue_id)
    from forum.topics.models import Topic

    return db.session.get(Topic, thing.topic_id).dialogue


def name_in(thing, user: User | None) -> str:
    """The name the user goes by where `thing` (a dialogue, topic, post, summary) is."""
    return person(dialogue_of(thing), user).name


def last_author(topic) -> str:
    """The name of the topic's last poster, read with it by topics.services.find_topic."""
    return shown(
        pseudonymous=topic.dialogue.pseudonymous,
        display_name=topic.last_author,
        number=topic.last_author_number,
        chosen=topic.last_author_chosen,
    ).name


def columns(user, dialogue_id, prefix: str) -> list:
    """The columns a query adds to read how `user` (an aliased User) appears in the dialogue
    whose id is the expression `dialogue_id`: read them back with `of_row`."""
    where = (Pseudonym.dialogue_id == dialogue_id, Pseudonym.user_id == user.id)
    return [
        user.display_name.label(f"{prefix}_name"),
        user.username.label(f"{prefix}_username"),
        select(Pseudonym.number).where(*where).scalar_subquery().label(f"{prefix}_number"),
        select(Pseudonym.name).where(*where).scalar_subquery().label(f"{prefix}_chosen"),
    ]


def of_row(row, prefix: str, *, pseudonymous: bool, lazy: bool = False) -> Shown:
    """How the person read by `columns(..., prefix)` appears."""
    return shown(
        pseudonymous=pseudonymous,
        display_name=getattr(row, f"{prefix}_name"),
        username=getattr(row, f"{prefix}_username"),
        number=getattr(row, f"{prefix}_number"),
        chosen=getattr(row, f"{prefix}_chosen"),
        lazy=lazy,
    )


def enter(dialogue: Dialogue, user: User) -> Pseudonym | None:
    """Give the person their pseudonym in a pseudonymous dialogue, the next number, if they
    have none yet (in the caller's transaction)."""
    if not dialogue.pseudonymous:
        return None
    own = pseudonym(dialogue.id, user.id)
    if own is not None:
        return own
    # The dialogue's row lock (PostgreSQL) orders those who appear at the same moment.
    db.session.execute(select(Dialogue.id).where(Dialogue.id == dialogue.id).with_for_update())
    last = db.session.scalar(
        select(func.max(Pseudonym.number)).where(Pseudonym.dialogue_id == dialogue.id)
    )
    own = Pseudonym(dialogue_id=dialogue.id, user_id=user.id, number=(last or 0) + 1)
    db.session.add(own)
    db.session.flush()
    return own


class NameTaken(ValueError):
    """A pseudonym that cannot be chosen, with a message for the person."""


def choose(dialogue: Dialogue, user: User, name: str) -> Pseudonym:
    """Set the name the person goes by in a pseudonymous dialogue (empty: back to the number).

    Checked like a display name, and unique in the dialogue whatever its case.
    """
    from forum.accounts.services import AccountError, check_display_name

    try:
        name = check_display_name(name or "")
    except AccountError as exc:
        raise NameTaken(str(exc)) from exc
    if len(name) > NAME_MAX:
        raise NameTaken(gettext("A name has at most %(n)d characters.", n=NAME_MAX))
    if GENERATED.match(name):
        raise NameTaken(gettext("A chosen name cannot end in a number, like the given ones."))
    own = enter(dialogue, user)
    key = name.casefold() or None
    if key is not None:
        taken = db.session.scalar(
            select(Pseudonym.user_id).where(
                Pseudonym.dialogue_id == dialogue.id,
                Pseudonym.name_key == key,
                Pseudonym.user_id != user.id,
            )
        )
        if taken is not None:
            raise NameTaken(gettext("Someone in this dialogue already goes by this name."))
    own.name, own.name_key = name or None, key
    # Feeds and the API show the name: their validators move on (forum.changes), the
    # dialogue's and those of its topics where the person appears.
    mark_renamed(user.id, dialogue_id=dialogue.id)
    mark_changed(dialogue_id=dialogue.id)
    db.session.flush()
    return own


# Authors appear when they write; staff when their act is logged (moderation.services.record).
@acts.post_written.connect
def _post_written(post, *, by: User, **_) -> None:
    enter(post.topic.dialogue, by)


@acts.topic_opened.connect
def _topic_opened(topic, *, by: User, **_) -> None:
    enter(topic.dialogue, by)


class Named:
    """A row read with `columns` for some prefixes, each person on it shown: `{prefix}_name`
    is how they appear, `{prefix}_username` their profile (None where it is not shown)."""

    __slots__ = ("_names", "_row")

    def __init__(self, row, prefixes, *, pseudonymous: bool, fields=None) -> None:
        self._row = row
        self._names = names = {}
        if fields is None:  # a result row's column names (named() reads them once), else ask
            fields = getattr(row, "_fields", None)
        for prefix in prefixes:
            # As of_row reads them, with the names made once: a topic page names 100 people.
            read, name, username, organisation = _columns_of(prefix)
            display_name, names[username], number, chosen = read(row)
            if names[username] is None:  # nobody (an outer join's miss)
                who = Shown("")
            else:
                who = shown(pseudonymous=pseudonymous, display_name=display_name,
                            username=names[username], number=number, chosen=chosen)  # fmt: skip
            names[name], names[username] = who.name, who.username
            if (organisation in fields) if fields is not None else hasattr(row, organisation):
                names[organisation] = who.username and getattr(row, organisation)

    def __getattr__(self, name: str):
        names = object.__getattribute__(self, "_names")
        if name in names:
            return names[name]
        return getattr(object.__getattribute__(self, "_row"), name)

    # Rendered pieces are kept under their arguments (forum.fragments): the names are in the key.
    def __eq__(self, other) -> bool:
        return isinstance(other, Named) and (other._row, other._names) == (self._row, self._names)

    def __hash__(self) -> int:
        return hash((Named, self._row, tuple(self._names.items())))


@cache
def _columns_of(prefix: str) -> tuple:
    """What reads the columns `columns(..., prefix)` named, and the names Named shows them by."""
    read = attrgetter(f"{prefix}_name", f"{prefix}_username", f"{prefix}_number",
                      f"{prefix}_chosen")  # fmt: skip
    return read, f"{prefix}_name", f"{prefix}_username", f"{prefix}_organisation"


def named(rows, *prefixes: str, pseudonymous: bool) -> list:
    """Rows read with `columns`, each person on them shown as the dialogue shows them."""
    rows = list(rows)
    fields = getattr(rows[0], "_fields", None) if rows else None  # the same for every row
    return [Named(row, prefixes, pseudonymous=pseudonymous, fields=fields) for row in rows]
