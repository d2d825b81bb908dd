"""Logins as server-side sessions: logging out, everywhere, suspensions, password changes."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.accounts.models import Role, User, UserSession
from forum.clock import utcnow
from forum.extensions import db
from tests.conftest import PASSWORD

NEW_PASSWORD = "a brand new password"


def copy_of(app, client, *names: str):
    """A second browser holding copies of some of client's cookies (as a thief would)."""
    thief = app.test_client()
    for name in names:
        cookie = client.get_cookie(name)
        assert cookie is not None, f"no {name} cookie to copy"
        thief.set_cookie(name, cookie.value)
    return thief


def logged_in(client) -> bool:
    return client.get("/profile").status_code == 200


def sessions_of(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count(UserSession.id))
            .join(User, User.id == UserSession.user_id)
            .where(User.username == username)
        )


@pytest.mark.parametrize("cookie", ["session", "remember_token"])
def test_a_cookie_copied_before_logout_is_dead_afterwards(app, client, user, cookie):
    client.login("amina", remember="y")
    thief = copy_of(app, client, cookie)
    assert logged_in(thief)
    client.submit("/logout", page="/")
    assert not logged_in(client)
    assert not logged_in(thief)
    assert sessions_of(app, "amina") == 0


def test_logging_out_ends_only_that_login(app, user):
    laptop, phone = app.test_client(), app.test_client()
    laptop.login("amina")
    phone.login("amina", remember="y")
    laptop.submit("/logout", page="/")
    assert not logged_in(laptop)
    assert logged_in(phone)


def test_log_out_everywhere_ends_every_login_of_the_person(app, client, user, create_user):
    create_user("babar")
    laptop, phone, other = app.test_client(), app.test_client(), app.test_client()
    laptop.login("amina")
    phone.login("amina", remember="y")
    other.login("babar")
    remembered = copy_of(app, phone, "remember_token")
    page = laptop.get("/u/amina").text
    assert 'action="/logout/everywhere"' in page
    response = laptop.submit("/logout/everywhere", page="/u/amina", follow_redirects=True)
    assert "You have logged out on every device." in response.text
    for browser in (laptop, phone, remembered):
        assert not logged_in(browser)
    assert logged_in(other)
    assert laptop.login("amina").status_code == 302


def test_log_out_everywhere_is_only_on_ones_own_profile(client, user, create_user):
    create_user("babar")
    client.login("amina")
    assert 'action="/logout/everywhere"' not in client.get("/u/babar").text


def suspend_on_the_web(app, username):
    moderator = app.test_client()
    moderator.login("grace")
    response = moderator.submit(
        f"/u/{username}/suspend", {"rule": "harassment", "reason": "Repeated insults."}
    )
    assert response.status_code == 302
    return moderator


def test_a_suspension_on_the_web_ends_every_login_and_lifting_it_revives_none(
    app, user, create_user
):
    create_user("grace", role=Role.moderator)
    phone = app.test_client()
    phone.login("amina", remember="y")
    remembered = copy_of(app, phone, "remember_token")
    moderator = suspend_on_the_web(app, "amina")
    assert sessions_of(app, "amina") == 0
    moderator.submit(
        "/u/amina/unsuspend", {"rule": "harassment", "reason": "Apologised to the group."}
    )
    assert not logged_in(phone)
    assert not logged_in(remembered)
    assert phone.login("amina").status_code == 302


def test_a_suspension_from_the_command_line_ends_every_login(app, user, create_user):
    create_user("grace", role=Role.moderator)
    phone = app.test_client()
    phone.login("amina", remember="y")
    remembered = copy_of(app, phone, "remember_token")
    runner = app.test_cli_runner()
    by = ["--by", "grace"]
    assert runner.invoke(args=["user", "suspend", "amina", "--reason", "Spam", *by]).exit_code == 0
    restore = ["user", "restore", "amina", "--reason", "Apologised.", *by]
    assert runner.invoke(args=restore).exit_code == 0
    assert not logged_in(phone)
    assert not logged_in(remembered)


def test_a_password_reset_from_the_command_line_ends_every_login(app, user):
    phone = app.test_client()
    phone.login("amina", remember="y")
    remembered = copy_of(app, phone, "remember_token")
    result = app.test_cli_runner().invoke(args=["user", "password", "amina"])
    assert result.exit_code == 0, result.output
    assert not logged_in(phone)
    assert not logged_in(remembered)


def test_a_password_change_keeps_this_login_and_ends_the_others(app, user):
    laptop, phone = app.test_client(), app.test_client()
    laptop.login("amina", remember="y")
    phone.login("amina", remember="y")
    remembered = copy_of(app, phone, "remember_token")
    laptop_remembered = copy_of(app, laptop, "remember_token")
    response = laptop.submit(
        "/profile/password",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow_redirects=True,
    )
    assert "Your password is changed." in response.text
    assert logged_in(laptop)
    assert logged_in(laptop_remembered)
    assert not logged_in(phone)
    assert not logged_in(remembered)
    assert sessions_of(app, "amina") == 1


def test_the_csrf_token_from_before_login_is_refused_after_it(client, user):
    before = client.csrf_token("/login")
    client.login("amina")
    response = client.post(
        "/profile",
        data={"csrf_token": before, "display_name": "Planted", "country": "", "locale": ""},
    )
    assert response.status_code == 400
    assert "Planted" not in client.get("/u/amina").text
    after = client.csrf_token("/profile")
    response = client.post(
        "/profile",
        data={"csrf_token": after, "display_name": "Amina D.", "country": "", "locale": ""},
    )
    assert response.status_code == 302


def test_a_flash_from_before_login_survives_nothing_but_the_login_works(client, user):
    client.get("/profile")  # "Please log in to see this page." is flashed, then login clears it
    response = client.login("amina", follow_redirects=True)
    assert "Amina Diallo" in response.text
    assert "Please log in to see this page." not in response.text
    response = client.submit("/logout", page="/", follow_redirects=True)
    assert "You have logged out." in response.text


def test_an_expired_login_is_dead_and_purged_at_the_next_login(app, client, user):
    client.login("amina", remember="y")
    with app.app_context():
        for row in db.session.scalars(select(UserSession)):
            row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert not logged_in(client)
    app.test_client().login("amina")
    assert sessions_of(app, "amina") == 1


def test_the_database_keeps_no_token_that_would_open_a_session(app, client, user):
    client.login("amina", remember="y")
    with app.app_context():
        [row] = db.session.scalars(select(UserSession))
        stolen = row.token_hash
    thief = app.test_client()
    with thief.session_transaction() as session:
        session["_user_id"] = stolen
    assert not logged_in(thief)


def test_a_logged_in_page_loads_the_person_in_one_query_and_writes_nothing(client, user, queries):
    client.login("amina")
    with queries() as log:
        assert client.get("/profile").status_code == 200
    loads = [s for s in log.statements if "user_session" in s]
    assert len(loads) == 1
    assert log.writes == []
