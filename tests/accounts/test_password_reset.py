"""Password reset by email, end to end through a real SMTP server."""

import re
from email import message_from_bytes
from email.policy import default

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from forum.accounts import services
from forum.extensions import db, limiter
from forum.mail import delivery
from forum.mail.models import OutboxMessage
from tests.conftest import PASSWORD, TOKEN

NEW_PASSWORD = "a brand new passphrase"
LINK = re.compile(r"https?://\S+/password/reset/\S+")


def deliver(app) -> None:
    with app.app_context():
        delivery.run_worker(once=True)


def ask_reset(client, email: str):
    return client.submit("/password/forgot", {"email": email}, follow_redirects=True)


def mailed_link(smtp) -> str:
    mail = smtp.received[-1]
    links = LINK.findall(mail.get_body(("plain",)).get_content())
    assert len(links) == 1
    return links[0].replace("http://localhost", "")


def password_hash(app, username="amina") -> str:
    with app.app_context():
        return services.find_by_username(username).password_hash


def test_login_page_offers_a_reset(client):
    assert 'href="/password/forgot"' in client.get("/login").text


def test_a_reset_from_mail_to_new_password_ends_every_login(app, client, user, smtp):
    other_device = app.test_client()
    assert other_device.login("amina").status_code == 302

    page = ask_reset(client, "Amina@Example.org")
    assert "a link to choose a new password is on its way" in page.text
    deliver(app)
    [mail] = smtp.received
    assert mail["To"] == "amina@example.org"
    assert mail["Subject"] == "Choose a new password"
    assert "Amina Diallo" in mail.get_body(("html",)).get_content()
    link = mailed_link(smtp)

    form = client.get(link)
    assert form.status_code == 200
    done = client.submit(link, {"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done.headers["Location"] == "/login"

    assert other_device.get("/profile").status_code == 302  # logged out
    assert client.login("amina", PASSWORD).status_code != 302
    assert client.login("amina", NEW_PASSWORD).status_code == 302

    again = app.test_client().get(link)
    assert again.status_code == 404
    assert "This link does not work" in again.text


def test_a_used_link_changes_nothing_the_second_time(app, client, user, smtp):
    ask_reset(client, "amina@example.org")
    deliver(app)
    link = mailed_link(smtp)
    client.submit(link, {"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    changed = password_hash(app)

    response = client.post(
        link,
        data={
            "csrf_token": client.csrf_token("/login"),
            "password": "x" * 20,
            "password2": "x" * 20,
        },
    )
    assert response.status_code == 404
    assert password_hash(app) == changed


def test_a_password_changed_meanwhile_kills_the_link(app, client, user, smtp):
    ask_reset(client, "amina@example.org")
    deliver(app)
    link = mailed_link(smtp)
    with app.app_context():
        services.set_password(services.find_by_username("amina"), NEW_PASSWORD)
        db.session.commit()
    assert client.get(link).status_code == 404


def test_an_expired_or_forged_link_is_refused(app, client, user, monkeypatch):
    with app.app_context():
        token = services.password_reset_token(services.find_by_username("amina"))
        forged = URLSafeTimedSerializer("another key", salt="password-reset").dumps(
            {"user": 1, "password": "x"}
        )
    before = password_hash(app)
    for bad in (token[:-3], forged, "nonsense"):
        assert client.get(f"/password/reset/{bad}").status_code == 404
    monkeypatch.setattr(services, "RESET_LINK_LIFETIME", -1)
    response = client.get(f"/password/reset/{token}")
    assert response.status_code == 404
    assert "nothing was changed" in response.text
    assert password_hash(app) == before


def test_an_unknown_address_gets_the_same_answer_and_no_mail(app, client, user, smtp):
    known = ask_reset(client, "amina@example.org")
    unknown = ask_reset(client, "nobody@example.org")
    deliver(app)
    assert [mail["To"] for mail in smtp.received] == ["amina@example.org"]
    assert known.status_code == unknown.status_code == 200
    flash = "a link to choose a new password is on its way"
    assert flash in known.text
    assert flash in unknown.text


def test_something_that_is_not_an_address_is_a_form_error(client, smtp):
    response = client.submit("/password/forgot", {"email": "not an address"})
    assert response.status_code == 422
    assert "This is not a valid email address." in response.text


def test_the_mail_speaks_the_persons_language(app, client, create_user, smtp):
    create_user("lucia", locale="es")
    ask_reset(client, "lucia@example.org")
    deliver(app)
    [mail] = smtp.received
    assert mail["Content-Language"] == "es"
    assert mail["Subject"] == "Elija una nueva contraseña"


@pytest.fixture
def limits(app):
    limiter.reset()
    yield app.config
    limiter.reset()


def test_resets_are_limited_per_address(app, client, user, smtp, limits):
    limits["RATELIMIT_RESET_ADDRESS"] = "2 per hour"
    for _ in range(2):
        ask_reset(app.test_client(), "amina@example.org")
    refused = app.test_client().submit("/password/forgot", {"email": "AMINA@example.org "})
    assert refused.status_code == 429
    deliver(app)
    assert len(smtp.received) == 2


def test_resets_are_limited_per_client(app, client, user, smtp, limits):
    limits["RATELIMIT_RESET"] = "2 per hour"
    ask_reset(client, "a@example.org")
    ask_reset(client, "b@example.org")
    assert client.submit("/password/forgot", {"email": "amina@example.org"}).status_code == 429


def test_without_a_mail_server_the_link_is_in_an_eml_file(app, client, user, tmp_path):
    ask_reset(client, "amina@example.org")
    [eml] = (tmp_path / "instance" / "mail").glob("*.eml")
    mail = message_from_bytes(eml.read_bytes(), policy=default)
    [link] = LINK.findall(mail.get_body(("plain",)).get_content())
    assert client.get(link.replace("http://localhost", "")).status_code == 200


def test_an_unknown_address_leaves_nothing_in_the_outbox(app, client, user, tmp_path):
    """Its message is built like a real one, for the same cost, but never kept or written."""
    ask_reset(client, "nobody@example.org")
    with app.app_context():
        assert db.session.scalars(select(OutboxMessage)).all() == []
    assert list((tmp_path / "instance" / "mail").glob("*.eml")) == []

    ask_reset(client, "amina@example.org")
    with app.app_context():
        [message] = db.session.scalars(select(OutboxMessage)).all()
        assert message.recipient == "amina@example.org"
    assert len(list((tmp_path / "instance" / "mail").glob("*.eml"))) == 1


@pytest.mark.parametrize("base_url", ["", "https://dialogue.example.org/forum"])
def test_a_forged_host_never_names_the_reset_link(app, client, user, smtp, base_url):
    # Whoever asks for a reset writes the Host header; the link goes to the account's owner.
    app.config["BASE_URL"] = base_url
    forged = {"Host": "attacker.example"}
    token = TOKEN.search(client.get("/password/forgot", headers=forged).text)
    response = client.post(
        "/password/forgot",
        data={"csrf_token": token.group(1), "email": "amina@example.org"},
        headers=forged,
    )
    assert response.status_code == 302
    deliver(app)
    [link] = LINK.findall(smtp.received[-1].get_body(("plain",)).get_content())
    assert "attacker.example" not in link
    assert link.startswith(f"{base_url or 'http://localhost'}/password/reset/")
