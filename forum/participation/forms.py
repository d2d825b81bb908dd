"""The admins' form for the choices people may declare."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from forum.forms import Form
from forum.participation.choices import LABEL_MAX


class ChoiceForm(Form):
    label = StringField(
        _l("Label"),
        validators=[
            DataRequired(_l("Write the choice's label.")),
            Length(max=LABEL_MAX, message=_l("A label has at most %(max)d characters.")),
        ],
    )
