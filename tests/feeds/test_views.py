"""Feeds that a real feed client reads cleanly, cheap to poll, and that never leak."""

import re
from email.utils import parsedate_to_datetime
from xml.etree import ElementTree

import feedparser
import pytest

from forum.accounts.models import Role
from forum.extensions import db
from forum.posts.models import Post


def parse(response):
    assert response.status_code == 200
    assert response.content_type == "application/rss+xml; charset=utf-8"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def check_rss_rules(data: bytes):
    """What RSS 2.0 requires, checked offline."""
    root = ElementTree.fromstring(data)  # noqa: S314 (the forum's own output)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for name in ("title", "link", "description", "language", "lastBuildDate"):
        assert channel.find(name) is not None and channel.find(name).text, name
    atom = channel.find("{http://www.w3.org/2005/Atom}link")
    assert atom.get("rel") == "self" and atom.get("href").startswith("http")
    for item in channel.findall("item"):
        assert item.find("title").text or item.find("description").text
        guid = item.find("guid")
        assert guid.get("isPermaLink") == "true" and guid.text.startswith("http")
        assert parsedate_to_datetime(item.find("pubDate").text).tzinfo is not None
        assert re.match(
            r"^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$", item.find("pubDate").text
        )
        assert "@" not in (item.findtext("{http://purl.org/dc/elements/1.1/}creator") or "")


@pytest.fixture
def topic_with_posts(dialogue_setup, create_post):
    topic = dialogue_setup.topic
    first = create_post(topic, by="amina", subject="Open the door", body="**Then** step back.",
                        prompt_id=topic.question_ids[1])  # fmt: skip
    second = create_post(topic, by="babar", body="Agreed.", parent_id=first.id)
    return topic, first, second


def test_the_topic_feed_lists_its_posts_newest_first(app, client, topic_with_posts):
    topic, first, second = topic_with_posts
    response = client.get(f"/t/{topic.id}/feed.rss")
    feed = parse(response)
    check_rss_rules(response.data)
    assert feed.feed.title == "What support do you need?"
    assert [e.link for e in feed.entries] == [
        f"http://localhost/p/{second.id}",
        f"http://localhost/p/{first.id}",
    ]
    newest, oldest = feed.entries
    assert newest.title == "Re: What support do you need?"
    assert oldest.title == "Open the door" and oldest.author == "Amina Diallo"
    assert "<strong>Then</strong>" in oldest.summary
    assert oldest.tags[0].term == "What does not?"
    assert oldest.id == oldest.link


