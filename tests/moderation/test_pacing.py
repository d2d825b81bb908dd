"""Slow mode for a heated topic, and dialogues that close on schedule."""

from datetime import timedelta

from sqlalchemy import func, select, update

from forum.accounts.models import Role, User
from forum.clock import utcnow
from forum.dialogues.models import Dialogue
from forum.extensions import db
from forum.posts.models import Post
from forum.topics.models import Topic


def count_posts(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Post.id)))


def test_slow_mode_refuses_a_second_reply_too_soon_and_keeps_the_text(app, client, dialogue_setup):
    topic = dialogue_setup.topic
    client.login("lucia")
    response = client.submit(
        f"/t/{topic.id}/slow-mode", {"minutes": "30", "reason": "Let us read each other."}
    )
    assert response.status_code == 302
    page = client.get(topic.url).text
    assert "each participant may post once every 30 minutes" in page
    assert "Let us read each other." in page
    assert "Slow mode on" in client.get("/moderation/log").text
    client.post("/logout", data={"csrf_token": client.csrf_token("/")})

    client.login("amina")
    first = client.submit(f"/t/{topic.id}/reply", {"body": "First thought"}, page=topic.url)
    assert first.status_code == 302
    second = client.submit(f"/t/{topic.id}/reply", {"body": "A quick second"}, page=topic.url)
    assert second.status_code == 422
    assert "slow mode: you may post here again at" in second.text
    assert "A quick second</textarea>" in second.text
    assert count_posts(app) == 1
    with app.app_context():
        post = db.session.scalar(select(Post))
        post.created_at = utcnow() - timedelta(minutes=31)
        db.session.commit()
    third = client.submit(f"/t/{topic.id}/reply", {"body": "Later"}, page=topic.url)
    assert third.status_code == 302


def test_facilitators_are_not_slowed_and_slow_mode_ends(app, client, dialogue_setup):
    topic = dialogue_setup.topic
    client.login("lucia")
    client.submit(f"/t/{topic.id}/slow-mode", {"minutes": "60", "reason": "Heated."})
    for words in ("One", "Two"):
        response = client.submit(f"/t/{topic.id}/reply", {"body": words}, page=topic.url)
        assert response.status_code == 302
    response = client.submit(f"/t/{topic.id}/slow-mode", {"minutes": "", "reason": ""})
    assert response.status_code == 302
    assert "each participant may post" not in client.get(topic.url).text
    assert "Slow mode off" in client.get("/moderation/log").text


def test_slow_mode_needs_a_reason_and_sane_minutes(client, dialogue_setup, create_user):
    create_user("grace", role=Role.moderator)
    client.login("grace")
    topic = dialogue_setup.topic
    page = client.submit(f"/t/{topic.id}/slow-mode", {"minutes": "10", "reason": ""})
    assert page.status_code == 422 and "Give a reason" in page.text
    page = client.submit(f"/t/{topic.id}/slow-mode", {"minutes": "5000", "reason": "x"})
    assert page.status_code == 422
    page = client.submit(f"/t/{topic.id}/slow-mode", {"minutes": "0", "reason": ""})
    assert page.status_code == 409 and "not in slow mode" in page.text


def test_a_dialogue_closes_on_schedule_without_anyone_acting(app, client, dialogue_setup):
    topic = dialogue_setup.topic
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_setup.dialogue.id)
        dialogue.closes_at = utcnow() + timedelta(days=2)
        db.session.commit()
    page = client.get("/d/men-as-allies").text
    assert "Closes on" in page and ">Open<" in page
    client.login("amina")
    token = client.csrf_token(topic.url)
    with app.app_context():
        db.session.get(Dialogue, dialogue_setup.dialogue.id).closes_at = utcnow() - timedelta(
            minutes=1
        )
        db.session.commit()
    page = client.get("/d/men-as-allies").text
    assert "Closed on" in page and ">Closed<" in page
    response = client.post(f"/t/{topic.id}/reply", data={"csrf_token": token, "body": "Late"})
    assert response.status_code == 409 and "This dialogue is closed" in response.text
    assert count_posts(app) == 0
    with app.app_context():
        assert db.session.get(Topic, topic.id).dialogue.state.value == "open"


def test_an_admin_sets_the_closing_time_in_the_form(app, client, dialogue_setup):
    client.login("nadia")
    response = client.submit(
        "/d/men-as-allies/edit",
        {"title": "Men as allies", "state": "open", "closes_at": "2099-03-20T18:00"},
    )
    assert response.status_code == 302
    with app.app_context():
        closes_at = db.session.get(Dialogue, dialogue_setup.dialogue.id).closes_at
        assert (closes_at.year, closes_at.hour) == (2099, 18)


def test_times_are_typed_in_the_persons_zone_as_they_are_shown(app, client, dialogue_setup):
    with app.app_context():
        db.session.execute(
            update(User).where(User.username == "nadia").values(timezone="Asia/Kolkata")
        )
        db.session.commit()
    client.login("nadia")
    response = client.submit(
        "/d/men-as-allies/edit",
        {"title": "Men as allies", "state": "open", "closes_at": "2099-03-20T18:00"},
    )
    assert response.status_code == 302
    with app.app_context():
        closes_at = db.session.get(Dialogue, dialogue_setup.dialogue.id).closes_at
        assert (closes_at.hour, closes_at.minute) == (12, 30)  # Kolkata is UTC+05:30
    form = client.get("/d/men-as-allies/edit").text
    assert 'type="datetime-local" value="2099-03-20T18:00"' in form
    assert "Date and time in Asia/Kolkata (UTC+05:30)." in form
    topic = dialogue_setup.topic
    client.submit(
        f"/t/{topic.id}/slow-mode",
        {"minutes": "30", "reason": "Heated.", "until": "2099-03-21T09:00"},
    )
    with app.app_context():
        until = db.session.get(Topic, topic.id).slow_until
        assert (until.day, until.hour, until.minute) == (21, 3, 30)
