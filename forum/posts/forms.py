"""The form for writing or editing a reply."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from forum import text
from forum.posts.services import SUBJECT_MAX


def _optional_int(value):
    return int(value) if value not in (None, "") else None


class PostForm(FlaskForm):
    subject = StringField(
        _l("Subject (optional)"), validators=[Length(max=SUBJECT_MAX)], render_kw={"maxlength": 200}
    )
    prompt = SelectField(
        _l("Answers the prompt question"),
        coerce=_optional_int,
        validators=[Optional()],
        validate_choice=False,
    )
    body = TextAreaField(
        _l("Your reply"),
        validators=[DataRequired(_l("Write something before posting.")), text.Renders()],
        description=_l("Markdown: **bold**, *italic*, > quote, - list, [link](https://...)."),
        render_kw={"rows": 8},
    )
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Post reply"))

    def set_questions(self, questions) -> None:
        """Offer the topic's prompt questions, numbered, and 'none'."""
        self.prompt.choices = [SelectChoice("", _l("None in particular"))] + [
            SelectChoice(q.id, f"{q.number}. {q.text}") for q in questions
        ]


class ReplyForm(PostForm):
    parent = HiddenField(filters=[_optional_int])
