"""Moderators suspend and restore people, admins change roles; all of it in the public log."""

from sqlalchemy import select

from forum.accounts.models import Role, User
from forum.extensions import db


def test_a_moderator_suspends_with_a_reason_and_an_end_then_lifts_it(
    app, client, dialogue_setup, create_user
):
    create_user("grace", role=Role.moderator, display_name="Grace Mutesi")
    client.login("grace")
    page = client.get("/u/babar").text
    assert "/u/babar/suspend" in page
    response = client.submit(
        "/u/babar/suspend",
        {"rule": "harassment", "reason": "Repeated insults.", "until": "2099-01-31"},
    )
    assert response.status_code == 302
    with app.app_context():
        babar = db.session.scalar(select(User).where(User.username == "babar"))
        assert babar.is_suspended and babar.suspended_until.year == 2099
    log = client.get("/moderation/log").text
    assert "Person suspended" in log and "Repeated insults." in log and "Babar Khan" in log
    client.submit("/u/babar/unsuspend", {"reason": "Apologised to the group."})
    with app.app_context():
        assert not db.session.scalar(select(User).where(User.username == "babar")).is_suspended
    assert "Suspension lifted" in client.get("/moderation/log").text


def test_suspension_needs_a_reason_and_a_future_end_and_not_oneself(
    client, dialogue_setup, create_user
):
    create_user("grace", role=Role.moderator)
    client.login("grace")
    page = client.submit("/u/babar/suspend", {"rule": "harassment", "reason": " "})
    assert page.status_code == 422 and "Give a reason" in page.text
    page = client.submit(
        "/u/babar/suspend", {"rule": "harassment", "reason": "x", "until": "2001-01-01"}
    )
    assert page.status_code == 422 and "in the future" in page.text
    page = client.submit("/u/grace/suspend", {"rule": "harassment", "reason": "x"})
    assert page.status_code == 422 and "your own account" in page.text
    page = client.submit("/u/nadia/suspend", {"rule": "harassment", "reason": "x"})  # an admin
    assert page.status_code == 422 and "Only an administrator" in page.text
    assert client.get("/u/nobody/suspend").status_code == 404


def test_an_admin_changes_a_role_and_the_log_says_from_what_to_what(app, client, dialogue_setup):
    client.login("nadia")
    response = client.submit("/u/amina/role", {"role": "moderator", "reason": "Trained."})
    assert response.status_code == 302
    with app.app_context():
        amina = db.session.scalar(select(User).where(User.username == "amina"))
        assert amina.role is Role.moderator
    log = client.get("/moderation/log").text
    assert "Site role changed" in log and "participant → moderator: Trained." in log
    page = client.submit("/u/amina/role", {"role": "moderator"})
    assert page.status_code == 409


def test_participants_cannot_suspend_and_moderators_cannot_change_roles(
    client, dialogue_setup, create_user
):
    create_user("grace", role=Role.moderator)
    client.login("amina")
    assert client.get("/u/babar/suspend").status_code == 403
    client.post("/logout", data={"csrf_token": client.csrf_token("/")})
    client.login("grace")
    assert client.get("/u/babar/role").status_code == 403


def test_a_dialogue_state_change_is_logged(client, dialogue_setup):
    client.login("nadia")
    client.submit("/d/men-as-allies/edit", {"title": "Men as allies", "state": "closed"})
    log = client.get("/moderation/log").text
    assert "Dialogue state changed" in log and "open → closed" in log
