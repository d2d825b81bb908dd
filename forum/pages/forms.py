"""The admins' form for the code of conduct."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from forum import text
from forum.moderation.forms import ReasonForm


class ConductForm(ReasonForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    source = TextAreaField(
        _l("Text"),
        validators=[DataRequired(), text.Renders()],
        description=_l("Markdown. Sections start with '## '."),
        render_kw={"rows": 20},
    )
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Save the code of conduct"))
