"""Login limits: per account and address, one count per account, and Redis being down."""

import logging

import pytest

from forum import create_app
from forum.extensions import db, limiter

STRANGER, OWNER = "203.0.113.9", "198.51.100.7"


def browser(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_a_stranger_cannot_lock_the_owner_out(app, user):
    stranger = browser(app, STRANGER)
    for _ in range(5):
        assert stranger.login("amina", "wrong password!").status_code == 422
    assert stranger.login("amina", "wrong password!").status_code == 429
    assert stranger.login("amina").status_code == 429  # the guesser stays locked out
    assert browser(app, OWNER).login("amina").status_code == 302


def test_username_and_email_count_as_one_account(app, user):
    client = browser(app, STRANGER)
    for login in ("amina", "AMINA", "amina@example.org", "Amina@Example.org", " amina "):
        assert client.login(login, "wrong password!").status_code == 422
    assert client.login("amina@example.org", "wrong password!").status_code == 429
    assert client.login("amina", "wrong password!").status_code == 429


@pytest.fixture
def redis_down(app):
    """An app whose rate-limit storage is a Redis nobody answers on."""
    down = create_app({**app.config, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0"})
    down.test_client_class = app.test_client_class
    yield down
    # The Limiter is one object for the whole run: put it back on its own storage.
    limiter._storage_dead = False
    with down.app_context():
        db.engine.dispose()


def test_with_redis_unreachable_logins_work_and_are_counted_in_memory(redis_down, user, caplog):
    caplog.set_level(logging.WARNING, logger="flask-limiter")
    client = redis_down.test_client()
    assert client.login("amina").status_code == 302
    assert any(
        "falling back to in-memory storage" in record.getMessage() for record in caplog.records
    )
    stranger = redis_down.test_client()
    for _ in range(5):
        assert stranger.login("amina", "wrong password!").status_code == 422
    assert stranger.login("amina", "wrong password!").status_code == 429
