"""Forms for creating and editing dialogues and assigning facilitators."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from forum import people, text
from forum.clock import ZonedDateTimeField, in_zone_note
from forum.dialogues.models import DialogueState
from forum.dialogues.services import LICENCE_MAX, TITLE_MAX
from forum.forms import Form

STATE_NAMES = {
    DialogueState.open: _l("Open"),
    DialogueState.closed: _l("Closed"),
    DialogueState.archived: _l("Archived"),
}


class DialogueForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    slug = StringField(
        _l("Address"),
        validators=[DataRequired(), Length(min=3, max=80)],
        description=_l("Lowercase letters, digits and hyphens; it cannot change later."),
        render_kw={"autocapitalize": "none", "spellcheck": "false"},
    )
    description = TextAreaField(
        _l("Description"),
        validators=[text.Renders()],
        description=_l("Markdown. Say what the dialogue is for, when it runs, how to take part."),
        render_kw={"rows": 8},
    )
    state = SelectField(
        _l("State"),
        choices=[SelectChoice(state.value, name) for state, name in STATE_NAMES.items()],
        default=DialogueState.open.value,
        description=_l("Closed: nobody can post. Archived: read-only, listed apart."),
    )
    closes_at = ZonedDateTimeField(
        _l("Closes on (optional)"),
        validators=[Optional()],
        description=in_zone_note(
            "Date and time in %(zone)s. From then on nobody can post, without anyone acting."
        ),
    )
    allow_participant_topics = BooleanField(_l("Participants may open topics too"))
    pseudonymous = BooleanField(
        _l("Pseudonymous: everyone appears under a pseudonym of this dialogue"),
        description=_l(
            "Not even the facilitators see who is behind a pseudonym. It can be changed only "
            "while nobody has written in the dialogue."
        ),
    )
    licence = StringField(
        _l("Licence of its report and exports (optional)"),
        validators=[Length(max=LICENCE_MAX)],
        description=_l(
            'Printed on the report and in every export, e.g. "CC BY 4.0". Empty: the exports '
            "say that no licence was set and reuse needs the forum's permission."
        ),
    )
    readers_may_export = BooleanField(
        _l("Once archived, every reader may read its report and export it"),
        description=_l(
            "Otherwise only its facilitators and the moderators can. Hidden posts are never in "
            "it, and people appear as they do on the pages."
        ),
    )


class PseudonymForm(Form):
    name = StringField(
        _l("Your name in this dialogue (optional)"),
        validators=[Length(max=80)],
        description=_l(
            "Shown instead of your number, and only here. Leave it empty to go by a number. "
            "Choose one that does not tell who you are."
        ),
    )


def first_pseudonym_field() -> StringField:
    """The name one will go by in a pseudonymous dialogue, chosen with what one first writes."""
    return StringField(
        _l("The name you will go by in this dialogue (optional)"),
        validators=[
            Length(
                max=people.NAME_MAX,
                message=_l("A name has at most %(n)d characters.", n=people.NAME_MAX),
            )
        ],
        description=_l(
            'Leave it empty to appear as "Participant" and a number. Nobody else here may go '
            "by the same name. Only this pseudonym is shown, never your account's name: you may "
            "change it later on the dialogue's page, but only to another pseudonym. Choose one "
            "that does not tell who you are."
        ),
        # A browser would offer the person's own name.
        render_kw={"maxlength": people.NAME_MAX, "autocomplete": "off"},
    )


def offer_first_pseudonym(form, dialogue, user) -> None:
    """Keep a form's `pseudonym` field only for a person yet to appear in a pseudonymous
    dialogue (people.is_new_in); elsewhere the form has none (None)."""
    if not people.is_new_in(dialogue, user):
        del form.pseudonym


class EditDialogueForm(DialogueForm):
    slug = None


class FacilitatorForm(Form):
    username = StringField(
        _l("Username"),
        validators=[DataRequired(), Length(max=30)],
        render_kw={"autocapitalize": "none"},
    )
