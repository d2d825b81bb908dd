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

from forum import text
from forum.clock import ZonedDateTimeField, in_zone_note
from forum.dialogues.models import DialogueState
from forum.dialogues.services import TITLE_MAX
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


class PseudonymForm(Form):
    name = StringField(
        _l("Your name in this dialogue (optional)"),
        validators=[Length(max=80)],
        description=_l(
            "Shown instead of your number, and only here. Leave it empty to go by a number. "
            "Choose one that does not tell who you are."
        ),
    )


class EditDialogueForm(DialogueForm):
    slug = None


class FacilitatorForm(Form):
    username = StringField(
        _l("Username"),
        validators=[DataRequired(), Length(max=30)],
        render_kw={"autocapitalize": "none"},
    )
