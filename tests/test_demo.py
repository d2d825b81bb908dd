"""`forum demo`: demo content, loaded once, with generated passwords."""

import re

from sqlalchemy import func, select

from forum.accounts.models import Role, User
from forum.extensions import db


def test_demo_loads_users_of_every_role_once_with_generated_passwords(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    password = re.search(r"^\s+admin\s+(\S+)\s+\(admin\)$", result.output, re.M).group(1)
    assert client.login("admin", password).status_code == 302
    with app.app_context():
        roles = set(db.session.scalars(select(User.role)))
        count = db.session.scalar(select(func.count(User.id)))
    assert roles == set(Role)

    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0
    assert "already has content" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == count

    second = app.test_cli_runner()
    assert password not in second.invoke(args=["demo"]).output


def test_demo_passwords_differ_between_forums(app):
    first = app.test_cli_runner().invoke(args=["demo"]).output
    with app.app_context():
        db.session.execute(User.__table__.delete())
        db.session.commit()
    second = app.test_cli_runner().invoke(args=["demo"]).output
    pattern = re.compile(r"^\s+admin\s+(\S+)", re.M)
    assert pattern.search(first).group(1) != pattern.search(second).group(1)
