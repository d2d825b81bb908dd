"""The same pages on PostgreSQL at 10,000 posts and at 1,000,000: does any of them slow down?

Run from the repository: `.venv/bin/python bench/scale.py` (needs PostgreSQL on 127.0.0.1:5432
letting `postgres` in without a password, and wrk, which it installs like bench/run.py). It makes
the databases forum_scale_<pid> and forum_scale_<pid>_1m and drops them at the end. Stage one
makes, through the forum's own services, 20 members, 5 dialogues and 41 topics, then loads with
COPY their 10,800 posts: a threaded topic of 10,000 and 40 topics of 20. Stage two copies that
database and grows the copy to 1,000,000 posts with 49,460 more topics of 20, leaving the long
topic as it was. Every post carries the columns and counts reply() would write. After each stage,
VACUUM ANALYZE and a CHECKPOINT. Then it serves both with gunicorn (2 sync workers each,
loopback), checks the long topic's pages over HTTP on both, drives each page with wrk on the
small and the large forum alternately in two rounds, and prints the p50 at both sizes and their
ratio, against the goal that none grows past 1.3 times. BENCH_DURATION (default 5s) sets each
wrk run, BENCH_WORKERS (default 2) the gunicorn workers.
"""

import http.client
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple

import click
import psycopg
from flask_migrate import upgrade
from sqlalchemy import text as sql

from forum import create_app, text
from forum.accounts.services import create_user
from forum.clock import utcnow
from forum.database import plain_update
from forum.dialogues.services import assign_facilitator, create_dialogue
from forum.extensions import db
from forum.posts import threads
from forum.slugs import slugify
from forum.topics.models import Topic
from forum.topics.services import open_topic

os.environ.setdefault("BENCH_DURATION", "5s")  # shorter than run.py's: twenty runs here
from run import REFERENCE, ROOT, drive, ensure_wrk, serve

SERVER = "postgres@127.0.0.1:5432"
DATABASE = f"forum_scale_{os.getpid()}"
SMALL_PORT, LARGE_PORT = 8803, 8804
PASSWORD = "bench password"
LONG_TOPIC = 10_000
TOPIC_SIZE = 20
TOTAL = 1_000_000
# The first dialogue lists more than a page of topics (30) at both sizes; the others a few.
DIALOGUES = {"bench": 32, "second": 2, "third": 2, "fourth": 2, "fifth": 2}
QUESTIONS = ["One?", "Two?", "Three?"]
FRAMING = "Framing."
BODIES = 200
GOAL = 1.3
PAGE_SIZE = threads.PAGE_SIZE
# Post number k of the whole run, across both stages, is written two seconds after post k - 1.
START = utcnow() - timedelta(days=30)

POST_COLUMNS = (
    "id, topic_id, number, parent_id, path, depth, thread_size, author_id, subject, prompt_id,"
    " body_source, body_html, render_version, created_at, edit_count, hidden_reason, language"
)
TOPIC_COLUMNS = (
    "id, dialogue_id, title, slug, author_id, created_at, framing_source, framing_html,"
    " render_version, edit_count, is_sticky, question_count, post_count, last_activity_at,"
    " changed_at, page_starts, lock_reason, slow_reason"
)
QUESTION_COLUMNS = "id, topic_id, position, text, answer_count"
# What reply() keeps counted, recounted from the posts wherever a stage added some.
TOPIC_COUNTS = """
    UPDATE topic SET post_count = s.posts, last_post_id = s.last_id,
        last_activity_at = s.last_at, changed_at = s.last_at
    FROM (SELECT topic_id, count(*) AS posts, max(id) AS last_id, max(created_at) AS last_at
          FROM post GROUP BY topic_id) AS s
    WHERE topic.id = s.topic_id AND topic.post_count <> s.posts"""
ANSWER_COUNTS = """
    UPDATE prompt_question SET answer_count = s.answers
    FROM (SELECT prompt_id, count(*) AS answers FROM post GROUP BY prompt_id) AS s
    WHERE prompt_question.id = s.prompt_id AND prompt_question.answer_count <> s.answers"""
DIALOGUE_COUNTS = """
    UPDATE dialogue SET topic_count = s.topics, post_count = s.posts, last_post_id = s.last_id,
        last_activity_at = s.last_at, changed_at = s.last_at
    FROM (SELECT dialogue_id, count(*) AS topics, sum(post_count) AS posts,
                 max(last_post_id) AS last_id, max(last_activity_at) AS last_at
          FROM topic GROUP BY dialogue_id) AS s
    WHERE dialogue.id = s.dialogue_id"""
