"""Forms for registering, logging in, and editing a profile or password."""

import unicodedata
from functools import lru_cache

import pytz
from babel.dates import get_timezone_location
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, ValidationError

from forum.accounts import services
from forum.accounts.models import ChoiceKind
from forum.config import LANGUAGES
from forum.forms import Form, optional_id

# Codes CLDR lists as territories that are not countries a person would say they live in.
NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}
USERNAME_MAX = 30
EMAIL_MAX = 254  # the longest address SMTP carries (RFC 5321)
PASSWORD_MAX = 1000  # room for any passphrase; bounds the work of hashing one


def country_choices() -> list[SelectChoice]:
    """Countries by ISO code, named and sorted in the reader's language."""
    names = get_locale().territories
    countries = [
        SelectChoice(code, name)
        for code, name in names.items()
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    ]
    countries.sort(key=lambda choice: choice.label.casefold())
    return [SelectChoice("", _l("Not given")), *countries]


# The regions of the IANA zone names; the others (US/..., Canada/..., GMT) repeat their zones.
ZONE_REGIONS = {
    "Africa": _l("Africa"),
    "America": _l("Americas"),
    "Antarctica": _l("Antarctica"),
    "Arctic": _l("Arctic"),
    "Asia": _l("Asia"),
    "Atlantic": _l("Atlantic Ocean"),
    "Australia": _l("Australia"),
    "Europe": _l("Europe"),
    "Indian": _l("Indian Ocean"),
    "Pacific": _l("Pacific Ocean"),
}


def unidecoded(text: str) -> str:
    """The text without accents, casefolded: a sort key that readers of any language expect."""
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).casefold()


def zone_choices() -> list[SelectChoice]:
    """UTC, then the common time zones by region, each as 'Country (City)' in the reader's
    language, so that a person finds theirs by their country."""
    return _zone_choices(str(get_locale()))


@lru_cache(maxsize=8)
def _zone_choices(language: str) -> list[SelectChoice]:
    countries = {zone: code for code, zones in pytz.country_timezones.items() for zone in zones}
    territories = get_locale().territories
    choices = []
    for zone in pytz.common_timezones:
        region = ZONE_REGIONS.get(zone.split("/")[0])
        if region is None:
            continue
        city = get_timezone_location(zone, locale=language, return_city=True)
        country = territories.get(countries.get(zone, ""))
        label = f"{country} ({city})" if country and country != city else city
        choices.append(SelectChoice(zone, label, optgroup=str(region)))
    # By letter, accents aside ('Bénin' beside 'Belize', not after 'Burundi').
    choices.sort(key=lambda choice: (choice.optgroup, unidecoded(choice.label)))
    return [SelectChoice("", _l("UTC (the default)")), *choices]


def _service_check(check):
    """Turn a service check that raises AccountError into a WTForms validator."""

    def validator(form, field):
        if field.errors:  # one message at a time: the length is checked first
            return
        try:
            check(field.data)
        except services.AccountError as exc:
            raise ValidationError(str(exc)) from exc

    return validator


class RegisterForm(Form):
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(),
            Length(max=USERNAME_MAX, message=services.USERNAME_RULE),
            _service_check(services.check_username),
        ],
        description=_l("3 to 30 letters, digits, '_', '-' or '.'. Others see it on your posts."),
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    email = EmailField(
        _l("Email"),
        # Whether an address has an account is never said: see services.register.
        validators=[
            DataRequired(),
            Length(max=EMAIL_MAX),
            _service_check(services.normalise_email),
        ],
        description=_l("Never shown to others."),
        render_kw={"autocomplete": "email"},
    )
    display_name = StringField(
        _l("Display name"),
        validators=[DataRequired(), Length(max=80), _service_check(services.check_display_name)],
        description=_l("Your name as others see it, for example 'Amina Diallo'."),
        render_kw={"autocomplete": "name"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            InputRequired(),
            Length(max=PASSWORD_MAX),
            _service_check(services.check_password),
        ],
        description=_l("At least %(n)d characters.", n=services.PASSWORD_MIN_LENGTH),
        render_kw={"autocomplete": "new-password"},
    )
    password2 = PasswordField(
        _l("Password again"),
        validators=[
            InputRequired(),
            Length(max=PASSWORD_MAX),
            EqualTo("password", message=_l("The passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    accept_code = BooleanField(
        _l("I have read the code of conduct and will follow it."),
        validators=[DataRequired(_l("Please accept the code of conduct to take part."))],
    )


class ForgotPasswordForm(Form):
    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(),
            Length(max=EMAIL_MAX),
            _service_check(services.normalise_email),
        ],
        description=_l("The address of your account."),
        render_kw={"autocomplete": "email"},
    )


class ResetPasswordForm(Form):
    password = RegisterForm.password
    password2 = RegisterForm.password2


class EmailChangeForm(Form):
    email = EmailField(
        _l("New email address"),
        validators=[
            DataRequired(),
            Length(max=EMAIL_MAX),
            _service_check(services.normalise_email),
        ],
        description=_l("Never shown to others. We mail it a link to confirm it is yours."),
        render_kw={"autocomplete": "email"},
    )
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(), Length(max=PASSWORD_MAX)],
        render_kw={"autocomplete": "current-password"},
    )