def test_a_second_poll_gets_304_with_no_body_in_one_query(app, client, topic_with_posts, queries):
    topic, *_ = topic_with_posts
    first = client.get(f"/t/{topic.id}/feed.rss")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert "max-age" in first.headers["Cache-Control"]
    with queries() as log:
        again = client.get(f"/t/{topic.id}/feed.rss", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert len(log.statements) == 1
    since = client.get(f"/t/{topic.id}/feed.rss", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    head = client.head(f"/t/{topic.id}/feed.rss")
    assert head.status_code == 200 and head.headers["ETag"] == etag and head.data == b""


@pytest.mark.parametrize(
    "url", ["/feed.rss", "/d/men-as-allies/feed.rss", "/moderation/log/feed.rss"]
)
def test_a_weak_validator_of_the_current_version_gets_304_on_every_feed(
    client, topic_with_posts, url
):
    topic, *_ = topic_with_posts
    for address in (url, f"/t/{topic.id}/feed.rss"):
        etag = client.get(address).headers["ETag"]
        for sent in (f"W/{etag}", f'"other", W/{etag}'):
            assert client.get(address, headers={"If-None-Match": sent}).status_code == 304
        assert client.get(address, headers={"If-None-Match": 'W/"other"'}).status_code == 200


def test_the_etag_follows_edits_hides_locks_and_summaries(
    app, client, topic_with_posts, create_user
):
    topic, first, second = topic_with_posts
    create_user("grace", role=Role.moderator)
    url = f"/t/{topic.id}/feed.rss"
    etags = [client.get(url).headers["ETag"]]
    client.login("amina")
    client.submit(f"/p/{first.id}/edit", {"subject": "Open the door", "body": "Edited words"})
    etags.append(client.get(url).headers["ETag"])
    assert "Edited words" in client.get(url).text
    client.post("/logout", data={"csrf_token": client.csrf_token("/")})
    client.login("grace")
    client.submit(f"/p/{second.id}/hide", {"rule": "harassment", "reason": "Off-topic."})
    etags.append(client.get(url).headers["ETag"])
    feed = parse(client.get(url))
    assert [e.link for e in feed.entries] == [f"http://localhost/p/{first.id}"]
    client.submit(f"/t/{topic.id}/summary", {"source": f"We heard #p{first.id}.", "pinned": "y"})
    etags.append(client.get(url).headers["ETag"])
    client.submit(f"/t/{topic.id}/lock", {"rule": "harassment", "reason": "The dialogue is over."})
    etags.append(client.get(url).headers["ETag"])
    assert len(set(etags)) == len(etags)
    titles = [e.title for e in parse(client.get(url)).entries]
    assert titles[0] == "Topic locked: What support do you need?"
    assert "Facilitators' summary: What support do you need?" in titles
    feed = parse(client.get(url))
    assert "The dialogue is over." in feed.entries[0].summary


def test_the_dialogue_feed_has_new_topics_with_questions_and_summaries(
    client, dialogue_setup, create_topic
):
    create_topic(dialogue_setup.dialogue, title="Staying safe", questions=["Who protects you?"])
    client.login("lucia")
    client.submit("/d/men-as-allies/summary", {"source": "Where we are.", "pinned": "y"})
    response = client.get("/d/men-as-allies/feed.rss")
    check_rss_rules(response.data)
    feed = parse(response)
    titles = [e.title for e in feed.entries]
    assert "Staying safe" in titles and "What support do you need?" in titles
    assert any("Facilitators' summary" in t for t in titles)
    safe = next(e for e in feed.entries if e.title == "Staying safe")
    assert "Who protects you?" in safe.summary


def test_the_site_feed_leaves_out_archived_dialogues_and_hidden_posts(
    app, client, topic_with_posts, create_dialogue, create_topic, create_post
):
    archive = create_dialogue("old", state="archived")
    old_topic = create_topic(archive, title="An old topic")
    with app.app_context():
        from forum.dialogues.models import Dialogue

        db.session.get(Dialogue, archive.id).state = "open"
        db.session.commit()
    old_post = create_post(old_topic, by="babar", body="From the archive")
    with app.app_context():
        db.session.get(Dialogue, archive.id).state = "archived"
        db.session.get(Post, topic_with_posts[1].id).hidden_at = db.func.now()
        db.session.commit()
    response = client.get("/feed.rss")
    check_rss_rules(response.data)
    links = [e.link for e in parse(response).entries]
    assert f"http://localhost/p/{topic_with_posts[2].id}" in links
    assert f"http://localhost/p/{topic_with_posts[1].id}" not in links
    assert f"http://localhost/p/{old_post.id}" not in links


def test_the_moderation_log_feed_shows_acts_but_never_reporters(
    client, topic_with_posts, create_user
):
    _, first, _ = topic_with_posts
    create_user("grace", role=Role.moderator)
    client.login("babar")
    client.submit(f"/p/{first.id}/report", {"reason": "other", "note": "Secret worry"})
    client.post("/logout", data={"csrf_token": client.csrf_token("/")})
    client.login("grace")
    client.submit(f"/moderation/reports/{first.id}", {"reason": "Handled.", "dismiss": "1"},
                  page="/moderation/reports")  # fmt: skip
    response = client.get("/moderation/log/feed.rss")
    check_rss_rules(response.data)
    feed = parse(response)
    assert feed.entries[0].title.startswith("Reports on a post dismissed")
    assert "Handled." in feed.entries[0].summary
    assert "Secret worry" not in response.text and "Babar" not in response.text


def test_feed_cost_does_not_grow_with_the_topic(app, client, dialogue_setup, create_topic, queries):
    from forum.accounts.services import find_by_username
    from forum.posts.services import reply
    from forum.topics.models import Topic

    small, big = dialogue_setup.topic, create_topic(dialogue_setup.dialogue, title="Long")
    with app.app_context():
        author = find_by_username("babar")
        for topic, count in ((small, 3), (big, 120)):
            row = db.session.get(Topic, topic.id)
            for i in range(count):
                reply(row, by=author, body=f"post {i}")
        db.session.commit()

    def cost(topic):
        with queries() as log:
            client.get(f"/t/{topic.id}/feed.rss")
        return len(log.statements)

    client.get("/feed.rss")  # whatever a first request does once
    assert cost(small) == cost(big)
    assert len(parse(client.get(f"/t/{big.id}/feed.rss")).entries) == 50
    assert cost(big) == 1  # built once, then kept under its validator


def test_a_kept_feed_is_built_again_when_what_it_shows_changes(
    app, client, dialogue_setup, create_post
):
    from forum.accounts.services import find_by_username, update_profile
    from forum.posts.models import Post
    from forum.posts.services import edit_post

    topic = dialogue_setup.topic
    post = create_post(topic, by="amina", body="Before the edit.")
    create_post(dialogue_setup.topic, by="babar", body="Another voice.")
    feed = f"/t/{topic.id}/feed.rss"
    assert "Before the edit." in client.get(feed).text
    with app.app_context():
        edit_post(db.session.get(Post, post.id), by=find_by_username("amina"), body="After.")
        db.session.commit()
    entries = parse(client.get(feed)).entries
    assert [e.description for e in entries if e.author == "Amina Diallo"] == ["<p>After.</p>"]
    with app.app_context():
        update_profile(find_by_username("babar"), display_name="Babar K.")
        db.session.commit()
    authors = {e.author for e in parse(client.get(feed)).entries}
    assert authors == {"Amina Diallo", "Babar K."}
    dialogue_feed = client.get(f"/d/{dialogue_setup.dialogue.slug}/feed.rss").text
    assert "Lucía Pérez" in dialogue_feed  # the topic's opener
    with app.app_context():
        update_profile(find_by_username("lucia"), display_name="Lucía P.")
        db.session.commit()
    assert "Lucía P." in client.get(f"/d/{dialogue_setup.dialogue.slug}/feed.rss").text


def test_unknown_feeds_are_plain_404s(client, dialogue_setup):
    for url in ("/t/999/feed.rss", "/d/nope/feed.rss"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.content_type.startswith("text/plain")
        assert "<" not in response.text


def test_pages_advertise_their_feeds(client, topic_with_posts):
    topic, *_ = topic_with_posts
    for page, feed in (
        (topic.url, f"/t/{topic.id}/feed.rss"),
        ("/d/men-as-allies", "/d/men-as-allies/feed.rss"),
        ("/", "/feed.rss"),
        ("/moderation/log", "/moderation/log/feed.rss"),
    ):
        text = client.get(page).text
        assert '<link rel="alternate" type="application/rss+xml"' in text
        assert f'href="{feed}"' in text and "Follow by RSS" in text


def test_a_configured_base_url_makes_the_links(app, client, topic_with_posts):
    app.config["BASE_URL"] = "https://dialogue.example.org"
    topic, first, _ = topic_with_posts
    feed = parse(client.get(f"/t/{topic.id}/feed.rss"))
    assert feed.entries[-1].link == f"https://dialogue.example.org/p/{first.id}"


def test_a_feed_speaks_one_language_whoever_asked_for_it_first(app, client, topic_with_posts):
    topic, first, _second = topic_with_posts
    with app.app_context():
        post = db.session.get(Post, first.id)
        post.subject = ""
        db.session.commit()
    url = f"/t/{topic.id}/feed.rss"
    french = parse(client.get(url, headers={"Accept-Language": "fr"}))
    english = parse(client.get(url, headers={"Accept-Language": "en"}))
    assert french.feed.description == english.feed.description
    assert english.feed.description.startswith("Replies in the topic")
    assert "Re: What support do you need?" in [e.title for e in english.entries]
