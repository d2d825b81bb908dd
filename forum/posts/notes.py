"""Content notes: a few words a post's text is collapsed behind ("describes sexual violence").

Pages show the note as the summary of a <details> element, so the text opens on a click, with
or without JavaScript; a reader may choose to have every noted post open. Feeds and mail cannot
collapse anything: they show the note first and the text below a marker line.
"""

import unicodedata

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms.validators import ValidationError

from forum.accounts.names import has_bidi_controls

NOTE_MAX = 200
MARKER = _l("The post follows below this line.")


class NoteRefused(ValueError):
    """A content note that cannot be kept as written, with a message for its writer."""


def check_note(note: str | None) -> str:
    """Return the note on one line, trimmed, if it is short and holds no control characters."""
    note = " ".join((note or "").split())
    if len(note) > NOTE_MAX:
        raise NoteRefused(_l("A content note has at most %(n)d characters.", n=NOTE_MAX))
    if any(unicodedata.category(char) == "Cc" for char in note) or has_bidi_controls(note):
        raise NoteRefused(_l("A content note cannot hold control characters."))
    return note


class Valid:
    """A form validator: the field's text must be a content note check_note() keeps."""

    def __call__(self, form, field) -> None:
        try:
            check_note(field.data)
        except NoteRefused as exc:
            raise ValidationError(str(exc)) from exc


def heading(note: str) -> str:
    """The note as every channel announces it: 'Content note: ...'."""
    return str(_l("Content note: %(note)s", note=note))


def feed_html(note: str, html: Markup) -> Markup:
    """A feed item's HTML: the note, a marker line, then the post's cleaned HTML."""
    if not note:
        return html
    head = Markup("<p><strong>%s</strong></p>\n<p>——— %s ———</p>\n<hr>\n") % (
        heading(note),
        escape(str(MARKER)),
    )
    return head + html


def opens(user) -> bool:
    """Whether this reader has noted posts shown open (anonymous readers: no)."""
    return bool(user.is_authenticated and user.opens_noted_posts)
