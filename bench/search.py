"""Search at 10,000 and 1,000,000 posts on PostgreSQL, and at 100,000 on SQLite.

Run from the repository: `.venv/bin/python bench/search.py` (PostgreSQL on 127.0.0.1:5432 letting
`postgres` in without a password, and wrk, which bench/run.py installs). `--sqlite-only` or
`--postgres-only` runs one half.

PostgreSQL: bench/scale.py's loader makes the 10,800-post forum (through the services, then
COPY), and a copy of it grown to 1,000,000 posts. In each, RARE posts spread over the forum get a
sentence with a rare word ("okapis"), then `forum search reindex` builds the index, timed.
SQLite: 100,000 posts in topics of 20, written with the same rows by INSERT, the same rare
posts, the same reindex.

Each forum is served by gunicorn (2 sync workers, loopback). Before measuring, each query is
checked over HTTP: the rare word (asked as "okapi": the stem must find "okapis") finds exactly
the rare posts; the common word finds a full page. Then wrk drives, alternately on the two
PostgreSQL sizes, in two rounds:
- rare word:      /search?q=okapi
- common word:    /search?q=latency  (a word of most bench posts)
- filtered query: /search?q=latency&dialogue=second&sort=newest
and prints p50 and p99 at each size with the ratio. Goals (issue 15): rare word p50 <= 30 ms
at 1M, common word p50 <= 150 ms at 1M, each <= 1.5 times its 10k figure. BENCH_DURATION
(default 5s) sets each wrk run; BENCH_TOTAL and BENCH_SQLITE_POSTS shrink the large forums
to try the bench quickly.
"""

import argparse
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import text as sql

os.environ.setdefault("BENCH_DURATION", "5s")
import scale
from run import ROOT, drive, ensure_wrk, serve

from forum import create_app
from forum.extensions import db

RARE = 12
RARE_WORD, RARE_QUERY = "okapis", "okapi"
RARE_SENTENCE = "Okapis drink at the river at dusk."
COMMON = "latency"
QUERIES = [
    ("rare word", f"/search?q={RARE_QUERY}"),
    ("common word", f"/search?q={COMMON}"),
    ("filtered query", f"/search?q={COMMON}&dialogue=second&sort=newest"),
]
GOALS = {"rare word": 30.0, "common word": 150.0}  # p50 at 1M, in ms
RATIO_GOAL = 1.5
SQLITE_POSTS = int(os.environ.get("BENCH_SQLITE_POSTS", "100000"))
scale.TOTAL = int(os.environ.get("BENCH_TOTAL", scale.TOTAL))  # a smaller run to try the bench
SMALL_PORT, LARGE_PORT, SQLITE_PORT = 8813, 8814, 8815


def plant_rare_words() -> list[int]:
    """Give RARE posts, spread over the forum, the rare sentence; return their ids."""
    ids = db.session.scalars(sql("SELECT id FROM post ORDER BY id")).all()
    chosen = sorted(random.Random(11).sample(ids, RARE))
    for post_id in chosen:
        db.session.execute(
            sql(
                "UPDATE post SET body_source = body_source || :md, body_html = body_html || :html"
                " WHERE id = :id"
            ),
            {"md": f"\n\n{RARE_SENTENCE}", "html": f"\n<p>{RARE_SENTENCE}</p>", "id": post_id},
        )
    db.session.commit()
    return chosen


