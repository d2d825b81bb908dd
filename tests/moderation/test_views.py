"""Locks with reasons, hidden posts, and the public log that records both."""

import threading
import time

import pytest
from sqlalchemy import func, select

from forum.accounts.models import Role
from forum.accounts.services import find_by_username
from forum.extensions import db
from forum.moderation import services
from forum.moderation.models import Action, LogEntry
from forum.posts.models import Post
from forum.posts.services import PostError, reply
from forum.topics.models import Topic


@pytest.fixture
def setup(dialogue_setup, create_user, create_dialogue):
    create_user("grace", role=Role.moderator, display_name="Grace Mutesi")
    create_user("omar", display_name="Omar Saleh")
    create_dialogue("another", facilitators=["omar"])
    return dialogue_setup


def log_entries(app) -> list[tuple]:
    with app.app_context():
        return [(e.action, e.reason) for e in db.session.scalars(select(LogEntry))]


def test_a_facilitator_locks_a_topic_with_a_reason_everybody_sees(app, client, setup):
    topic = setup.topic
    client.login("lucia")
    response = client.submit(
        f"/t/{topic.id}/lock", {"rule": "harassment", "reason": "The dialogue moved on."}
    )
    assert response.status_code == 302
    page = client.get(topic.url).text
    assert "Topic locked by Lucía Pérez on" in page and "The dialogue moved on." in page
    assert 'name="body"' not in page and ">Reply<" not in page
    assert "Locked" in client.get("/d/men-as-allies").text
    log = client.get("/moderation/log").text
    assert "Topic locked" in log and "The dialogue moved on." in log and "Lucía Pérez" in log
    assert log_entries(app) == [(Action.lock, "The dialogue moved on.")]
    client.submit(f"/t/{topic.id}/unlock", {"reason": "One more week."})
    assert "Topic locked by" not in client.get(topic.url).text
    assert log_entries(app)[-1] == (Action.unlock, "One more week.")


@pytest.mark.parametrize(
    ("reason", "message"), [("  ", "Give a reason"), ("x" * 1001, "at most 1000 characters")]
)
def test_a_lock_needs_a_reason_of_at_most_1000_characters(app, client, setup, reason, message):
    client.login("lucia")
    page = client.submit(f"/t/{setup.topic.id}/lock", {"rule": "harassment", "reason": reason})
    assert page.status_code == 422 and message in page.text
    with app.app_context():
        assert db.session.get(Topic, setup.topic.id).locked_at is None
    assert log_entries(app) == []


def test_locking_a_locked_topic_is_a_conflict(app, client, setup):
    client.login("grace")
    client.submit(f"/t/{setup.topic.id}/lock", {"rule": "harassment", "reason": "Done."})
    page = client.submit(f"/t/{setup.topic.id}/lock", {"rule": "harassment", "reason": "Again."})
    assert page.status_code == 409 and "already locked" in page.text
    assert len(log_entries(app)) == 1


@pytest.mark.parametrize("username", ["amina", "omar"])
def test_participants_and_facilitators_of_other_dialogues_cannot_lock(client, setup, username):
    client.login(username)
    assert client.get(f"/t/{setup.topic.id}/lock").status_code == 403
    response = client.submit(
        f"/t/{setup.topic.id}/lock", {"rule": "harassment", "reason": "x"}, page="/"
    )
    assert response.status_code == 403


def test_a_reply_typed_before_the_lock_is_refused_with_the_reason_and_kept(app, client, setup):
    topic = setup.topic
    client.login("amina")
    token = client.csrf_token(topic.url)  # the reply form is open
    with app.app_context():
        services.lock_topic(
            db.session.get(Topic, topic.id), by=find_by_username("grace"), reason="Heated."
        )
        db.session.commit()
    response = client.post(
        f"/t/{topic.id}/reply", data={"csrf_token": token, "body": "My long careful answer"}
    )
    assert response.status_code == 409
    assert "Topic locked by Grace Mutesi" in response.text and "Heated." in response.text
    assert "My long careful answer</textarea>" in response.text
    with app.app_context():
        assert db.session.scalar(select(func.count(Post.id))) == 0


