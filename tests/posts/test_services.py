"""The posts service keeps counts right under concurrency, and re-renders stored HTML."""

import threading

import pytest
from sqlalchemy import event, func, select, update

from forum import text
from forum.accounts.models import Role
from forum.accounts.services import find_by_username
from forum.dialogues.models import Dialogue
from forum.extensions import db
from forum.posts import services
from forum.posts.models import Post
from forum.summaries.models import Summary
from forum.summaries.services import save_summary
from forum.topics.models import Topic
from tests.databases import POSTGRES_URL


def test_two_replies_at_the_same_moment_both_land_with_right_counts(app, dialogue_setup):
    topic_id = dialogue_setup.topic.id
    barrier = threading.Barrier(2)
    errors = []

    def write(username):
        try:
            with app.app_context():
                topic = db.session.get(Topic, topic_id)
                author = find_by_username(username)
                barrier.wait()
                services.reply(topic, by=author, body=f"At once, from {username}")
                db.session.commit()
        except Exception as exc:  # reported below, with the thread's traceback lost
            errors.append(exc)

    workers = [threading.Thread(target=write, args=(name,)) for name in ("amina", "babar")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        numbers = sorted(db.session.scalars(select(Post.number)))
        assert numbers == [1, 2]
        assert topic.post_count == 2 and topic.dialogue.post_count == 2
        assert len(topic.page_starts) == 1


def test_rerender_refreshes_html_from_an_older_pipeline(app, dialogue_setup, create_post):
    post = create_post(dialogue_setup.topic, body="**bold**")
    with app.app_context():
        topic = db.session.get(Topic, dialogue_setup.topic.id)
        save_summary(topic, source=f"See #p{post.id}", pinned=True, by=find_by_username("lucia"))
        db.session.execute(update(Post).values(body_html="stale", render_version=0))
        db.session.execute(update(Topic).values(render_version=0))
        db.session.execute(update(Summary).values(html="stale", render_version=0))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["posts", "rerender"])
    assert result.exit_code == 0, result.output
    assert "Re-rendered 3 texts." in result.output
    with app.app_context():
        stored = db.session.get(Post, post.id)
        assert stored.body_html == "<p><strong>bold</strong></p>"
        assert f'href="/p/{post.id}"' in db.session.scalar(select(Summary.html))
        assert stored.render_version == text.RENDER_VERSION
        assert db.session.scalar(select(func.count()).where(Post.render_version == 0)) == 0
    again = app.test_cli_runner().invoke(args=["posts", "rerender"])
    assert "Everything is rendered by the current pipeline." in again.output


def dialogue_last_post(app, dialogue_id: int) -> int | None:
    with app.app_context():
        return db.session.scalar(select(Dialogue.last_post_id).where(Dialogue.id == dialogue_id))


@pytest.mark.skipif(not POSTGRES_URL, reason="SQLite serialises writers: no reply overtakes")
def test_the_dialogue_last_post_is_the_newest_when_replies_commit_out_of_order(
    app, dialogue_setup, create_topic
):
    """The older reply (lower id) updates the dialogue and commits after the newer one."""
    first_topic = dialogue_setup.topic.id
    second_topic = create_topic(dialogue_setup.dialogue, title="Another topic").id
    with app.app_context():
        engine = db.engine
    older_inserted, newer_committed = threading.Event(), threading.Event()
    ids, errors = {}, []

    def hold_back(conn, cursor, statement, *args):
        # The older reply stops before it touches the dialogue, until the newer one is in.
        if threading.current_thread().name == "older" and statement.startswith("UPDATE dialogue"):
            older_inserted.set()
            assert newer_committed.wait(10)

    def write(topic_id, username, before=None, after=None):
        try:
            with app.app_context():
                if before:
                    assert before.wait(10)
                topic = db.session.get(Topic, topic_id)
                post = services.reply(topic, by=find_by_username(username), body="Out of order")
                ids[threading.current_thread().name] = post.id
                db.session.commit()
                if after:
                    after.set()
        except Exception as exc:  # reported below
            errors.append(exc)
            older_inserted.set()
            newer_committed.set()

    event.listen(engine, "before_cursor_execute", hold_back)
    try:
        workers = [
            threading.Thread(target=write, args=(first_topic, "amina"), name="older"),
            threading.Thread(target=write, args=(second_topic, "babar", older_inserted,
                                                 newer_committed), name="newer"),
        ]  # fmt: skip
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        event.remove(engine, "before_cursor_execute", hold_back)
    assert errors == []
    assert ids["older"] < ids["newer"]
    assert dialogue_last_post(app, dialogue_setup.dialogue.id) == ids["newer"]


def test_hiding_the_last_post_shows_the_newest_visible_one(app, client, dialogue_setup,
                                                           create_user, create_post):  # fmt: skip
    create_user("grace", role=Role.moderator)
    dialogue_id = dialogue_setup.dialogue.id
    older = create_post(dialogue_setup.topic, by="amina", body="Still here")
    newer = create_post(dialogue_setup.topic, by="babar", body="About to go")
    client.login("grace")
    client.submit(f"/p/{newer.id}/hide", {"rule": "harassment", "reason": "Abuse."})
    assert dialogue_last_post(app, dialogue_id) == older.id
    assert "last post by Amina Diallo" in client.get("/").text
    client.submit(f"/p/{older.id}/hide", {"rule": "harassment", "reason": "Abuse."})
    assert dialogue_last_post(app, dialogue_id) is None
    client.submit(f"/p/{newer.id}/restore", {"reason": "Misread."})
    assert dialogue_last_post(app, dialogue_id) == newer.id
    client.submit(f"/p/{older.id}/restore", {"reason": "Misread."})
    assert dialogue_last_post(app, dialogue_id) == newer.id
    assert "last post by Babar Khan" in client.get("/").text
