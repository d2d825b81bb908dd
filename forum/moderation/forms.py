"""The form every moderation act uses: a reason, shown to everybody."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from forum.moderation.reports import REASON_NAMES
from forum.moderation.services import REASON_MAX


class ReasonForm(FlaskForm):
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


class ReportForm(FlaskForm):
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
    hide = SubmitField(_l("Hide the post"))
    dismiss = SubmitField(_l("Dismiss the reports"))
