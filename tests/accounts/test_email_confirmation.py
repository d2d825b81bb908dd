"""Email addresses are confirmed by a mailed link: at sign-up and after a change."""

import re

from sqlalchemy import select

from forum.accounts import services
from forum.accounts.models import User
from forum.extensions import db
from forum.mail import delivery
from tests.conftest import PASSWORD

LINK = re.compile(r"https?://\S+/email/confirm/\S+")
NEWCOMER = {
    "username": "lucia",
    "email": "lucia@example.org",
    "display_name": "Lucía Pérez",
    "password": "a long enough password",
    "password2": "a long enough password",
    "accept_code": "y",
}


def deliver(app) -> None:
    with app.app_context():
        delivery.run_worker(once=True)


def confirmation_link(mail) -> str:
    [link] = LINK.findall(mail.get_body(("plain",)).get_content())
    return link.replace("http://localhost", "")


def confirmed(app, username: str) -> bool:
    with app.app_context():
        return services.find_by_username(username).has_confirmed_email


def test_a_newcomer_confirms_the_address_through_the_mailed_link(app, client, smtp):
    assert client.submit("/register", NEWCOMER).status_code == 302
    deliver(app)
    [mail] = smtp.received
    assert mail["To"] == "lucia@example.org"
    assert mail["Subject"] == "Confirm your email address"
    assert not confirmed(app, "lucia")

    response = client.get(confirmation_link(mail), follow_redirects=True)
    assert "Your email address is confirmed." in response.text
    assert confirmed(app, "lucia")


def test_registering_a_taken_address_mails_its_owner_and_makes_no_account(app, client, user, smtp):
    taken = {**NEWCOMER, "email": "AMINA@example.org"}
    response = client.submit("/register", taken, follow_redirects=True)
    assert "Unless this email address already had an account" in response.text
    deliver(app)
    [mail] = smtp.received
    assert mail["To"] == "amina@example.org"
    assert mail["Subject"] == "Someone tried to register with your address"
    assert "/password/forgot" in mail.get_body(("plain",)).get_content()
    with app.app_context():
        assert db.session.scalars(select(User.username)).all() == ["amina"]


def test_a_changed_address_is_unconfirmed_until_its_link_is_followed(app, client, user, smtp):
    client.login("amina")
    with app.app_context():
        amina = services.find_by_username("amina")
        services.send_email_confirmation(amina, language="en")
        db.session.commit()
    deliver(app)
    old_link = confirmation_link(smtp.received[-1])

    wrong = client.submit(
        "/profile/email", {"email": "new@example.org", "current_password": "wrong password"}
    )
    assert wrong.status_code == 422
    assert "This is not your current password." in wrong.text

    response = client.submit(
        "/profile/email", {"email": "New@Example.org", "current_password": PASSWORD}
    )
    assert response.status_code == 302
    deliver(app)
    mail = smtp.received[-1]
    assert mail["To"] == "new@example.org"
    with app.app_context():
        assert services.find_by_username("amina").email == "new@example.org"
    assert not confirmed(app, "amina")
    assert "not confirmed yet" in client.get("/profile").text

    dead = client.get(old_link)  # it confirms an address the account no longer has
    assert dead.status_code == 404
    assert "nothing was changed" in dead.text
    assert not confirmed(app, "amina")

    client.get(confirmation_link(mail))
    assert confirmed(app, "amina")
    assert "(confirmed)" in client.get("/profile").text


def test_an_address_of_another_account_cannot_be_taken(app, client, user, create_user, smtp):
    create_user("babar")
    client.login("amina")
    response = client.submit(
        "/profile/email", {"email": "babar@example.org", "current_password": PASSWORD}
    )
    assert response.status_code == 422
    assert "An account with this email address exists already." in response.text
    deliver(app)
    assert smtp.received == []


def test_the_profile_mails_a_new_link_on_request(app, client, user, smtp):
    client.login("amina")
    page = client.get("/profile").text
    assert "not confirmed yet" in page
    client.submit("/profile/email/confirm", page="/profile")
    deliver(app)
    client.get(confirmation_link(smtp.received[-1]))
    assert confirmed(app, "amina")
    assert "Mail me a confirmation link" not in client.get("/profile").text


def test_a_forged_link_confirms_nothing(app, client, user):
    response = client.get("/email/confirm/forged.token.here")
    assert response.status_code == 404
    assert "This link does not work" in response.text
    assert not confirmed(app, "amina")
