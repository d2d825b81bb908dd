"""What following and mail cost: a reply in a topic with 10,000 followers, and the mail worker.

Run from the repository: `.venv/bin/python bench/mail.py`. On a fresh SQLite forum (or, with
BENCH_DATABASE_URL set to a PostgreSQL server's URL, a database created for the run and dropped
afterwards) it:

1. seeds two people and two topics through the services, then 10,000 more people in bulk (one
   INSERT, a fixed precomputed password hash: scrypt for each would take minutes) who all follow
   the first topic with instant mail and a confirmed address; serves the forum with gunicorn
   (bench/run.py's helpers) configured as in production (FORUM_MAIL_URL set: the mail worker,
   not the request, spreads notifications and writes mail) and posts BENCH_REPLIES replies
   (default 100) in each topic, alternately, one at a time, timing each request. It prints each
   topic's p50 and p99 and the ratio of the p50s (goal: 1.2 at most), with the p50 of the first
   and last fifth of the followed topic's replies.
2. the worker's whole job for one such reply: with the fan-outs of part 1 cleared, one more
   reply, then `forum mail worker --once` to a local SMTP sink (aiosmtpd, a handler that only
   counts): 10,000 notifications spread, 10,000 mails written (text and HTML, in each
   person's language) and sent. Prints the seconds and mails per second.
3. queues BENCH_MESSAGES messages (default 2,000) through forum.mail.services.enqueue, drains
   them with the worker to the sink, and prints messages per second: sending alone.
"""

import os
import shutil
import socket
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from aiosmtpd.controller import Controller
from run import FORUM, PASSWORD, ROOT, log_in, serve  # bench/run.py, beside this file
from sqlalchemy import make_url

sys.path.insert(0, str(ROOT))  # the repository, for tests/databases.py
from tests.databases import fresh_database

FOLLOWERS = 10_000
REPLIES = int(os.environ.get("BENCH_REPLIES", "100"))
MESSAGES = int(os.environ.get("BENCH_MESSAGES", "2000"))
SERVER = os.environ.get("BENCH_DATABASE_URL", "")
# werkzeug's scrypt hash of "bench password", computed once: the followers never log in.
FIXED_HASH = (
    "scrypt:1024:8:1$SZ2gpJGqtE0W0O72$304b2eb14cc87fe04efb6eb2b1258e40863336b0c36b72b5fff30e"
    "0899363e2ea3d3a5ff8c35458487fbaeb6a6789223a479a61f8be3e24434b7befc3b129bc1"
)


def seed() -> tuple[tuple[int, str], tuple[int, str]]:
    """Two topics, the first followed by FOLLOWERS people with instant mail; their (id, slug)."""
    from flask_migrate import upgrade

    from forum import create_app
    from forum.accounts.models import MailMode, User
    from forum.accounts.services import create_user
    from forum.clock import utcnow
    from forum.dialogues.services import create_dialogue
    from forum.extensions import db
    from forum.notifications.models import Follow
    from forum.topics.services import open_topic

    app = create_app({"PASSWORD_HASH_METHOD": "scrypt:1024:8:1"})
    with app.app_context():
        upgrade()
        opener, writer = (
            create_user(username=name, email=f"{name}@example.org", password=PASSWORD)
            for name in ("member1", "member2")
        )
        # The writer follows nothing, so the quiet topic keeps no follower at all.
        writer.follows_own_topics = False
        dialogue = create_dialogue(slug="bench", title="Bench dialogue", by=None)
        topics = [
            open_topic(dialogue, title=title, framing="Framing.", questions=["One?"], by=opener)
            for title in ("Followed by ten thousand", "Followed by nobody")
        ]
        db.session.flush()
        now = utcnow()
        db.session.execute(
            User.__table__.insert(),
            [
                {"username": f"follower{n}", "username_key": f"follower{n}",
                 "email": f"follower{n}@example.org", "email_confirmed_at": now,
                 "password_hash": FIXED_HASH, "display_name": f"Follower {n}",
                 "created_at": now, "mail_mode": MailMode.instant, "follows_own_topics": True}
                for n in range(FOLLOWERS)
            ],
        )  # fmt: skip
        # Opening a topic follows it: take that off, for exactly FOLLOWERS followers and none.
        db.session.execute(Follow.__table__.delete())
        rows = db.select(
            User.id, db.literal(topics[0].id), db.literal(now, Follow.created_at.type)
        ).where(User.username_key.like("follower%"))
        db.session.execute(
            Follow.__table__.insert().from_select(("user_id", "topic_id", "created_at"), rows)
        )
        followers = db.session.scalar(
            db.select(db.func.count()).where(Follow.topic_id == topics[0].id)
        )
        assert followers == FOLLOWERS, followers
        db.session.commit()
        return [(topic.id, topic.slug) for topic in topics]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the reply's 302 is its answer; following it would time a page view too


