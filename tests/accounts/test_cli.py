"""`forum user ...`: account administration from the command line."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from forum.accounts.models import Role, User
from forum.extensions import db


def get(app, username: str) -> User:
    with app.app_context():
        return db.session.scalar(select(User).where(User.username_key == username.lower()))


def invoke(app, *args: str, input: str | None = None):
    return app.test_cli_runner().invoke(args=["user", *args], input=input)


def test_create_user_with_password_file_and_role(app, client, tmp_path):
    secret = tmp_path / "pw"
    secret.write_text("a long enough password\n")
    result = invoke(
        app,
        "create",
        "--username",
        "grace",
        "--email",
        "grace@example.org",
        "--display-name",
        "Grace Mutesi",
        "--password-file",
        str(secret),
        "--role",
        "moderator",
    )
    assert result.exit_code == 0, result.output
    assert "Created grace (moderator)." in result.output
    assert "a long enough password" not in result.output
    grace = get(app, "grace")
    assert (grace.role, grace.display_name) == (Role.moderator, "Grace Mutesi")
    assert client.login("grace", "a long enough password").status_code == 302


def test_create_user_reads_password_from_stdin_or_generates_one(app, client):
    result = invoke(
        app,
        "create",
        "--username",
        "jean",
        "--email",
        "jean@example.org",
        "--password-file",
        "-",
        input="from standard input\n",
    )
    assert result.exit_code == 0, result.output
    assert client.login("jean", "from standard input").status_code == 302
    result = invoke(app, "create", "--username", "lucia", "--email", "lucia@example.org")
    assert result.exit_code == 0, result.output
    generated = result.output.split("Password: ")[1].strip()
    assert len(generated) >= 16
    assert app.test_client().login("lucia", generated).status_code == 302


def test_create_user_refuses_bad_input_clearly(app, user, tmp_path):
    secret = tmp_path / "pw"
    secret.write_text("short\n")
    cases = [
        (["--username", "AMINA", "--email", "x@example.org"], "This username is taken."),
        (["--username", "x y", "--email", "x@example.org"], "Usernames have 3 to 30"),
        (["--username", "newone", "--email", "bad"], "This is not a valid email address."),
        (
            ["--username", "newone", "--email", "n@example.org", "--password-file", str(secret)],
            "Passwords have at least 10 characters.",
        ),
        (["--username", "newone", "--email", "n@example.org", "--role", "king"], "Invalid value"),
    ]
    for args, message in cases:
        result = invoke(app, "create", *args)
        assert result.exit_code != 0
        assert message in result.output
        assert "Traceback" not in result.output
    assert get(app, "newone") is None


@pytest.fixture
def admin(create_user):
    return create_user("nadia", role=Role.admin, display_name="Nadia Haddad")


def log_entries(client) -> list[str]:
    """The public moderation log's entries, as a reader sees them."""
    page = client.get("/moderation/log").text
    return [" ".join(re.sub(r"<[^>]+>", " ", li).split()) for li in page.split("<li id=")[1:]]


def test_change_role_is_in_the_public_log(app, client, user, admin):
    result = invoke(app, "role", "Amina", "moderator", "--by", "nadia", "--reason", "Trained.")
    assert result.exit_code == 0, result.output
    assert "amina is now moderator." in result.output
    assert get(app, "amina").role is Role.moderator
    [entry] = log_entries(client)
    assert "Site role changed" in entry and "by Nadia Haddad" in entry
    assert "participant → moderator: Trained." in entry
    result = invoke(app, "role", "nobody", "admin", "--by", "nadia")
    assert result.exit_code == 1
    assert "No user is called 'nobody'." in result.output


def test_only_an_administrator_changes_roles(app, client, user, create_user):
    create_user("grace", role=Role.moderator)
    assert "Missing option '--by'" in invoke(app, "role", "amina", "admin").output
    result = invoke(app, "role", "amina", "admin", "--by", "grace")
    assert result.exit_code == 1 and "grace is not an administrator" in result.output
    result = invoke(app, "role", "nadia", "admin", "--by", "amina")
    assert result.exit_code == 1
    assert get(app, "amina").role is Role.participant and log_entries(client) == []


def test_suspend_and_restore_are_in_the_public_log(app, client, user, admin):
    result = invoke(app, "suspend", "amina", "--reason", "Harassment", "--until", "2099-01-31",
                    "--by", "nadia")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "amina is suspended until 2099-01-31 00:00 UTC." in result.output
    assert "suspended until" in client.login("amina").text
    assert "Harassment" in client.login("amina").text
    result = invoke(app, "restore", "amina", "--reason", "Apologised.", "--by", "nadia")
    assert result.exit_code == 0, result.output
    assert client.login("amina").status_code == 302
    restored, suspended = log_entries(client)
    assert "Person suspended" in suspended and "Harassment" in suspended
    assert "by Nadia Haddad" in suspended
    assert "Suspension lifted" in restored and "Apologised." in restored
    output = invoke(app, "restore", "amina", "--reason", "Again.", "--by", "nadia").output
    assert "not suspended" in output


def test_suspend_needs_a_reason_an_actor_and_a_future_end(app, user, admin):
    assert "Missing option '--reason'" in invoke(app, "suspend", "amina", "--by", "nadia").output
    assert "Missing option '--by'" in invoke(app, "suspend", "amina", "--reason", "x").output
    result = invoke(app, "suspend", "amina", "--reason", "x", "--until", "2001-01-01",
                    "--by", "nadia")  # fmt: skip
    assert result.exit_code == 1
    assert "must be in the future" in result.output
    assert not get(app, "amina").is_suspended


def test_password_reset_without_mail(app, client, user):
    client.login("amina")
    result = invoke(app, "password", "amina")
    assert result.exit_code == 0, result.output
    new = result.output.split("New password: ")[1].strip()
    assert client.get("/profile").status_code == 302  # the old session has ended
    assert client.login("amina", new).status_code == 302


def test_list_users(app, create_user):
    create_user("amina")
    create_user("grace", role=Role.moderator)
    output = invoke(app, "list").output
    assert "amina" in output
    assert "grace" in output
    assert "moderator" in output


def test_console_script_is_the_forum_cli(tmp_path):
    script = Path(sys.executable).parent / "forum"
    env = {**os.environ, "FORUM_INSTANCE_PATH": str(tmp_path)}
    result = subprocess.run(
        [script, "--help"], capture_output=True, text=True, env=env, check=True, timeout=60
    )
    for command in ("run", "db", "user", "demo"):
        assert f"  {command} " in result.stdout
