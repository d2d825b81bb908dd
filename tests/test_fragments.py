"""Kept pieces of pages (forum.fragments) change as soon as what they show changes.

Each test reads a page first, so that its posts or topic cards are rendered and kept, then
changes something and reads the same page again in the same app.
"""

import pytest

from forum import changes
from forum.accounts import services as accounts
from forum.extensions import db
from forum.moderation import services as moderation
from forum.posts import services as posts
from forum.posts.models import Post
from forum.topics.models import Topic


@pytest.fixture
def reading(app, client, dialogue_setup, create_post):
    """A topic with two posts whose page has been read once, so its posts are kept."""
    topic = dialogue_setup.topic
    first = create_post(topic, by="amina", body="Listening *first*.")
    second = create_post(topic, by="babar", body="Then acting.", parent_id=first.id)
    page = client.get(topic.url).text
    assert "Listening <em>first</em>." in page
    assert app.extensions["fragments"].cache_info().currsize >= 2
    return topic, first, second


def person(username: str):
    return accounts.find_by_username(username)


def test_an_edited_post_shows_its_new_text(app, client, reading):
    topic, first, _ = reading
    with app.app_context():
        posts.edit_post(db.session.get(Post, first.id), by=person("amina"), body="Listening, then.")
        db.session.commit()
    page = client.get(topic.url).text
    assert "Listening, then." in page and "Listening <em>first</em>." not in page
    assert "edited once" in page


def test_a_renamed_author_shows_everywhere_at_once(app, client, reading, dialogue_setup):
    topic, _, _ = reading
    client.get(f"/d/{dialogue_setup.dialogue.slug}")  # the topic card, kept too
    with app.app_context():
        accounts.update_profile(person("babar"), display_name="Babar K.")
        db.session.commit()
    assert "Babar K." in client.get(topic.url).text
    assert "Babar Khan" not in client.get(topic.url).text
    card = client.get(f"/d/{dialogue_setup.dialogue.slug}").text
    assert "Last post by Babar K." in card


def test_a_hidden_post_is_hidden_from_readers_but_not_from_moderators(
    app, client, reading, create_user
):
    topic, first, _ = reading
    create_user("mona", role=accounts.Role.moderator, display_name="Mona")
    with app.app_context():
        moderation.hide_post(db.session.get(Post, first.id), by=person("mona"), reason="Off topic")
        db.session.commit()
    page = client.get(topic.url).text
    assert "hidden by the moderators: Off topic" in page
    assert "Listening <em>first</em>." not in page
    client.login("mona")
    assert "Listening <em>first</em>." in client.get(topic.url).text
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    assert "Listening <em>first</em>." not in client.get(topic.url).text


def test_a_content_note_collapses_a_kept_post_and_the_readers_setting_opens_it(
    app, client, reading, create_user
):
    topic, first, _ = reading
    create_user("mona", role=accounts.Role.moderator, display_name="Mona")
    with app.app_context():
        post = db.session.get(Post, first.id)
        moderation.set_content_note(post, by=person("mona"), note="describes grief", reason="Asked")
        db.session.commit()
    page = client.get(topic.url).text
    assert '<details class="content-note">\n  <summary>Content note: describes grief' in page
    client.login("amina")
    assert '<details class="content-note">' in client.get(topic.url).text
    with app.app_context():
        accounts.set_opens_noted_posts(person("amina"), True)
        db.session.commit()
    assert '<details class="content-note" open>' in client.get(topic.url).text
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    assert '<details class="content-note">' in client.get(topic.url).text


def test_kept_posts_follow_the_readers_language(client, reading):
    topic, _, _ = reading
    assert "Permalink" in client.get(topic.url).text
    french = client.get(topic.url, headers={"Accept-Language": "fr"}).text
    assert "Lien permanent" in french and ">Permalink<" not in french
    assert "Permalink" in client.get(topic.url).text


def test_an_author_reading_their_post_may_edit_it_others_may_not(client, reading):
    topic, first, second = reading
    client.login("amina")
    page = client.get(topic.url).text
    assert f'href="/p/{first.id}/edit"' in page and f'href="/p/{second.id}/edit"' not in page
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    assert f'href="/p/{first.id}/edit"' not in client.get(topic.url).text


def test_new_posts_are_marked_new_once_then_no_longer(client, reading, create_post):
    topic, _, _ = reading
    client.login("lucia")
    assert client.get(topic.url).text.count("badge new") == 2
    assert client.get(topic.url).text.count("badge new") == 0  # read now
    create_post(topic, by="amina", body="One more.")
    assert client.get(topic.url).text.count("badge new") == 1


def test_rerendered_bodies_show_without_an_edit(app, client, reading):
    topic, first, _ = reading
    with app.app_context():  # as an older pipeline had rendered it (its topic marked changed)
        post = db.session.get(Post, first.id)
        post.body_html, post.render_version = "<p>Rendered before.</p>", 0
        changes.mark_changed(dialogue_id=post.topic.dialogue_id, topic_id=topic.id)
        db.session.commit()
    assert "Rendered before." in client.get(topic.url).text
    with app.app_context():
        posts.rerender()  # `forum posts rerender`
    page = client.get(topic.url).text
    assert "Listening <em>first</em>." in page and "Rendered before." not in page


def test_a_topic_card_shows_new_replies_and_the_lock(app, client, dialogue_setup, create_post):
    slug = dialogue_setup.dialogue.slug
    topic = dialogue_setup.topic
    create_post(topic, by="amina", body="First.")
    assert "1 post" in client.get(f"/d/{slug}").text
    create_post(topic, by="babar", body="Second.")
    with app.app_context():
        moderation.lock_topic(db.session.get(Topic, topic.id), by=person("nadia"), reason="Done")
        db.session.commit()
    card = client.get(f"/d/{slug}").text
    assert "2 posts" in card and "Last post by Babar Khan" in card
    assert '<span class="badge">Locked</span>' in card


def test_nothing_is_kept_while_templates_reload(app, client, dialogue_setup, create_post):
    app.jinja_env.auto_reload = True  # as under `forum run --debug`: edited macros show at once
    create_post(dialogue_setup.topic, by="amina", body="Kept nowhere.")
    assert "Kept nowhere." in client.get(dialogue_setup.topic.url).text
    client.get(f"/d/{dialogue_setup.dialogue.slug}")
    assert app.extensions["fragments"].cache_info().currsize == 0