# A topic of at most a page of posts has one page, beginning at its first thread.
SHORT_PAGE_MAPS = """
    UPDATE topic SET page_starts = json_build_array(s.first)
    FROM (SELECT topic_id, min(path) AS first FROM post WHERE depth = 0 GROUP BY topic_id) AS s
    WHERE topic.id = s.topic_id AND json_array_length(topic.page_starts) = 0
        AND topic.post_count <= :page_size"""
UNMAPPED_LONG_TOPICS = """
    SELECT id FROM topic WHERE json_array_length(page_starts) = 0 AND post_count > :page_size"""


class Place(NamedTuple):
    """Where a post sits in its topic's tree, as threads.place() gives it."""

    path: str
    depth: int


@dataclass
class Planned:
    """A topic and the size posts to load into it, the first being post number first of the run."""

    topic_id: int
    questions: list[int]
    size: int
    first: int


@dataclass
class Cast:
    """The ids of the members who write and of the dialogues that hold the topics."""

    people: list[int]
    dialogues: list[int]


@dataclass
class LongTopic:
    """The long topic as the database holds it: what its pages must show."""

    id: int
    slug: str
    pages: int
    first_page_posts: int
    last_page_posts: int
    question: int
    answers: int
    deep_post: int


def postgres(statement: str, database: str = "postgres") -> None:
    """Run one statement outside a transaction (CREATE DATABASE, VACUUM)."""
    with psycopg.connect(f"postgresql://{SERVER}/{database}", autocommit=True) as connection:
        connection.execute(statement)


def moment(k: int):
    """When post number k of the run was written."""
    return START + timedelta(seconds=2 * k)


def body_pool() -> list[tuple[str, str]]:
    """The benchmark's Markdown bodies, each with its HTML rendered once by the forum."""
    sys.path.insert(0, str(REFERENCE))
    from posts import body

    rng = random.Random(7)
    sources = [body(rng, n) for n in range(BODIES)]
    return [(source, text.render(source)) for source in sources]


def raw_cursor() -> psycopg.Cursor:
    """A psycopg cursor in the session's transaction, for COPY."""
    return db.session.connection().connection.driver_connection.cursor()


def reserve(cursor: psycopg.Cursor, table: str, count: int) -> int:
    """Take count ids from a table's sequence, for rows written by COPY; return the first."""
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence(%(t)s, 'id'),"
        " nextval(pg_get_serial_sequence(%(t)s, 'id')) + %(n)s - 1)",
        {"t": table, "n": count},
    )
    return cursor.fetchone()[0] - count + 1


def open_planned(dialogue, title: str, size: int, by, first: int) -> Planned:
    """Open a topic through the service, dated just before its first post."""
    topic = open_topic(dialogue, title=title, framing=FRAMING, questions=QUESTIONS, by=by)
    topic.created_at = moment(first) - timedelta(seconds=1)
    return Planned(topic.id, [q.id for q in topic.questions], size, first)


def stage_one(pool: list[tuple[str, str]]) -> Cast:
    """Members, dialogues and topics through the services, then 10,800 posts by COPY."""
    lists = sum(DIALOGUES.values())
    print(f"stage 1: a {LONG_TOPIC:,}-post topic and {lists} of {TOPIC_SIZE}, in {DATABASE}")
    people = [
        create_user(username=f"member{i}", email=f"member{i}@example.org",
                    password=PASSWORD, display_name=f"Member {i}")
        for i in range(1, 21)
    ]  # fmt: skip
    plans: list[Planned] = []
    dialogues = []
    for slug, count in DIALOGUES.items():
        dialogue = create_dialogue(slug=slug, title=f"Dialogue {slug}", by=None)
        assign_facilitator(dialogue, people[0], by=None)
        dialogues.append(dialogue)
        for _ in range(count):
            first = len(plans) * TOPIC_SIZE
            title = f"List topic {len(plans)}"
            plans.append(open_planned(dialogue, title, TOPIC_SIZE, people[0], first))
    first = len(plans) * TOPIC_SIZE
    plans.append(open_planned(dialogues[0], "The long topic", LONG_TOPIC, people[0], first))
    cast = Cast([p.id for p in people], [d.id for d in dialogues])
    load_posts(plans, cast, pool)
    return cast