def reindex(database_url: str, instance: Path) -> float:
    """Build the search index with the forum's own command; return the seconds it took."""
    began = time.perf_counter()
    subprocess.run(
        [str(Path(sys.executable).with_name("forum")), "search", "reindex"],
        cwd=ROOT,
        env={
            **os.environ,
            "FORUM_DATABASE_URL": database_url,
            "FORUM_INSTANCE_PATH": str(instance),
        },
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - began


def found(port: int, path: str) -> list[int]:
    """The posts a results page links to, in order."""
    page = urllib.request.urlopen(f"http://127.0.0.1:{port}{path}").read().decode()
    results = re.search(r'<ol class="cards results">(.*?)</ol>', page, re.S)
    return [int(n) for n in re.findall(r'href="/p/(\d+)"', results.group(1))] if results else []


def check(port: int, rare: list[int]) -> None:
    """Fail unless the queries find what the database holds: a fast wrong answer is worthless."""
    hits = sorted(set(found(port, QUERIES[0][1])))
    if hits != rare:
        raise RuntimeError(f"'{RARE_QUERY}' on port {port} found {hits}, not {rare}")
    for _, path in QUERIES[1:]:
        if len(set(found(port, path))) < 20:
            raise RuntimeError(f"{path} on port {port} found less than a page")


def millis(latency: str) -> float:
    return scale.millis(latency)


def measure(wrk: str, ports: list[int]) -> dict:
    """p50 and p99 (ms) of each query on each port, alternating ports, mean of two rounds."""
    figures = {(name, port): [0.0, 0.0] for name, _ in QUERIES for port in ports}
    for round_number in (1, 2):
        for name, path in QUERIES:
            for port in ports:
                _rate, p50, p99 = drive(wrk, f"http://127.0.0.1:{port}{path}")
                figures[name, port][0] += millis(p50) / 2
                figures[name, port][1] += millis(p99) / 2
                print(f"  round {round_number}  {name:<15} port {port}  p50 {millis(p50):8.2f} ms"
                      f"  p99 {millis(p99):8.2f} ms", flush=True)  # fmt: skip
    return figures


def postgres_half(wrk: str, work: Path) -> None:
    small_db, large_db = scale.DATABASE, f"{scale.DATABASE}_1m"
    instance = work / "instance"
    os.environ["FORUM_INSTANCE_PATH"] = str(instance)
    url = f"postgresql+psycopg://{scale.SERVER}/{{}}"
    scale.postgres(f"CREATE DATABASE {small_db}")
    servers = []
    try:
        os.environ["FORUM_DATABASE_URL"] = url.format(small_db)
        app = create_app({"PASSWORD_HASH_METHOD": "scrypt:1024:8:1"})
        with app.app_context():
            upgrade()
            pool = scale.body_pool()
            cast = scale.stage_one(pool)
            db.engine.dispose()
        # The million-post forum grows from a copy, before either has its rare words or index.
        scale.postgres(f"CREATE DATABASE {large_db} TEMPLATE {small_db}")
        os.environ["FORUM_DATABASE_URL"] = url.format(large_db)
        app = create_app({"PASSWORD_HASH_METHOD": "scrypt:1024:8:1"})
        with app.app_context():
            scale.stage_two(cast, pool)
            db.engine.dispose()
        rare = {}
        for database in (small_db, large_db):
            app = create_app({"SQLALCHEMY_DATABASE_URI": url.format(database)})
            with app.app_context():
                rare[database] = plant_rare_words()
                db.engine.dispose()
            seconds = reindex(url.format(database), instance)
            print(f"  {database}: search index built in {seconds:.1f} s", flush=True)
            scale.settle(database)
        servers.append(scale.start_forum(small_db, SMALL_PORT, instance))
        servers.append(scale.start_forum(large_db, LARGE_PORT, instance))
        check(SMALL_PORT, rare[small_db])
        check(LARGE_PORT, rare[large_db])
        figures = measure(wrk, [SMALL_PORT, LARGE_PORT])
        print(f"\n{'PostgreSQL':<15} {'p50 10k':>9} {'p99 10k':>9} {'p50 1M':>9} {'p99 1M':>9}"
              f" {'ratio':>6}")  # fmt: skip
        for name, _ in QUERIES:
            (s50, s99), (l50, l99) = figures[name, SMALL_PORT], figures[name, LARGE_PORT]
            ratio = l50 / s50
            verdicts = ["ok" if ratio <= RATIO_GOAL else f"ratio over {RATIO_GOAL}"]
            if name in GOALS:
                goal = GOALS[name]
                verdicts.append("ok" if l50 <= goal else f"over {goal:.0f} ms at 1M")
            print(f"{name:<15} {s50:>6.2f} ms {s99:>6.2f} ms {l50:>6.2f} ms {l99:>6.2f} ms"
                  f" {ratio:>6.2f}  {', '.join(verdicts)}")  # fmt: skip
    finally:
        for server in servers:
            server.terminate()
            server.wait()
        for database in (large_db, small_db):
            scale.postgres(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def load_sqlite(path: Path) -> list[int]:
    """SQLITE_POSTS posts in topics of 20, written like bench/scale.py's, and the rare posts."""
    url = f"sqlite:///{path}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASH_METHOD": "scrypt:1024:8:1"})
    with app.app_context():
        upgrade()
        pool = scale.body_pool()
        people = [
            scale.create_user(username=f"member{i}", email=f"member{i}@example.org",
                              password=scale.PASSWORD, display_name=f"Member {i}")
            for i in range(1, 21)
        ]  # fmt: skip
        dialogues = []
        for slug in scale.DIALOGUES:
            dialogue = scale.create_dialogue(slug=slug, title=f"Dialogue {slug}", by=None)
            scale.assign_facilitator(dialogue, people[0], by=None)
            dialogues.append(dialogue)
        plans = []
        for t in range(SQLITE_POSTS // scale.TOPIC_SIZE):
            first = t * scale.TOPIC_SIZE
            dialogue = dialogues[t % len(dialogues)]
            plans.append(scale.open_planned(dialogue, f"Topic {t}", scale.TOPIC_SIZE,
                                            people[0], first))  # fmt: skip
        db.session.commit()
        cast = scale.Cast([p.id for p in people], [d.id for d in dialogues])
        db.engine.dispose()
    connection = sqlite3.connect(path)
    post_id = (connection.execute("SELECT max(id) FROM post").fetchone()[0] or 0) + 1
    columns = scale.POST_COLUMNS
    marks = ", ".join("?" * len(columns.split(",")))
    rng = random.Random(plans[0].first)
    rows = []
    for plan in plans:
        rows.extend(scale.topic_posts(plan, post_id, cast, pool, rng))
        post_id += plan.size
    insert = f"INSERT INTO post ({columns}) VALUES ({marks})"  # noqa: S608 (constants)
    connection.executemany(insert, rows)
    connection.commit()
    connection.close()
    with app.app_context():
        for statement in (scale.TOPIC_COUNTS, scale.ANSWER_COUNTS, scale.DIALOGUE_COUNTS):
            db.session.execute(sql(statement))
        # Every topic is one page (bench/scale.py's page maps, in SQLite's JSON words).
        page_maps = scale.SHORT_PAGE_MAPS.replace("json_build_array", "json_array")
        db.session.execute(sql(page_maps), {"page_size": scale.PAGE_SIZE})
        db.session.commit()
        rare = plant_rare_words()
        db.engine.dispose()
    return rare


def sqlite_half(wrk: str, work: Path) -> None:
    path = work / "search-bench.sqlite"
    instance = work / "instance-sqlite"
    began = time.perf_counter()
    rare = load_sqlite(path)
    print(f"SQLite: {SQLITE_POSTS:,} posts loaded in {time.perf_counter() - began:.1f} s")
    seconds = reindex(f"sqlite:///{path}", instance)
    print(f"  search index built in {seconds:.1f} s", flush=True)
    env = {"FORUM_INSTANCE_PATH": str(instance), "FORUM_DATABASE_URL": f"sqlite:///{path}",
           "FORUM_RATELIMIT_ENABLED": "0"}  # fmt: skip
    server = serve(["wsgi:app"], SQLITE_PORT, env, ROOT)
    try:
        check(SQLITE_PORT, rare)
        figures = measure(wrk, [SQLITE_PORT])
        print(f"\n{f'SQLite {SQLITE_POSTS:,}':<15} {'p50':>9} {'p99':>9}")
        for name, _ in QUERIES:
            p50, p99 = figures[name, SQLITE_PORT]
            print(f"{name:<15} {p50:>6.2f} ms {p99:>6.2f} ms")
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--postgres-only", action="store_true")
    arguments = parser.parse_args()
    wrk = ensure_wrk()
    began = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="forum-search-"))
    try:
        if not arguments.sqlite_only:
            postgres_half(wrk, work)
        if not arguments.postgres_only:
            sqlite_half(wrk, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\ntotal run time {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
