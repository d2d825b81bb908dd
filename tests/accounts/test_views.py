"""Registering, logging in and out, profiles and passwords, as a person in a browser."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.accounts import services
from forum.accounts.models import User
from forum.clock import utcnow
from forum.extensions import db
from tests.conftest import PASSWORD

GOOD = {
    "username": "Lucia.P",
    "email": "Lucia@Example.org",
    "display_name": "Lucía Pérez",
    "password": "a long enough password",
    "password2": "a long enough password",
    "accept_code": "y",
}


def users(app) -> list[User]:
    with app.app_context():
        return list(db.session.scalars(select(User)))


NEUTRAL = "Unless this email address already had an account, yours is ready: log in below."


def test_register_creates_account_and_sends_the_newcomer_to_log_in(app, client):
    response = client.submit("/register?next=%2Fprofile", GOOD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/profile"
    page = client.get(response.headers["Location"]).text
    assert NEUTRAL in page
    assert 'value="Lucia.P"' in page  # the login form is filled in
    [user] = users(app)
    assert (user.username, user.username_key, user.email) == (
        "Lucia.P",
        "lucia.p",
        "lucia@example.org",
    )
    assert user.password_hash.startswith("scrypt:")
    assert GOOD["password"] not in user.password_hash
    response = client.login("Lucia.P", GOOD["password"], follow_redirects=True)
    assert 'action="/logout"' in response.text


def test_registering_a_taken_email_answers_as_a_new_account_does(app, user, monkeypatch):
    hashed = []
    real_hash = services.hash_password
    monkeypatch.setattr(services, "hash_password", lambda pw: hashed.append(pw) or real_hash(pw))
    answers = []
    for username, email in (("newcomer", "new@example.org"), ("intruder", "AMINA@example.org")):
        client = app.test_client()
        response = client.submit("/register", {**GOOD, "username": username, "email": email})
        page = client.get(response.headers["Location"]).text
        answers.append((response.status_code, response.headers["Location"], NEUTRAL in page))
        assert "exists" not in page and "taken" not in page
    assert answers[0] == answers[1] == (302, "/login", True)
    assert len(hashed) == 2  # both ways spend the time of a password hash
    assert sorted(u.username for u in users(app)) == ["amina", "newcomer"]
    assert app.test_client().login("amina").status_code == 302  # the owner's account is intact


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"username": "AMINA"}, "This username is taken."),
        ({"username": "am"}, "Usernames have 3 to 30 characters"),
        ({"username": "amina diallo"}, "Usernames have 3 to 30 characters"),
        ({"username": "x" * 31}, "Usernames have 3 to 30 characters"),
        ({"email": "not-an-address"}, "This is not a valid email address."),
        ({"password": "short", "password2": "short"}, "Passwords have at least 10 characters."),
        ({"password2": "another long password"}, "The passwords differ."),
        ({"accept_code": ""}, "Please accept the code of conduct to take part."),
        ({"display_name": ""}, "This field is required."),
    ],
)
def test_register_refuses_bad_input_and_keeps_what_was_typed(app, client, user, change, message):
    response = client.submit("/register", {**GOOD, **change})
    assert response.status_code == 422
    assert message in response.text
    assert len(users(app)) == 1
    kept = {**GOOD, **change}
    for name in ("username", "email"):
        assert f'value="{kept[name]}"' in response.text
    assert "Lucía Pérez" in response.text or not kept["display_name"]


def test_register_without_csrf_token_is_refused_and_shows_the_typed_text(app, client):
    response = client.post("/register", data=GOOD)
    assert response.status_code == 400
    assert "The form expired" in response.text
    assert "Lucía Pérez" in response.text
    assert GOOD["password"] not in response.text
    assert users(app) == []


@pytest.mark.parametrize("login", ["amina", "AMINA", "amina@example.org", "Amina@Example.org"])
def test_login_with_username_or_email_in_any_case(client, user, login):
    response = client.login(login, follow_redirects=True)
    assert 'action="/logout"' in response.text
    assert "Amina Diallo" in response.text


@pytest.mark.parametrize(
    ("login", "password"), [("amina", "wrong password!"), ("nobody", PASSWORD)]
)
def test_login_failure_does_not_say_which_part_was_wrong(client, user, login, password):
    response = client.login(login, password)
    assert response.status_code == 422
    assert "Wrong username or password." in response.text
    assert f'value="{login}"' in response.text
    assert 'action="/logout"' not in response.text


def test_login_returns_to_the_page_asked_for(client, user):
    response = client.get("/profile")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fprofile"
    response = client.submit("/login?next=%2Fprofile", {"login": "amina", "password": PASSWORD})
    assert response.headers["Location"] == "/profile"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:/x",
    ],
)
def test_login_never_redirects_off_site(client, user, target):
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"login": "amina", "password": PASSWORD, "csrf_token": client.csrf_token("/login")},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_logout_needs_a_post_and_ends_the_session(client, user):
    client.login("amina")
    assert client.get("/logout").status_code == 405
    response = client.submit("/logout", page="/", follow_redirects=True)
    assert "You have logged out." in response.text
    assert client.get("/profile").status_code == 302


def test_remember_me_keeps_the_person_logged_in_after_the_session_ends(client, user):
    response = client.login("amina", remember="y")
    assert "remember_token=" in ",".join(response.headers.getlist("Set-Cookie"))
    client.delete_cookie("session")
    assert client.get("/profile").status_code == 200


def test_without_remember_me_closing_the_browser_logs_out(client, user):
    response = client.login("amina")
    assert "remember_token=" not in ",".join(response.headers.getlist("Set-Cookie"))
    client.delete_cookie("session")
    assert client.get("/profile").status_code == 302


def test_suspended_user_cannot_log_in_and_is_told_why(app, client, user):
    with app.app_context():
        services.suspend_user(db.session.get(User, user.id), reason="Repeated harassment")
        db.session.commit()
    response = client.login("amina")
    assert response.status_code == 422
    assert "Your account is suspended: Repeated harassment" in response.text
    assert 'action="/logout"' not in response.text


def test_suspension_ends_an_open_session_on_the_next_request(app, client, user):
    client.login("amina", remember="y")
    assert client.get("/profile").status_code == 200
    with app.app_context():
        services.suspend_user(db.session.get(User, user.id), reason="Spam")
        db.session.commit()
    assert client.get("/profile").status_code == 302
    assert 'action="/logout"' not in client.get("/").text


def test_a_suspension_that_has_ended_lets_the_person_in(app, client, user):
    with app.app_context():
        member = db.session.get(User, user.id)
        services.suspend_user(member, reason="Cooling off", until=utcnow() + timedelta(hours=1))
        member.suspended_until = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert client.login("amina").status_code == 302


def test_public_profile_shows_what_the_person_chose_to_share(client, create_user):
    create_user(
        "babar",
        display_name="Babar Khan",
        organisation="Men for Gender Justice",
        country="PK",
        bio="Working with young men in Lahore.",
    )
    response = client.get("/u/babar")
    assert response.status_code == 200
    for text in ("Babar Khan", "Men for Gender Justice", "Pakistan", "Working with young men"):
        assert text in response.text
    assert "babar@example.org" not in response.text
    assert client.get("/u/BABAR").headers["Location"] == "/u/babar"
    assert client.get("/u/nobody").status_code == 404


def test_edit_profile(app, client, user):
    client.login("amina")
    response = client.submit(
        "/profile",
        {
            "display_name": "Amina D.",
            "organisation": "Femmes pour la Paix",
            "country": "ML",
            "bio": "Médiatrice à Bamako.",
            "locale": "fr",
        },
        follow_redirects=True,
    )
    assert "Amina D." in response.text
    assert "Mali" in response.text  # the interface is now in French
    assert "Votre profil est enregistré." in response.text
    with app.app_context():
        saved = db.session.get(User, user.id)
        assert (saved.organisation, saved.country, saved.locale) == (
            "Femmes pour la Paix",
            "ML",
            "fr",
        )


def test_edit_profile_refuses_bad_input_and_keeps_it(app, client, user):
    client.login("amina")
    response = client.submit(
        "/profile",
        {
            "display_name": "Amina",
            "organisation": "",
            "country": "XX",
            "bio": "b" * 501,
            "locale": "",
        },
    )
    assert response.status_code == 422
    assert "Not a valid choice" in response.text
    assert "Field cannot be longer than 500 characters." in response.text
    assert "b" * 501 in response.text
    with app.app_context():
        assert db.session.get(User, user.id).bio == ""


def test_change_password_takes_the_new_password(app, user):
    laptop = app.test_client()
    laptop.login("amina")
    laptop.submit(
        "/profile/password",
        {
            "current_password": PASSWORD,
            "password": "a brand new password",
            "password2": "a brand new password",
        },
    )
    phone = app.test_client()
    assert phone.login("amina").status_code == 422
    assert phone.login("amina", "a brand new password").status_code == 302


def test_change_password_needs_the_current_one(app, client, user):
    client.login("amina")
    response = client.submit(
        "/profile/password",
        {
            "current_password": "not my password",
            "password": "a brand new password",
            "password2": "a brand new password",
        },
    )
    assert "This is not your current password." in response.text
    assert app.test_client().login("amina", PASSWORD).status_code == 302


def test_login_is_rate_limited_per_account(app, client, user):
    for _ in range(5):
        assert client.login("amina", "wrong password!").status_code == 422
    response = client.login("amina", "wrong password!")
    assert response.status_code == 429
    assert "Too many attempts" in response.text
    assert "Retry-After" in response.headers
    # Another account from the same address is not locked out by this.
    other = app.test_client()
    assert other.login("babar", "wrong password!").status_code == 422


def test_successful_logins_do_not_count_against_the_account(client, user):
    for _ in range(7):
        assert client.login("amina").status_code == 302
        client.submit("/logout", page="/")


def test_login_is_rate_limited_per_address(app, client, user):
    app.config["RATELIMIT_LOGIN"] = "3 per minute"
    for name in ("one", "two", "three"):
        assert client.login(name, "wrong password!").status_code == 422
    assert client.login("four", "wrong password!").status_code == 429


def test_registration_is_rate_limited_per_address(app, client):
    app.config["RATELIMIT_REGISTER"] = "2 per hour"
    for name in ("first", "second"):
        data = {**GOOD, "username": name, "email": f"{name}@example.org"}
        assert client.submit("/register", data).status_code == 302
    response = client.submit("/register", {**GOOD, "username": "third", "email": "t@example.org"})
    assert response.status_code == 429
    assert len(users(app)) == 2