class LoginForm(Form):
    login = StringField(
        _l("Username or email"),
        validators=[DataRequired(), Length(max=EMAIL_MAX)],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(), Length(max=PASSWORD_MAX)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Remember me on this device"))


def _choice_value(value) -> str:
    return "" if value in (None, "") else str(value)


class ProfileForm(Form):
    display_name = StringField(
        _l("Display name"),
        validators=[DataRequired(), Length(max=80), _service_check(services.check_display_name)],
    )
    organisation = StringField(_l("Organisation"), validators=[Length(max=120)])
    country = SelectField(_l("Country"), choices=[], validate_choice=True)
    bio = TextAreaField(
        _l("About you"),
        validators=[Length(max=500)],
        description=_l("A few words for other participants, up to 500 characters."),
    )
    locale = SelectField(
        _l("Language of the interface"),
        choices=[
            SelectChoice("", _l("As my browser asks")),
            *(
                SelectChoice(code, name, render_kw={"lang": code})
                for code, name in LANGUAGES.items()
            ),
        ],
    )

    timezone = SelectField(
        _l("Time zone"),
        choices=[],
        description=_l("The forum shows every date and time in this zone."),
    )
    opens_noted_posts = BooleanField(
        _l("Open posts with a content note"),
        description=_l("Their text shows at once, below the note, instead of collapsed behind it."),
    )
    follows_own_topics = BooleanField(
        _l("Follow the topics I write in"),
        description=_l("You are told of new posts in them."),
    )
    mail_mode = SelectField(
        _l("Mail about what I follow"),
        choices=[
            SelectChoice("instant", _l("Each new post at once")),
            SelectChoice("daily", _l("A daily digest")),
            SelectChoice("weekly", _l("A weekly digest")),
            SelectChoice("none", _l("No mail: notifications in the forum only")),
        ],
    )

    declared_role_id = SelectField(
        _l("Your role in the dialogues"), choices=[], coerce=_choice_value, validate_choice=False
    )
    declared_region_id = SelectField(
        _l("Your region"), choices=[], coerce=_choice_value, validate_choice=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices()
        self.timezone.choices = zone_choices()
        self.declared_role_id.choices = declarable(ChoiceKind.role)
        self.declared_region_id.choices = declarable(ChoiceKind.region)

    def validate_declared_role_id(self, field) -> None:
        _check_choice(field)

    def validate_declared_region_id(self, field) -> None:
        _check_choice(field)

    def declared(self, field) -> int | None:
        """The id of the choice made in one of the declaration fields (None: not saying)."""
        return optional_id(field.data)


def declarable(kind: ChoiceKind) -> list[SelectChoice]:
    """What a person may declare of one kind, "Prefer not to say" first (the default)."""
    from forum.participation.choices import choices

    return [
        SelectChoice("", _l("Prefer not to say")),
        *(SelectChoice(str(choice.id), choice.label) for choice in choices(kind)),
    ]


def _check_choice(field) -> None:
    try:
        optional_id(field.data)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


class PasswordForm(Form):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(), Length(max=PASSWORD_MAX)],
        render_kw={"autocomplete": "current-password"},
    )
    password = PasswordField(
        _l("New password"),
        validators=[
            InputRequired(),
            Length(max=PASSWORD_MAX),
            _service_check(services.check_password),
        ],
        description=_l("At least %(n)d characters.", n=services.PASSWORD_MIN_LENGTH),
        render_kw={"autocomplete": "new-password"},
    )
    password2 = PasswordField(
        _l("New password again"),
        validators=[
            InputRequired(),
            Length(max=PASSWORD_MAX),
            EqualTo("password", message=_l("The passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ArchiveForm(Form):
    current_password = PasswordField(
        _l("Your password"),
        validators=[InputRequired(), Length(max=PASSWORD_MAX)],
        description=_l(
            "Asked again because the archive ties your pseudonyms to your account: someone who "
            "picks up your unlocked phone should not be able to take it."
        ),
        render_kw={"autocomplete": "current-password"},
    )


class DeleteAccountForm(Form):
    posts = RadioField(
        _l("What you wrote in the dialogues"),
        choices=[
            SelectChoice(
                "keep",
                _l('Keep my posts: their text stays, signed "A former participant".'),
            ),
            SelectChoice(
                "remove",
                _l(
                    "Remove my posts' text: each shows that its author removed it; the replies "
                    "to it stay."
                ),
            ),
        ],
        validators=[InputRequired(_l("Choose what happens to your posts."))],
    )
    current_password = PasswordField(
        _l("Your password"),
        validators=[InputRequired(), Length(max=PASSWORD_MAX)],
        render_kw={"autocomplete": "current-password"},
    )
