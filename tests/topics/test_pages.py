"""Long topics are paged by whole threads, cheaply, and permalinks find the right page."""

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.posts import threads
from forum.posts.models import Post
from forum.topics.models import Topic


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(threads, "PAGE_SIZE", 5)
    monkeypatch.setattr("forum.posts.reading.PAGE_SIZE", 5)


def page_starts(app, topic) -> list[str]:
    with app.app_context():
        return db.session.scalar(select(Topic.page_starts).where(Topic.id == topic.id))


def test_threads_fill_pages_whole_and_never_split(
    app, client, dialogue_setup, create_post, small_pages
):
    topic = dialogue_setup.topic
    a = create_post(topic, body="A")
    for _ in range(2):
        create_post(topic, body="A child", parent_id=a.id)
    b = create_post(topic, body="B")
    create_post(topic, body="B child", parent_id=b.id)  # a+b = 5 posts: page 1 is full
    c = create_post(topic, body="C")
    create_post(topic, body="A late child", parent_id=a.id)  # page 1 outgrows: B moves on
    starts = page_starts(app, topic)
    assert starts == [a.path, b.path]
    page2 = client.get(f"{topic.url}?page=2").text
    assert f'id="p{b.id}"' in page2 and f'id="p{c.id}"' in page2
    assert f'id="p{a.id}"' not in page2
    response = client.get(f"/p/{c.id}")
    assert response.location.endswith(f"{topic.url}?page=2#p{c.id}")


def test_a_thread_longer_than_a_page_is_split(
    app, client, dialogue_setup, create_post, small_pages
):
    topic = dialogue_setup.topic
    root = create_post(topic, body="root")
    posts = [root] + [create_post(topic, body=f"r{i}", parent_id=root.id) for i in range(11)]
    after = create_post(topic, body="after")
    starts = page_starts(app, topic)
    assert starts == [root.path, posts[5].path, posts[10].path]
    last = client.get(f"{topic.url}?page=3").text
    assert f'id="p{posts[11].id}"' in last and f'id="p{after.id}"' in last
    assert client.get(f"/p/{posts[7].id}").location.endswith(f"?page=2#p{posts[7].id}")


def test_flat_view_pages_by_number(client, dialogue_setup, create_post, small_pages):
    topic = dialogue_setup.topic
    made = [create_post(topic, body=f"post {i}") for i in range(7)]
    page2 = client.get(f"{topic.url}?view=flat&page=2").text
    assert f'id="p{made[5].id}"' in page2 and f'id="p{made[4].id}"' not in page2
    assert 'rel="prev"' in page2


def test_topic_page_costs_the_same_queries_for_5_and_300_posts(
    app, client, dialogue_setup, create_topic, create_post, queries, pages_built_each_time
):
    small = dialogue_setup.topic
    big = create_topic(dialogue_setup.dialogue, title="A long topic")
    for i in range(5):
        create_post(small, body=f"post {i}")
    with app.app_context():
        from forum.accounts.services import find_by_username
        from forum.posts.services import reply

        topic = db.session.get(Topic, big.id)
        author = find_by_username("babar")
        parent = None
        for i in range(300):
            post = reply(topic, by=author, body=f"post {i}", parent_id=parent)
            parent = post.id if i % 3 else None
        first_id = db.session.scalar(
            select(Post.id).where(Post.topic_id == big.id, Post.number == 1)
        )
        db.session.commit()

    def count(url):
        with queries() as log:
            assert client.get(url).status_code == 200
        return len(log.statements)

    count(small.url)  # the first request of a test also runs the app's one-off queries
    assert count(small.url) == count(big.url) == count(f"{big.url}?page=6")
    assert count(f"{small.url}?view=flat") == count(f"{big.url}?view=flat&page=5")
    client.login("amina")
    count(small.url)
    for page in range(1, 7):  # read everything, so the next reply is the only new post
        count(f"{big.url}?view=flat&page={page}")
    assert count(small.url) == count(big.url)
    create_post(small, by="babar")
    create_post(big, by="babar", parent_id=first_id)  # shown on page 1, so read now
    assert count(small.url) == count(big.url)


def test_an_anonymous_read_writes_nothing(client, dialogue_setup, create_post, queries):
    create_post(dialogue_setup.topic)
    with queries() as log:
        for url in ("/", "/d/men-as-allies", dialogue_setup.topic.url, "/p/1"):
            client.get(url)
    assert log.writes == []


def test_a_logged_in_read_writes_at_most_one_upsert(client, dialogue_setup, create_post, queries):
    create_post(dialogue_setup.topic, by="babar")
    client.login("amina")
    with queries() as log:
        client.get(dialogue_setup.topic.url)
    assert len(log.writes) == 1
    assert "read_marker" in log.writes[0] and "ON CONFLICT" in log.writes[0].upper()
