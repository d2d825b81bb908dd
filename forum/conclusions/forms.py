"""The form for writing a conclusion under a prompt question."""

from flask_babel import lazy_gettext as _l
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from forum import text
from forum.conclusions.services import SOURCE_MAX
from forum.forms import Form


def _bounded() -> Length:
    check = Length(
        max=SOURCE_MAX, message=_l("A conclusion has at most %(n)d characters.", n=SOURCE_MAX)
    )
    # No maxlength in the page (as text.Renders): the server refuses a long paste with a
    # message and gives the whole text back, where a browser would cut it short.
    check.field_flags = {}
    return check


class ConclusionForm(Form):
    source = TextAreaField(
        _l("Conclusion"),
        validators=[
            DataRequired(_l("Write the conclusion before saving it.")),
            _bounded(),
            text.Renders(),
        ],
        description=_l(
            "Markdown, a few sentences. Cite a post with #p and its number, e.g. #p123, "
            "or its link."
        ),
        render_kw={"rows": 8},
    )
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Save the conclusion"))
