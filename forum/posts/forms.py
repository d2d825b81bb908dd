"""The form for writing or editing a reply."""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from forum import text
from forum.config import LANGUAGES
from forum.dialogues.forms import first_pseudonym_field
from forum.forms import Form, IdField, optional_id
from forum.posts import notes
from forum.posts.models import OTHER_LANGUAGE
from forum.posts.services import SUBJECT_MAX

OPTIONAL_NOTE = _l("Content note (optional)")


def content_note_field(label=OPTIONAL_NOTE) -> StringField:
    """The content note of a post: a few words its text is collapsed behind."""
    return StringField(
        label,
        validators=[
            Length(
                max=notes.NOTE_MAX,
                message=_l("A content note has at most %(n)d characters.", n=notes.NOTE_MAX),
            ),
            notes.Valid(),
        ],
        description=_l(
            'For example "describes sexual violence". Readers see the note first and open '
            "the post when they choose."
        ),
        render_kw={"maxlength": notes.NOTE_MAX},
    )


def language_names() -> dict:
    """The languages a post may be in, each named in itself; the others together."""
    return {**LANGUAGES, OTHER_LANGUAGE: _l("Another language")}


def language_field() -> SelectField:
    """The language a post is written in: the writer's interface language unless they choose."""
    return SelectField(
        _l("Language of your post"),
        choices=[
            SelectChoice(code, name, render_kw={"lang": code} if code in LANGUAGES else {})
            for code, name in language_names().items()
        ],
        default=lambda: str(get_locale()),
        validate_choice=False,  # the service says which, keeping the text
        description=_l("Search finds your words in all their forms in this language."),
    )


class PostForm(Form):
    subject = StringField(
        _l("Subject (optional)"), validators=[Length(max=SUBJECT_MAX)], render_kw={"maxlength": 200}
    )
    prompt = SelectField(
        _l("Answers the prompt question"),
        coerce=optional_id,
        validators=[Optional()],
        validate_choice=False,
    )
    body = TextAreaField(
        _l("Your reply"),
        validators=[DataRequired(_l("Write something before posting.")), text.Renders()],
        description=_l("Markdown: **bold**, *italic*, > quote, - list, [link](https://...)."),
        render_kw={"rows": 8},
    )
    content_note = content_note_field()
    language = language_field()
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Post reply"))

    def set_questions(self, questions) -> None:
        """Offer the topic's prompt questions, numbered, and 'none'."""
        self.prompt.choices = [SelectChoice("", _l("None in particular"))] + [
            SelectChoice(q.id, f"{q.number}. {q.text}") for q in questions
        ]


class ReplyForm(PostForm):
    parent = IdField()
    pseudonym = first_pseudonym_field()
