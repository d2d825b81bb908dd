"""Fixtures: one migrated database per run, an app per test, a client that handles CSRF."""

import re
from types import SimpleNamespace

import flask_migrate
import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from forum import create_app
from forum.accounts import services
from forum.accounts.models import Role
from forum.extensions import db
from tests.databases import fresh_database

PASSWORD = "correct horse battery"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def app_config(url: str) -> dict:
    """The configuration every test app runs with."""
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "a secret for tests only",
        # Still scrypt, at a cost that keeps the suite fast.
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        "RATELIMIT_STORAGE_URI": "memory://",
    }


class Client(FlaskClient):
    """A test client that fills in the CSRF token the way a browser form would."""

    def csrf_token(self, page: str = "/") -> str:
        """Read the CSRF token from a page's form, as a browser submitting it would send it."""
        match = TOKEN.search(self.get(page).text)
        assert match, f"no form with a CSRF token on {page}"
        return match.group(1)

    def submit(self, url: str, data: dict | None = None, *, page: str | None = None, **kwargs):
        """Post a form to url with the token from the page that shows it (url by default)."""
        data = {"csrf_token": self.csrf_token(page or url), **(data or {})}
        return self.post(url, data=data, **kwargs)

    def login(self, username: str, password: str = PASSWORD, *, follow_redirects=False, **fields):
        """Log in through the login form."""
        data = {"login": username, "password": password, **fields}
        return self.submit("/login", data, follow_redirects=follow_redirects)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A database for the whole run, built by the migrations."""
    with fresh_database(tmp_path_factory.mktemp("db")) as url:
        app = create_app(app_config(url))
        with app.app_context():
            flask_migrate.upgrade()
            db.engine.dispose()
        yield url


@pytest.fixture
def app(database_url, tmp_path, monkeypatch):
    """An app on the test database, emptied after the test."""
    monkeypatch.setenv("FORUM_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(app_config(database_url))
    app.test_client_class = Client
    yield app
    with app.app_context():
        db.session.rollback()
        tables = [table.name for table in db.metadata.sorted_tables]
        if db.engine.dialect.name == "postgresql":
            names = ", ".join(f'"{name}"' for name in tables)
            db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for name in reversed(tables):
                db.session.execute(text(f'DELETE FROM "{name}"'))
        db.session.commit()
        db.engine.dispose()


@pytest.fixture
def client(app) -> Client:
    return app.test_client()


@pytest.fixture
def create_user(app):
    """Build a user through the accounts service; returns its plain facts."""

    def create(username: str = "amina", *, role: Role = Role.participant, **profile):
        with app.app_context():
            user = services.create_user(
                username=username,
                email=f"{username}@example.org",
                password=PASSWORD,
                display_name=profile.pop("display_name", username.title()),
                role=role,
            )
            if profile:
                services.update_profile(user, **profile)
            db.session.commit()
            return SimpleNamespace(
                id=user.id, username=user.username, email=user.email, password=PASSWORD
            )

    return create


@pytest.fixture
def user(create_user):
    return create_user("amina", display_name="Amina Diallo")
