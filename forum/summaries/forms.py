"""The form for writing a summary."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SubmitField, TextAreaField
from wtforms.validators import DataRequired

from forum import text
from forum.forms import Form


class SummaryForm(Form):
    source = TextAreaField(
        _l("Summary"),
        validators=[
            DataRequired(_l("Write the summary before saving it.")),
            text.Renders(),
        ],
        description=_l("Markdown. Cite a post with #p and its number, e.g. #p123, or its link."),
        render_kw={"rows": 14},
    )
    pinned = BooleanField(_l("Pin it above the conversation"), default=True)
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Save the summary"))
