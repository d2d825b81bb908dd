"""The form for opening or editing a topic with its prompt questions."""

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from forum import text
from forum.dialogues.forms import first_pseudonym_field
from forum.forms import Form
from forum.topics.services import QUESTION_MAX, QUESTIONS_MAX, TITLE_MAX


class TopicForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    framing = TextAreaField(
        _l("Framing"),
        validators=[DataRequired(), text.Renders()],
        description=_l("Markdown. Open the conversation: context, purpose, what you hope for."),
        render_kw={"rows": 10},
    )
    questions = FieldList(
        TextAreaField(validators=[Length(max=QUESTION_MAX)], render_kw={"rows": 2}),
        min_entries=QUESTIONS_MAX,
        max_entries=QUESTIONS_MAX,
    )


class NewTopicForm(TopicForm):
    pseudonym = first_pseudonym_field()