def stage_two(cast: Cast, pool: list[tuple[str, str]]) -> None:
    """Grow to TOTAL posts: new topics of TOPIC_SIZE in every dialogue, all by COPY."""
    start = db.session.scalar(sql("SELECT count(*) FROM post"))
    count = (TOTAL - start) // TOPIC_SIZE
    print(f"stage 2: {count:,} topics of {TOPIC_SIZE}, {start:,} posts to {TOTAL:,}", flush=True)
    cursor = raw_cursor()
    first_topic = reserve(cursor, "topic", count)
    first_question = reserve(cursor, "prompt_question", count * len(QUESTIONS))
    framing = text.render(FRAMING)
    plans = []
    with cursor.copy(f"COPY topic ({TOPIC_COLUMNS}) FROM STDIN") as copy:
        for t in range(count):
            first = start + t * TOPIC_SIZE
            opened = moment(first) - timedelta(seconds=1)
            title = f"Grown topic {t}"
            copy.write_row((
                first_topic + t, cast.dialogues[t % len(cast.dialogues)], title, slugify(title),
                cast.people[0], opened, FRAMING, framing, text.RENDER_VERSION, 0, False,
                len(QUESTIONS), 0, opened, opened, "[]", "", "",
            ))  # fmt: skip
            questions = [first_question + t * len(QUESTIONS) + i for i in range(len(QUESTIONS))]
            plans.append(Planned(first_topic + t, questions, TOPIC_SIZE, first))
    with cursor.copy(f"COPY prompt_question ({QUESTION_COLUMNS}) FROM STDIN") as copy:
        for plan in plans:
            for position, wording in enumerate(QUESTIONS):
                copy.write_row((plan.questions[position], plan.topic_id, position, wording, 0))
    load_posts(plans, cast, pool)


def topic_posts(plan: Planned, first_id: int, cast: Cast, pool, rng: random.Random):
    """The rows reply() would write: a third of the posts start threads, the rest answer one
    of the earlier posts; each answers a prompt question."""
    places: list[Place] = []
    parents: list[int | None] = []
    for n in range(plan.size):
        parent = rng.randrange(n) if n % 3 else None
        above = None if parent is None else places[parent]
        places.append(Place(*threads.place(first_id + n, above)))
        parents.append(parent)
    sizes = Counter(place.path[: threads.WIDTH] for place in places)
    for n, ((path, depth), parent) in enumerate(zip(places, parents, strict=True)):
        k = plan.first + n
        source, html = pool[k % len(pool)]
        yield (
            first_id + n, plan.topic_id, n + 1, None if parent is None else first_id + parent,
            path, depth, sizes[path] if depth == 0 else 1, cast.people[n % len(cast.people)], "",
            plan.questions[n % len(plan.questions)], source, html, text.RENDER_VERSION,
            moment(k), 0, "", "en",
        )  # fmt: skip


def load_posts(plans: list[Planned], cast: Cast, pool) -> None:
    """COPY the posts of the planned topics, then count, map pages and commit as reply() does."""
    total = sum(plan.size for plan in plans)
    cursor = raw_cursor()
    post_id = reserve(cursor, "post", total)
    rng = random.Random(plans[0].first)
    began = time.perf_counter()
    label = f"  COPY {total:,} posts"
    with (
        click.progressbar(length=total, label=label, width=40) as bar,
        cursor.copy(f"COPY post ({POST_COLUMNS}) FROM STDIN") as copy,
    ):
        for plan in plans:
            for row in topic_posts(plan, post_id, cast, pool, rng):
                copy.write_row(row)
            post_id += plan.size
            bar.update(plan.size)
    print(f"  posts copied in {time.perf_counter() - began:.1f} s", flush=True)
    began = time.perf_counter()
    recount()
    db.session.commit()
    print(f"  counts and page maps in {time.perf_counter() - began:.1f} s", flush=True)


def recount() -> None:
    """Bring every denormalised count and page map up to date with the posts."""
    for statement in (TOPIC_COUNTS, ANSWER_COUNTS, DIALOGUE_COUNTS):
        db.session.execute(sql(statement))
    size = {"page_size": PAGE_SIZE}
    db.session.execute(sql(SHORT_PAGE_MAPS), size)
    for topic_id in db.session.scalars(sql(UNMAPPED_LONG_TOPICS), size).all():
        starts = threads.compute_page_starts(topic_id, [], "")
        db.session.execute(
            plain_update(Topic).where(Topic.id == topic_id).values(page_starts=starts)
        )


