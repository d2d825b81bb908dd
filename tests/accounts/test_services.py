"""Account services, below the forms: the database keeps names unique even in a race."""

import pytest

from forum.accounts import services
from forum.accounts.models import User
from forum.extensions import db


def test_a_lost_race_for_a_username_is_a_clear_error_not_a_crash(app, user, monkeypatch):
    # The form's check ran before the other registration committed: only the database knows.
    monkeypatch.setattr(services, "find_by_username", lambda name: None)
    with app.app_context():
        with pytest.raises(services.AccountError, match="username or email address is taken"):
            services.create_user(
                username="AMINA", email="other@example.org", password="a long password"
            )
        assert db.session.scalar(db.select(db.func.count(User.id))) == 1
        assert db.session.get(User, user.id).username == "amina"


def test_suspending_needs_a_reason(app, user):
    with app.app_context():
        member = db.session.get(User, user.id)
        with pytest.raises(services.AccountError, match="A reason is required"):
            services.suspend_user(member, reason="   ")
        assert not member.is_suspended
