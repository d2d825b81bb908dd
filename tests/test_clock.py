"""Every time a page shows is in the reader's zone, named on the page, in one format per kind."""

from datetime import datetime

import pytest
from sqlalchemy import update

from forum.accounts.models import User
from forum.extensions import db
from forum.moderation.services import lock_topic
from forum.posts.models import Post
from forum.topics.models import Topic

# Babel (CLDR) puts a narrow no-break space before AM and PM.
# 09:30 UTC is 15:00 in Kolkata, which has no summer time: the test holds all year.
POSTED = datetime(2026, 1, 15, 9, 30)


@pytest.fixture
def posted(app, dialogue_setup, create_post):
    """A topic with one post, posted and locked at POSTED."""
    post = create_post(dialogue_setup.topic, by="babar")
    with app.app_context():
        db.session.execute(update(Post).values(created_at=POSTED))
        db.session.execute(update(Topic).values(created_at=POSTED))
        topic = db.session.get(Topic, dialogue_setup.topic.id)
        lock_topic(topic, by=db.session.get(User, dialogue_setup.people.lucia.id), reason="Done")
        topic.locked_at = POSTED
        db.session.commit()
    return dialogue_setup.topic, post


def test_anonymous_readers_see_utc_and_are_told_so(client, posted, dialogue_setup):
    topic, _ = posted
    page = client.get(topic.url).text
    assert "Jan 15, 2026, 9:30\u202fAM" in page and "3:00\u202fPM" not in page
    assert "Times are in UTC." in page
    assert "Topic locked by Lucía Pérez on Jan 15, 2026, 9:30\u202fAM: Done" in page
    card = client.get(f"/d/{dialogue_setup.dialogue.slug}").text
    assert "Jan 15, 2026, 9:30\u202fAM" in card and "Times are in UTC." in card


def test_a_reader_with_a_time_zone_sees_times_shifted_and_the_zone_named(
    client, posted, dialogue_setup
):
    topic, _ = posted
    client.get(topic.url)  # the posts and cards are kept, rendered in UTC
    client.get(f"/d/{dialogue_setup.dialogue.slug}")
    client.login("amina")
    profile = client.get("/profile").text
    assert '<option value="Asia/Kolkata">India (Kolkata)</option>' in profile
    saved = client.submit("/profile", {"display_name": "Amina Diallo", "timezone": "Asia/Kolkata"})
    assert saved.status_code == 302
    page = client.get(topic.url).text
    assert "Jan 15, 2026, 3:00\u202fPM" in page and "9:30\u202fAM" not in page
    assert "Times are in Asia/Kolkata (UTC+05:30)." in page
    assert 'href="/profile#timezone">Change the time zone</a>' in page
    assert "Topic locked by Lucía Pérez on Jan 15, 2026, 3:00\u202fPM: Done" in page
    card = client.get(f"/d/{dialogue_setup.dialogue.slug}").text
    assert "Jan 15, 2026, 3:00\u202fPM" in card and "9:30\u202fAM" not in card
    # Same zone, another language: the same one format, in French.
    client.post("/language/fr", data={"csrf_token": client.csrf_token()})
    assert "15 janv. 2026, 15:00" in client.get(topic.url).text


def test_a_zone_that_is_not_on_the_list_is_refused(app, client, user):
    client.login("amina")
    response = client.submit("/profile", {"display_name": "Amina", "timezone": "Mars/Olympus"})
    assert response.status_code == 422 and "Not a valid choice" in response.text
    with app.app_context():
        assert db.session.get(User, user.id).timezone == ""
