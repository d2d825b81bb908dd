"""The search form: a query and its filters, read from the address (GET), so a search can be
bookmarked and works without JavaScript."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SearchField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional

from forum.config import LANGUAGES
from forum.forms import Form, IdField, optional_id
from forum.posts.forms import language_names
from forum.search.query import MAX_LENGTH, TOO_LONG

KIND_NAMES = {"post": _l("Posts"), "summary": _l("Summaries"), "topic": _l("Topics")}
SORTS = {"relevance": _l("Most relevant first"), "newest": _l("Newest first")}


class SearchForm(Form):
    class Meta:
        csrf = False  # a search changes nothing, and its address is shared

    q = SearchField(
        _l("Search for"),
        validators=[Length(max=MAX_LENGTH, message=TOO_LONG)],
        description=_l(
            'Every word must be in the text; "words in quotes" as a phrase; -word leaves out '
            "texts with that word. Accents and word endings do not count."
        ),
        render_kw={"maxlength": MAX_LENGTH},
    )
    topic = IdField()
    dialogue = SelectField(_l("Dialogue"), validate_choice=False)
    prompt = SelectField(
        _l("Answers the prompt question"), coerce=optional_id, validate_choice=False
    )
    author = StringField(
        _l("Written by (username)"),
        validators=[Length(max=30)],
        description=_l(
            "Pseudonymous dialogues are left out: nobody's words there are found by their account."
        ),
        render_kw={"autocapitalize": "none", "spellcheck": "false"},
    )
    since = DateField(_l("On or after"), validators=[Optional()])
    until = DateField(_l("On or before"), validators=[Optional()])
    language = SelectField(_l("Language"), validate_choice=False)
    kind = SelectField(
        _l("Show"),
        choices=[SelectChoice("", _l("Everything"))]
        + [SelectChoice(kind, name) for kind, name in KIND_NAMES.items()],
        validate_choice=False,
    )
    sort = SelectField(
        _l("Order"),
        choices=[SelectChoice(key, name) for key, name in SORTS.items()],
        validate_choice=False,
    )
    hidden = BooleanField(_l("Include hidden posts"))

    def set_choices(self, dialogues, questions) -> None:
        """Offer the dialogues (slug, title) and the chosen topic's prompt questions."""
        self.dialogue.choices = [SelectChoice("", _l("All dialogues"))] + [
            SelectChoice(slug, title) for slug, title in dialogues
        ]
        self.prompt.choices = [SelectChoice("", _l("Any or none"))] + [
            SelectChoice(q.id, f"{q.number}. {q.text}") for q in questions
        ]
        self.language.choices = [SelectChoice("", _l("Any language"))] + [
            SelectChoice(code, name, render_kw={"lang": code} if code in LANGUAGES else {})
            for code, name in language_names().items()
        ]

    def is_refined(self) -> bool:
        """Whether any filter beyond the query and the topic is chosen."""
        return any(
            field.data for field in (self.dialogue, self.prompt, self.author, self.since,
                                     self.until, self.language, self.kind, self.hidden)
        ) or self.sort.data == "newest"  # fmt: skip
