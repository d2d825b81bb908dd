"""Participants report posts; moderators hide or dismiss from the queue; reporters stay private."""

from sqlalchemy import select

from forum.accounts.models import Role
from forum.extensions import db
from forum.moderation.models import Report, ReportStatus
from forum.posts.models import Post


def test_report_queue_hide_and_public_log(app, client, dialogue_setup, create_user, create_post):
    create_user("grace", role=Role.moderator, display_name="Grace Mutesi")
    post = create_post(dialogue_setup.topic, by="babar", body="Her phone number is ...")
    client.login("amina")
    page = client.get(dialogue_setup.topic.url).text
    assert f"/p/{post.id}/report" in page
    response = client.submit(
        f"/p/{post.id}/report", {"reason": "personal_information", "note": "A private number."}
    )
    assert response.status_code == 302
    again = client.submit(f"/p/{post.id}/report", {"reason": "spam"})
    assert again.status_code == 409 and "already reported" in again.text
    client.post("/logout", data={"csrf_token": client.csrf_token("/")})

    client.login("grace")
    queue = client.get("/moderation/reports").text
    assert "1 report" in queue and "Personal information" in queue
    assert "A private number." in queue and "Amina Diallo" in queue
    response = client.submit(
        f"/moderation/reports/{post.id}",
        {
            "reason": "It shared a phone number.",
            "rule": "personal_information",
            "hide": "Hide the post",
        },
        page="/moderation/reports",
        follow_redirects=True,
    )
    assert "1 report handled." in response.text
    assert "No open reports." in client.get("/moderation/reports").text
    with app.app_context():
        assert db.session.get(Post, post.id).hidden_reason == "It shared a phone number."
        assert db.session.scalar(select(Report.status)) is ReportStatus.resolved
    log = client.get("/moderation/log").text
    assert "Post hidden" in log and "It shared a phone number." in log
    assert log.count("It shared a phone number.") == 1  # one act, one line
    assert "Amina Diallo" not in log and "A private number." not in log
    client.post("/logout", data={"csrf_token": client.csrf_token("/")})

    client.login("amina")
    mine = client.get("/reports/mine").text
    assert "Handled: the moderators hid the post." in mine


def test_dismissing_keeps_the_post_and_tells_the_reporter(
    app, client, dialogue_setup, create_user, create_post
):
    create_user("grace", role=Role.moderator)
    post = create_post(dialogue_setup.topic, by="babar", body="A strong opinion")
    client.login("amina")
    client.submit(f"/p/{post.id}/report", {"reason": "off_topic"})
    client.post("/logout", data={"csrf_token": client.csrf_token("/")})
    client.login("grace")
    client.submit(
        f"/moderation/reports/{post.id}",
        {"reason": "Disagreement is not abuse.", "dismiss": "Dismiss"},
        page="/moderation/reports",
    )
    with app.app_context():
        assert db.session.get(Post, post.id).hidden_at is None
    assert "Reports on a post dismissed" in client.get("/moderation/log").text
    client.post("/logout", data={"csrf_token": client.csrf_token("/")})
    client.login("amina")
    assert "the moderators kept the post" in client.get("/reports/mine").text


def test_reports_need_a_reason_and_other_needs_a_note(app, client, dialogue_setup, create_post):
    post = create_post(dialogue_setup.topic, by="babar")
    client.login("amina")
    page = client.submit(f"/p/{post.id}/report", {"note": "no reason chosen"})
    assert page.status_code == 422 and "Choose what is wrong" in page.text
    assert "no reason chosen" in page.text
    page = client.submit(f"/p/{post.id}/report", {"reason": "other", "note": ""})
    assert page.status_code == 422 and "Give a reason" in page.text
    with app.app_context():
        assert db.session.scalar(select(Report)) is None


def test_only_moderators_see_the_queue_and_anonymous_cannot_report(
    client, dialogue_setup, create_post
):
    post = create_post(dialogue_setup.topic, by="babar")
    assert client.get(f"/p/{post.id}/report").status_code == 302
    client.login("lucia")
    assert client.get("/moderation/reports").status_code == 403
    response = client.submit(
        f"/moderation/reports/{post.id}", {"reason": "x", "rule": "spam", "hide": "1"}, page="/"
    )
    assert response.status_code == 403
