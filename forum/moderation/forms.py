"""The form every moderation act uses: a reason, shown to everybody."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from forum.clock import ZonedDateTimeField, in_zone_note
from forum.forms import Form
from forum.moderation.appeals import STATEMENT_MAX
from forum.moderation.reports import REASON_NAMES
from forum.moderation.rules import RULES
from forum.moderation.services import REASON_MAX
from forum.posts.forms import content_note_field
from forum.templating import ROLE_NAMES


class ReasonForm(Form):
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            Length(
                max=REASON_MAX, message=_l("A reason has at most %(n)d characters.", n=REASON_MAX)
            )
        ],
        description=_l("Shown to everybody, on the page and in the public moderation log."),
        render_kw={"rows": 3, "maxlength": REASON_MAX},
    )


RULE_CHOICES = [SelectChoice("", _l("Choose a rule"))] + [
    SelectChoice(key, name) for key, name in RULES.items()
]
RULE_HELP = _l("Named, with the reason, in the notice the person concerned gets.")


class SanctionForm(ReasonForm):
    """An act on someone's post, topic or account: the rule it applies, and the reason."""

    rule = SelectField(
        _l("Rule of the code of conduct"),
        choices=RULE_CHOICES,
        validate_choice=False,  # the service refuses a rule that is not one
        validators=[DataRequired(_l("Choose the rule of the code of conduct that was broken."))],
        description=RULE_HELP,
    )


class RevealForm(Form):
    reason = TextAreaField(
        _l("Why do you need to know who this is?"),
        validators=[
            Length(
                max=REASON_MAX, message=_l("A reason has at most %(n)d characters.", n=REASON_MAX)
            )
        ],
        description=_l(
            "Required. Kept with your name for the administrators; the public log shows only "
            "that a pseudonym of this dialogue was revealed."
        ),
        render_kw={"rows": 3, "maxlength": REASON_MAX},
    )


class ReportForm(Form):
    reason = RadioField(
        _l("What is wrong with this post?"),
        choices=[SelectChoice(reason.value, name) for reason, name in REASON_NAMES.items()],
        validators=[InputRequired(_l("Choose what is wrong with the post."))],
    )
    note = TextAreaField(
        _l("Note for the moderators"),
        validators=[
            Length(
                max=REASON_MAX, message=_l("A reason has at most %(n)d characters.", n=REASON_MAX)
            )
        ],
        description=_l("Only the moderators read it, and only they see who reported."),
        render_kw={"rows": 3, "maxlength": REASON_MAX},
    )


class ResolveForm(ReasonForm):
    rule = SelectField(
        _l("Rule of the code of conduct (to hide)"),
        choices=RULE_CHOICES,
        validate_choice=False,  # needed to hide only: the service asks for it then
        description=RULE_HELP,
    )
    hide = SubmitField(_l("Hide the post"))
    dismiss = SubmitField(_l("Dismiss the reports"))


class SuspendForm(SanctionForm):
    until = DateField(
        _l("Until (optional)"),
        validators=[Optional()],
        description=in_zone_note(
            "The suspension ends at the start of this day in %(zone)s. Empty: until restored."
        ),
    )


class RoleForm(ReasonForm):
    role = SelectField(
        _l("Site role"), choices=[SelectChoice(r.value, name) for r, name in ROLE_NAMES.items()]
    )


class SlowModeForm(ReasonForm):
    minutes = IntegerField(
        _l("One post per participant every ... minutes"),
        validators=[Optional(), NumberRange(min=0, max=24 * 60)],
        description=_l(
            "Leave empty or 0 to end slow mode. Facilitators and moderators are not slowed."
        ),
    )
    until = ZonedDateTimeField(
        _l("Until (optional)"),
        validators=[Optional()],
        description=in_zone_note("Date and time in %(zone)s."),
    )


class ContentNoteForm(ReasonForm):
    note = content_note_field(_l("Content note"))


class AppealForm(Form):
    statement = TextAreaField(
        _l("Your statement"),
        validators=[
            DataRequired(_l("Say why the decision should be reversed.")),
            Length(
                max=STATEMENT_MAX,
                message=_l("A statement has at most %(n)d characters.", n=STATEMENT_MAX),
            ),
        ],
        description=_l(
            "Why the decision should be reversed. Only the moderators read it; the public log "
            "shows that you appealed, and the outcome."
        ),
        render_kw={"rows": 6, "maxlength": STATEMENT_MAX},
    )


class DecideForm(ReasonForm):
    uphold = SubmitField(_l("Uphold the decision"))
    reverse = SubmitField(_l("Reverse the decision"))