def time_replies(topics) -> dict[int, list[float]]:
    """Post REPLIES replies in each topic, alternately, one at a time; each one's seconds."""
    cookie, token = log_in("member2")
    opener = urllib.request.build_opener(NoRedirect)
    times = {topic_id: [] for topic_id, _ in topics}
    for n in range(REPLIES):
        for topic_id, _ in topics:
            body = f"Reply {n}: a few words, **some markdown** and a [link](https://example.org)."
            data = urllib.parse.urlencode({"csrf_token": token, "body": body, "submit": "1"})
            request = urllib.request.Request(
                f"{FORUM}/t/{topic_id}/reply", data.encode(), headers={"Cookie": cookie}
            )
            start = time.perf_counter()
            try:
                opener.open(request).read()
                raise RuntimeError("a reply was not answered with a redirect")
            except urllib.error.HTTPError as answer:
                if answer.code != 302:
                    raise RuntimeError(answer.read().decode()[-2000:]) from answer
            times[topic_id].append(time.perf_counter() - start)
    return times


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def reply_cost() -> None:
    """Part 1: a reply in the followed topic against one in the quiet topic."""
    print(f"seeding 2 topics and {FOLLOWERS:,} followers of the first ...", flush=True)
    followed, quiet = seed()
    # Production: a mail server is configured (nothing listens there: no worker runs meanwhile).
    environment = {"FORUM_RATELIMIT_ENABLED": "0", "FORUM_MAIL_URL": "smtp://127.0.0.1:9"}
    forum = serve(["wsgi:app"], 8801, environment, ROOT)
    try:
        times = time_replies([followed, quiet])
    finally:
        forum.terminate()
        forum.wait()
    print(f"posting a reply, {REPLIES} in each topic alternately, one request at a time:")
    p50 = {}
    for (topic_id, _), name in ((followed, f"{FOLLOWERS:,} followers"), (quiet, "no follower")):
        series = times[topic_id]
        p50[topic_id] = statistics.median(series)
        p99 = statistics.quantiles(series, n=100)[98]
        print(f"  topic with {name:<16} p50 {ms(p50[topic_id])}  p99 {ms(p99)}")
    fifth = max(1, REPLIES // 5)
    series = times[followed[0]]
    print(
        f"  followed topic, first {fifth} replies p50 {ms(statistics.median(series[:fifth]))},"
        f" last {fifth} p50 {ms(statistics.median(series[-fifth:]))}"
    )
    print(f"  ratio of the p50s: {p50[followed[0]] / p50[quiet[0]]:.2f} (goal: 1.2 at most)")
    print(
        "  A reply records one fan-out row; the mail worker spreads it to the followers and"
        " writes their mail (forum/notifications/spreading.py, mailing.py)."
    )


class Counter:
    """An SMTP handler that accepts and counts every message, and keeps nothing."""

    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def counting_sink():
    """A local SMTP server that counts what it receives, and a forum app that mails to it."""
    from forum import create_app

    sink = Counter()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield sink, create_app({"MAIL_URL": f"smtp://127.0.0.1:{controller.port}"})
    finally:
        controller.stop()


def one_reply_to_everyone() -> None:
    """Part 2: the worker spreads one reply to FOLLOWERS followers, writes and sends their mail."""
    from forum.accounts.services import find_by_username
    from forum.extensions import db
    from forum.mail import delivery
    from forum.notifications.models import FanOut
    from forum.posts.services import reply
    from forum.topics.models import Topic

    with counting_sink() as (sink, app):
        with app.app_context():
            db.session.execute(FanOut.__table__.delete())  # part 1's: 1,000,000 mails
            topic = db.session.scalar(db.select(Topic).where(Topic.title.like("Followed by ten%")))
            reply(topic, by=find_by_username("member2"), body="One more reply, for everyone.")
            db.session.commit()
            print(f"the mail worker, one reply to {FOLLOWERS:,} followers with instant mail:")
            start = time.perf_counter()
            delivery.run_worker(once=True)
            seconds = time.perf_counter() - start
        if sink.count != FOLLOWERS:
            raise RuntimeError(f"{sink.count} mails received, not {FOLLOWERS}")
        print(
            f"  spread, written and sent in {seconds:.1f} s:"
            f" {FOLLOWERS / seconds:,.0f} mails/s from the act to the mail server"
        )


def worker_throughput() -> None:
    """Part 3: MESSAGES queued, drained by the worker to a counting SMTP sink."""
    from forum.extensions import db
    from forum.mail import delivery
    from forum.mail.models import MailState, OutboxMessage
    from forum.mail.services import enqueue

    with counting_sink() as (sink, app):
        with app.app_context():
            for n in range(MESSAGES):
                enqueue(
                    to=f"follower{n % FOLLOWERS}@example.org",
                    subject=f"New post {n} in Followed by ten thousand",
                    text="A new post in a topic you follow.\n\n" + "Some words. " * 60,
                    html="<p>A new post in a topic you follow.</p>" + "<p>Some words.</p>" * 60,
                    language="en",
                    headers={"List-Id": "<bench.forum.localhost>"},
                )
            db.session.commit()
            before = db.session.scalar(
                db.select(db.func.count()).where(OutboxMessage.state == MailState.sent)
            )
            print(f"the mail worker, {MESSAGES:,} queued messages to a local SMTP sink:")
            start = time.perf_counter()
            delivery.run_worker(once=True)
            seconds = time.perf_counter() - start
            sent = (
                db.session.scalar(
                    db.select(db.func.count()).where(OutboxMessage.state == MailState.sent)
                )
                - before
            )
        if sent != MESSAGES or sink.count != MESSAGES:
            raise RuntimeError(f"{sent} marked sent, {sink.count} received of {MESSAGES}")
        print(f"  {MESSAGES:,} sent in {seconds:.1f} s: {MESSAGES / seconds:,.0f} messages/s")


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="forum-bench-mail-"))
    try:
        with fresh_database(work, server_url=SERVER, prefix="forum_bench") as database_url:
            os.environ["FORUM_INSTANCE_PATH"] = str(work / "instance")
            os.environ["FORUM_DATABASE_URL"] = database_url
            print(f"database: {make_url(database_url).get_backend_name()}")
            reply_cost()
            one_reply_to_everyone()
            worker_throughput()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
