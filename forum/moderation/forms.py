"""The form every moderation act uses: a reason, shown to everybody."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length

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
