"""The posts service keeps counts right under concurrency, and re-renders stored HTML."""

import threading

from sqlalchemy import func, select, update

from forum import text
from forum.accounts.services import find_by_username
from forum.extensions import db
from forum.posts import services
from forum.posts.models import Post
from forum.summaries.models import Summary
from forum.summaries.services import save_summary
from forum.topics.models import Topic


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