def test_no_reply_lands_after_a_lock_commits_even_one_in_flight(app, setup):
    """The lock holds the topic row; a reply that waited for it sees the lock."""
    topic_id = setup.topic.id
    locked, outcome = threading.Event(), {}

    def moderator():
        with app.app_context():
            topic = db.session.get(Topic, topic_id)
            services.lock_topic(topic, by=find_by_username("grace"), reason="Closed now.")
            db.session.flush()
            locked.set()
            time.sleep(0.5)  # the reply below is now waiting for this transaction
            db.session.commit()

    def participant():
        with app.app_context():
            topic = db.session.get(Topic, topic_id)
            author = find_by_username("amina")
            locked.wait()
            try:
                reply(topic, by=author, body="Just in time?")
                db.session.commit()
                outcome["result"] = "posted"
            except PostError as exc:
                db.session.rollback()
                outcome["result"] = str(exc)

    threads = [threading.Thread(target=moderator), threading.Thread(target=participant)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert "Closed now." in outcome["result"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Post.id))) == 0
        assert db.session.get(Topic, topic_id).post_count == 0


def test_a_moderator_hides_a_post_and_its_replies_stay(app, client, setup, create_post):
    topic = setup.topic
    hidden = create_post(topic, by="babar", body="Something harmful")
    child = create_post(topic, by="amina", body="A reply that stays", parent_id=hidden.id)
    client.login("grace")
    response = client.submit(
        f"/p/{hidden.id}/hide", {"rule": "harassment", "reason": "Personal information."}
    )
    assert response.status_code == 302
    page = client.get(topic.url).text
    assert "This post was hidden by the moderators: Personal information." in page
    assert "Something harmful" in page  # moderators still read it
    assert "Restore" in page
    client.post("/logout", data={"csrf_token": client.csrf_token("/")})
    page = client.get(topic.url).text
    assert "This post was hidden by the moderators: Personal information." in page
    assert "Something harmful" not in page
    assert "A reply that stays" in page and f'id="p{child.id}"' in page
    assert client.get(f"/p/{hidden.id}/history").status_code == 404
    client.login("babar")
    assert client.get(f"/p/{hidden.id}/edit").status_code == 403
    assert client.get(f"/t/{topic.id}/reply?to={hidden.id}&quote=1").status_code == 404
    log = client.get("/moderation/log").text
    assert "Post hidden" in log and "a post by Babar Khan" in log


def test_restoring_needs_a_reason_and_a_hidden_post(app, client, setup, create_post):
    post = create_post(setup.topic, by="babar", body="Fine words")
    client.login("grace")
    page = client.submit(f"/p/{post.id}/restore", {"reason": "Mistake."})
    assert page.status_code == 409 and "not hidden" in page.text
    client.submit(f"/p/{post.id}/hide", {"rule": "harassment", "reason": "Spam?"})
    client.submit(f"/p/{post.id}/restore", {"reason": "Not spam after all."})
    assert "Fine words" in client.get(setup.topic.url).text
    assert [a for a, _ in log_entries(app)] == [Action.hide, Action.restore]


def test_only_moderators_hide_posts(client, setup, create_post):
    post = create_post(setup.topic, by="babar")
    client.login("lucia")  # a facilitator, not a moderator
    assert client.get(f"/p/{post.id}/hide").status_code == 403
    assert ">Hide<" not in client.get(setup.topic.url).text


def test_the_log_is_public_paged_and_filtered_by_dialogue(app, client, setup, create_topic):
    other = create_topic(setup.dialogue, title="Other")
    with app.app_context():
        grace = find_by_username("grace")
        services.lock_topic(db.session.get(Topic, other.id), by=grace, reason="Other reason")
        db.session.commit()
    assert "Other reason" in client.get("/moderation/log?dialogue=men-as-allies").text
    assert "Other reason" not in client.get("/moderation/log?dialogue=another").text
    assert client.get("/moderation/log?dialogue=nope").status_code == 404
    assert client.get("/moderation/log?page=2").status_code == 404