def settle(database: str) -> None:
    """VACUUM ANALYZE, as after any bulk load, so the planner knows the tables' sizes; then a
    CHECKPOINT, so that writing the load out does not fall inside the measurements."""
    began = time.perf_counter()
    postgres("VACUUM ANALYZE", database)
    postgres("CHECKPOINT", database)
    print(f"  VACUUM ANALYZE in {time.perf_counter() - began:.1f} s", flush=True)


def describe_long_topic() -> LongTopic:
    """Read, from the tables, what the long topic's pages must show."""
    row = db.session.execute(
        sql("SELECT id, slug, page_starts FROM topic WHERE title = 'The long topic'")
    ).one()
    starts = row.page_starts
    count = "SELECT count(*) FROM post WHERE topic_id = :t AND path >= :a"
    first = db.session.scalar(
        sql(count + " AND path < :b"), {"t": row.id, "a": starts[0], "b": starts[1]}
    )
    last = db.session.scalar(sql(count), {"t": row.id, "a": starts[-1]})
    question, answers = db.session.execute(
        sql("SELECT id, answer_count FROM prompt_question WHERE topic_id = :t AND position = 0"),
        {"t": row.id},
    ).one()
    deep = db.session.scalar(
        sql("SELECT id FROM post WHERE topic_id = :t ORDER BY path DESC LIMIT 1"), {"t": row.id}
    )
    db.session.rollback()
    return LongTopic(row.id, row.slug, len(starts), first, last, question, answers, deep)


