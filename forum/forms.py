"""What every form of the forum shares: text that is never None, ids in range, one status."""

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, IntegerField, StringField
from wtforms.validators import Optional
from wtforms.widgets import HiddenInput

from forum.inputs import whole_number

CHANGED = _l("This form was changed or is out of date: please reload the page.")
REFUSED = 422  # a sent form shown again with its errors: the text is kept, nothing was done


class Form(FlaskForm):
    """A form that reads a text field missing from a sent form as empty, as browsers send one.

    So no service is ever handed None for text, and a required field that is missing gets the
    same message as one left empty.
    """

    def process(self, *args, **kwargs) -> None:
        super().process(*args, **kwargs)
        for field in _text_fields(self):
            # raw_data is [] only when a form was sent without this field.
            if field.data is None or field.raw_data == []:
                field.data = ""


def _text_fields(fields):
    for field in fields:
        if isinstance(field, FieldList):
            yield from _text_fields(field.entries)
        elif isinstance(field, FormField):
            yield from _text_fields(field.form)
        elif isinstance(field, StringField):
            yield field


class IdField(IntegerField):
    """A hidden id (say, of the post replied to): None unless a whole number in the id range.

    Checked as soon as the form is read, so a view may look the id up before validating.
    """

    widget = HiddenInput()

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        super().__init__(label, validators or [Optional()], **kwargs)

    def process_formdata(self, valuelist) -> None:
        self.data = None  # and so it stays if the value cannot be an id
        self.data = optional_id(valuelist[0] if valuelist else None)


def optional_id(value):
    """A database id from a form value, None if empty; ValueError if it cannot be one."""
    if value in (None, ""):
        return None
    number = whole_number(str(value))
    if number is None:
        raise ValueError(CHANGED)
    return number


def form_page(template: str, form, **context):
    """Render a form's page: 422 if a sent form comes back with errors, else 200."""
    status = REFUSED if request.method == "POST" and form.errors else 200
    return render_template(template, form=form, **context), status
