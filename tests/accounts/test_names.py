"""Display names: no text-reordering or invisible names; a warning for look-alikes of staff."""

import pytest
from sqlalchemy import select

from forum.accounts.models import Role, User
from forum.accounts.names import confusable
from forum.extensions import db
from tests.accounts.test_views import GOOD

BAD_NAMES = [
    ("Amina \u202eilladiD", "change text direction"),  # right-to-left override
    ("\u2066Amina\u2069", "change text direction"),  # isolates
    ("\u202aAmina", "change text direction"),
    ("\u200b\u200b", "at least one visible"),  # zero-width spaces
    ("\u200d \u2060", "at least one visible"),
    ("\u3164\u3164", "at least one visible"),  # Hangul fillers
    ("\u2800", "at least one visible"),  # blank Braille pattern
]
LOOK_ALIKE = "Readers could mistake your display name for that of Nadia Haddad"


def display_names(app) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(select(User.display_name)))


@pytest.mark.parametrize(("name", "message"), BAD_NAMES)
def test_registration_refuses_names_that_reorder_text_or_show_nothing(app, client, name, message):
    response = client.submit("/register", {**GOOD, "display_name": name})
    assert response.status_code == 422
    assert message in response.text
    assert 'value="Lucia.P"' in response.text
    assert display_names(app) == []


@pytest.mark.parametrize(("name", "message"), BAD_NAMES)
def test_profile_refuses_names_that_reorder_text_or_show_nothing(app, client, user, name, message):
    client.login("amina")
    response = client.submit("/profile", {"display_name": name, "country": "", "locale": ""})
    assert response.status_code == 422
    assert message in response.text
    assert display_names(app) == ["Amina Diallo"]


def test_the_command_line_refuses_them_too(app):
    result = app.test_cli_runner().invoke(
        args=[
            *("user", "create", "--username", "xavier", "--email", "x1@example.org"),
            *("--display-name", "\u202eevil"),
        ]
    )
    assert result.exit_code != 0
    assert "change text direction" in result.output
    assert display_names(app) == []


@pytest.fixture
def staff(create_user):
    create_user("nadia", role=Role.admin, display_name="Nadia Haddad")
    create_user("grace", role=Role.moderator, display_name="Grace Mutesi")


@pytest.mark.parametrize(
    "name",
    # the same, lower case, Cyrillic a and i, a zero-width space, mathematical bold
    [
        "Nadia Haddad",
        "nadia haddad",
        "N\u0430d\u0456\u0430 H\u0430dd\u0430d",
        "Nadia\u200bHaddad",
        (
            "\U0001d40d\U0001d41a\U0001d41d\U0001d422\U0001d41a "
            "\U0001d407\U0001d41a\U0001d41d\U0001d41d\U0001d41a\U0001d41d"
        ),
    ],
)
def test_a_name_like_an_admins_is_saved_with_a_warning(app, client, user, staff, name):
    client.login("amina")
    response = client.submit(
        "/profile", {"display_name": name, "country": "", "locale": ""}, follow_redirects=True
    )
    assert "Your profile is saved." in response.text
    assert LOOK_ALIKE in response.text
    assert name in display_names(app)


def test_an_own_name_warns_nobody(app, client, user, staff):
    client.login("amina")
    response = client.submit(
        "/profile", {"display_name": "Amina D.", "country": "", "locale": ""}, follow_redirects=True
    )
    assert "Readers could mistake" not in response.text
    moderator = app.test_client()
    moderator.login("grace")
    response = moderator.submit(
        "/profile",
        {"display_name": "Grace Mutesi", "country": "", "locale": ""},
        follow_redirects=True,
    )
    assert "Readers could mistake" not in response.text


def test_registration_warns_of_a_look_alike_name(client, staff):
    response = client.submit(
        "/register",
        {**GOOD, "display_name": "Nadia \u0397addad"},  # Greek capital eta
        follow_redirects=True,
    )
    assert LOOK_ALIKE in response.text


def test_the_command_line_warns_of_a_look_alike_name(app, staff):
    result = app.test_cli_runner().invoke(
        args=[
            *("user", "create", "--username", "nadia2", "--email", "n2@example.org"),
            *("--display-name", "Nadia Haddad"),
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Warning: readers could take 'Nadia Haddad' for Nadia Haddad." in result.output


@pytest.mark.parametrize(
    ("one", "other", "alike"),
    [
        ("Amina Diallo", "\u0410mina DiaIlo", True),  # Cyrillic A, capital I for l
        ("Lucía Pérez", "Lucia Perez", True),
        ("Omar", "0mar", True),
        ("Grace", "Gr\u0430\u0441\u0435", True),
        ("Amina Diallo", "Babar Khan", False),
        ("Nadia Haddad", "Nadia", False),
    ],
)
def test_confusable_names(one, other, alike):
    assert confusable(one, other) is alike