def last_page(posts: int) -> int:
    """The number of the last page of posts shown PAGE_SIZE at a time."""
    return -(-posts // PAGE_SIZE)


def topic_page(long: LongTopic, query: str = "") -> str:
    """The address of a page of the long topic."""
    return f"/t/{long.id}/{long.slug}" + (f"?{query}" if query else "")


def pages(long: LongTopic) -> list[tuple[str, str]]:
    """The pages to measure: name and path."""
    flat, answers, question = last_page(LONG_TOPIC), last_page(long.answers), long.question
    return [
        ("front page", "/"),
        ("dialogue page", "/d/bench"),
        ("long topic, page 1", topic_page(long)),
        (f"long topic, last page ({long.pages})", topic_page(long, f"page={long.pages}")),
        (f"long topic, flat, last page ({flat})", topic_page(long, f"view=flat&page={flat}")),
        ("answers to question 1, page 1", topic_page(long, f"prompt={question}")),
        (f"answers to question 1, page {answers}",
         topic_page(long, f"prompt={question}&page={answers}")),
        ("post permalink, last page (302)", f"/p/{long.deep_post}"),
        ("topic feed", f"/t/{long.id}/feed.rss"),
        ("site feed", "/feed.rss"),
    ]  # fmt: skip


def shown(url: str) -> tuple[int, int, str]:
    """The posts a page shows, the last page its pager offers, and the page."""
    page = urllib.request.urlopen(url).read().decode()
    pager = re.search(r'<nav class="pager".*?</nav>', page, re.S)
    last = max(int(n) for n in re.findall(r">(\d+)</(?:a|span)>", pager.group())) if pager else 1
    return page.count('<article class="post'), last, page


def check(long: LongTopic, port: int) -> None:
    """Fail unless the long topic's pages show what the database holds: a fast wrong page is
    worthless."""
    flat, answers = last_page(LONG_TOPIC), last_page(long.answers)
    expected = [
        (topic_page(long), long.first_page_posts, long.pages),
        (topic_page(long, f"page={long.pages}"), long.last_page_posts, long.pages),
        (topic_page(long, f"view=flat&page={flat}"), LONG_TOPIC - PAGE_SIZE * (flat - 1), flat),
        (topic_page(long, f"prompt={long.question}&page={answers}"),
         long.answers - PAGE_SIZE * (answers - 1), answers),
    ]  # fmt: skip
    for url, posts, final in expected:
        count, offered, page = shown(f"http://127.0.0.1:{port}{url}")
        if (count, offered) != (posts, final):
            raise RuntimeError(f"{url}: {count} posts, {offered} pages; want {posts}, {final}")
        if "prompt=" not in url and f"{LONG_TOPIC} replies" not in page:
            raise RuntimeError(f"{url} does not say the topic has {LONG_TOPIC} replies")
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", f"/p/{long.deep_post}")
    response = connection.getresponse()
    target = f"page={long.pages}#p{long.deep_post}"
    if response.status != 302 or not response.headers["Location"].endswith(target):
        raise RuntimeError(f"/p/{long.deep_post} answered {response.status}, not {target}")
    connection.close()


def millis(latency: str) -> float:
    """wrk's latency ('812.00us', '3.21ms', '1.02s') in milliseconds."""
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", latency).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def start_forum(database: str, port: int, instance: Path) -> subprocess.Popen:
    """The forum on one of the two databases, under gunicorn."""
    env = {
        "FORUM_INSTANCE_PATH": str(instance),
        "FORUM_DATABASE_URL": f"postgresql+psycopg://{SERVER}/{database}",
        "FORUM_RATELIMIT_ENABLED": "0",
    }
    return serve(["wsgi:app"], port, env, ROOT)


def measure(wrk: str, paths: list[tuple[str, str]]) -> tuple[list[float], list[float]]:
    """Each page's p50 (ms) at both sizes, alternating the two forums page by page in two
    rounds (as bench/run.py alternates with the reference), so that whatever else the machine
    does falls on both; the p50 of a page is the mean of its two rounds."""
    small, large = [0.0] * len(paths), [0.0] * len(paths)
    for round_number in (1, 2):
        for n, (name, path) in enumerate(paths):
            before = millis(drive(wrk, f"http://127.0.0.1:{SMALL_PORT}{path}")[1])
            after = millis(drive(wrk, f"http://127.0.0.1:{LARGE_PORT}{path}")[1])
            small[n] += before / 2
            large[n] += after / 2
            print(f"  round {round_number}  {name:<38} p50 {before:8.2f} ms at 10k"
                  f"  {after:8.2f} ms at 1M", flush=True)  # fmt: skip
    return small, large


def report(names: list[str], small: list[float], large: list[float]) -> None:
    """The p50 at both sizes, their ratio, and whether it meets the goal."""
    print(f"\n{'page':<38} {'p50 10k':>10} {'p50 1M':>10} {'ratio':>6}")
    for name, before, after in zip(names, small, large, strict=True):
        ratio = after / before
        verdict = "ok" if ratio <= GOAL else f"over {GOAL}"
        print(f"{name:<38} {before:>7.2f} ms {after:>7.2f} ms {ratio:>6.2f}  {verdict}")


def main() -> None:
    wrk = ensure_wrk()
    began = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="forum-scale-"))
    large_db = f"{DATABASE}_1m"
    os.environ["FORUM_INSTANCE_PATH"] = str(work / "instance")
    postgres(f"CREATE DATABASE {DATABASE}")
    servers = []
    try:
        os.environ["FORUM_DATABASE_URL"] = f"postgresql+psycopg://{SERVER}/{DATABASE}"
        app = create_app({"PASSWORD_HASH_METHOD": "scrypt:1024:8:1"})
        with app.app_context():
            upgrade()
            pool = body_pool()
            loading = time.perf_counter()
            cast = stage_one(pool)
            settle(DATABASE)
            print(f"  stage 1 loaded in {time.perf_counter() - loading:.1f} s", flush=True)
            small = describe_long_topic()
            db.engine.dispose()
        # The million-post forum grows from a copy of the small one, which stays to compare.
        postgres(f"CREATE DATABASE {large_db} TEMPLATE {DATABASE}")
        os.environ["FORUM_DATABASE_URL"] = f"postgresql+psycopg://{SERVER}/{large_db}"
        app = create_app({"PASSWORD_HASH_METHOD": "scrypt:1024:8:1"})
        with app.app_context():
            loading = time.perf_counter()
            stage_two(cast, pool)
            settle(large_db)
            print(f"  stage 2 loaded in {time.perf_counter() - loading:.1f} s", flush=True)
            large = describe_long_topic()
            db.engine.dispose()
        if large != small:
            raise RuntimeError("growing the forum changed the long topic")
        servers.append(start_forum(DATABASE, SMALL_PORT, work / "instance"))
        servers.append(start_forum(large_db, LARGE_PORT, work / "instance"))
        check(small, SMALL_PORT)
        check(large, LARGE_PORT)
        paths = pages(small)
        report([name for name, _ in paths], *measure(wrk, paths))
        print(f"\ntotal run time {time.perf_counter() - began:.0f} s")
    finally:
        for server in servers:
            server.terminate()
            server.wait()
        for database in (large_db, DATABASE):
            postgres(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
