"""Configuration from the environment, the secret key, SQLite settings, proxies and cookies."""

import stat

import pytest
from sqlalchemy import text

from forum import create_app
from forum.extensions import db
from tests.conftest import Client, app_config

ENV = (
    "FORUM_DATABASE_URL",
    "FORUM_SECRET_KEY",
    "FORUM_BASE_URL",
    "FORUM_PROXIES",
    "FORUM_SECURE_COOKIES",
    "FORUM_RATELIMIT_STORAGE_URL",
)


@pytest.fixture
def env(monkeypatch, tmp_path):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FORUM_INSTANCE_PATH", str(tmp_path / "instance"))
    return monkeypatch


def test_defaults_are_sqlite_in_the_instance_folder(env, tmp_path):
    app = create_app()
    assert app.instance_path == str(tmp_path / "instance")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/instance/forum.sqlite"
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_secret_key_is_generated_once_and_kept_private(env, tmp_path):
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    assert first == second
    assert len(first) >= 64
    key_file = tmp_path / "instance" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    (key_file).unlink()
    assert create_app().config["SECRET_KEY"] != first


def test_secret_key_and_database_from_the_environment(env, tmp_path):
    env.setenv("FORUM_SECRET_KEY", "from-the-environment")
    env.setenv("FORUM_DATABASE_URL", "postgres://forum@db.example/forum")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://forum@db.example/forum"
    assert not (tmp_path / "instance" / "secret_key").exists()


def test_https_base_url_makes_cookies_secure(env):
    env.setenv("FORUM_BASE_URL", "https://dialogue.example.org/")
    app = create_app()
    assert app.config["BASE_URL"] == "https://dialogue.example.org"
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_sqlite_runs_with_wal_and_foreign_keys(env):
    app = create_app()
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.engine.dispose()


def test_cookies_are_secure_behind_an_https_proxy(app, user):
    proxied = create_app({**app.config, "PROXIES": 1})
    client = proxied.test_client()
    headers = {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": "203.0.113.9",
        "Referer": "https://localhost/login",  # browsers send it; CSRF checks it over HTTPS
    }
    page = client.get("/login", headers=headers)
    token = page.text.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/login",
        data={"login": "amina", "password": user.password, "remember": "y", "csrf_token": token},
        headers=headers,
    )
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert {c.split("=")[0] for c in cookies} >= {"session", "remember_token"}
    for cookie in cookies:
        assert "; Secure" in cookie
        assert "; HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
    with proxied.app_context():
        db.engine.dispose()


def test_cookies_are_not_secure_over_plain_http(client, user):
    response = client.login("amina", remember="y")
    for cookie in response.headers.getlist("Set-Cookie"):
        assert "Secure" not in cookie
        assert "HttpOnly" in cookie


def test_every_cookie_is_secure_under_an_https_base_url(database_url, user, monkeypatch):
    # Plain HTTP reaches the app (a proxy it was not told about): the base URL alone decides.
    monkeypatch.setenv("FORUM_BASE_URL", "https://dialogue.example.org")
    secure = create_app(app_config(database_url))
    secure.test_client_class = Client
    client = secure.test_client()
    set_cookies = client.login("amina", remember="y").headers.getlist("Set-Cookie")
    set_cookies += client.submit("/language/fr", page="/").headers.getlist("Set-Cookie")
    set_cookies += client.submit("/logout", page="/").headers.getlist("Set-Cookie")
    assert {cookie.split("=")[0] for cookie in set_cookies} == {"session", "remember_token", "lang"}
    for cookie in set_cookies:
        assert "; Secure" in cookie, cookie
        assert "; HttpOnly" in cookie, cookie
        assert "SameSite=Lax" in cookie, cookie
    with secure.app_context():
        db.engine.dispose()
