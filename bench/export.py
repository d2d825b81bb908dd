"""Exporting a dialogue of 100,000 posts: time and peak memory, per format, on SQLite and on
PostgreSQL, beside the same dialogue at 10,000 posts (flat memory: the peak must not grow with
the dialogue).

Run from the repository: `.venv/bin/python bench/export.py` (`--sqlite-only` skips PostgreSQL,
which must let `postgres` in on 127.0.0.1:5432 without a password). For each size it makes a
forum with one dialogue of 50 topics (bench/scale.py's rows: a third of the posts start threads,
the rest answer earlier ones, each answers a prompt question; the Markdown and HTML of
bench-ref's bodies), a summary and a conclusion per topic citing posts, and one post in fifty
hidden. Then it runs `forum export dialogue bench --format F --output FILE` in a fresh process
for each format, and prints the wall time, the process's peak resident memory (ru_maxrss) and
the file's size. BENCH_EXPORT_POSTS (default 100000) sets the large size.
"""

import argparse
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import scale
from flask_migrate import upgrade
from run import ROOT
from sqlalchemy import text as sql

from forum import create_app, text
from forum.conclusions.models import Conclusion
from forum.extensions import db
from forum.summaries.services import save_summary
from forum.topics.models import PromptQuestion, Topic

TOPICS = 50
LARGE = int(os.environ.get("BENCH_EXPORT_POSTS", "100000"))
SIZES = (LARGE // 10, LARGE)
FORMATS = ("json", "html", "md", "csv")
HIDE_EVERY = 50


def build(url: str, posts: int) -> None:
    """One dialogue of TOPICS topics holding `posts` posts, with summaries and conclusions."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASH_METHOD": "scrypt:1024:8:1"})
    size = posts // TOPICS
    with app.app_context():
        upgrade()
        pool = scale.body_pool()
        people = [
            scale.create_user(username=f"member{i}", email=f"member{i}@example.org",
                              password=scale.PASSWORD, display_name=f"Member {i}")
            for i in range(1, 21)
        ]  # fmt: skip
        dialogue = scale.create_dialogue(slug="bench", title="The exported dialogue", by=None)
        scale.assign_facilitator(dialogue, people[0], by=None)
        plans = [
            scale.open_planned(dialogue, f"Topic {t}", size, people[0], t * size)
            for t in range(TOPICS)
        ]
        db.session.commit()
        cast = scale.Cast([p.id for p in people], [dialogue.id])
        first_id = 1
        rows = []
        rng = random.Random(7)
        for plan in plans:
            rows.extend(scale.topic_posts(plan, first_id, cast, pool, rng))
            first_id += plan.size
        columns = scale.POST_COLUMNS
        if url.startswith("sqlite"):
            db.engine.dispose()
            connection = sqlite3.connect(url.removeprefix("sqlite:///"))
            marks = ", ".join("?" * len(columns.split(",")))
            insert = f"INSERT INTO post ({columns}) VALUES ({marks})"  # noqa: S608 (constants)
            connection.executemany(insert, rows)
            connection.commit()
            connection.close()
        else:
            cursor = scale.raw_cursor()
            with cursor.copy(f"COPY post ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute("SELECT setval(pg_get_serial_sequence('post', 'id'), %s)", (first_id,))
            db.session.commit()
        for statement in (scale.TOPIC_COUNTS, scale.ANSWER_COUNTS, scale.DIALOGUE_COUNTS):
            db.session.execute(sql(statement))
        hide = "UPDATE post SET hidden_at = created_at, hidden_reason = 'x', hidden_by_id = :by"
        db.session.execute(sql(hide + f" WHERE id % {HIDE_EVERY} = 0"), {"by": people[0].id})
        db.session.commit()
        author = db.session.merge(people[0])
        for plan in plans:
            topic = db.session.get(Topic, plan.topic_id)
            cited = [plan.first + 1 + k for k in (1, size // 3, 2 * size // 3)]
            save_summary(topic, source="As " + ", ".join(f"#p{n}" for n in cited) + " said.",
                         pinned=True, by=author)  # fmt: skip
            question = db.session.get(PromptQuestion, plan.questions[0])
            source = f"We conclude with #p{cited[0]}."
            db.session.add(Conclusion(question_id=question.id, topic_id=topic.id, source=source,
                                      html=text.render(source), cited_post_ids=cited[:1],
                                      author_id=author.id))  # fmt: skip
        db.session.commit()
        db.engine.dispose()


def export(url: str, kind: str, work: Path) -> tuple[float, float, int]:
    """Seconds, peak MiB and bytes of one export, in a process of its own."""
    output = work / f"export.{kind}"
    env = {**os.environ, "FORUM_DATABASE_URL": url, "FORUM_INSTANCE_PATH": str(work / "inst")}
    code = (
        "import resource, sys, time\n"
        "from forum.cli import main\n"
        "began = time.perf_counter()\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
        "print(time.perf_counter() - began,"
        " resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    )
    command = [sys.executable, "-c", code, "export", "dialogue", "bench", "--format", kind,
               "--output", str(output)]  # fmt: skip
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    seconds, peak = done.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(peak) / 1024, output.stat().st_size


def measure(name: str, urls: dict[int, str], work: Path) -> None:
    print(f"\n{name:<22} {'seconds':>8} {'peak MiB':>9} {'MiB out':>8}")
    for posts, url in urls.items():
        for kind in FORMATS:
            seconds, peak, size = export(url, kind, work)
            print(f"{kind + f' {posts:,}':<22} {seconds:>8.1f} {peak:>9.0f} {size / 2**20:>8.1f}",
                  flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite-only", action="store_true")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="export-bench-"))
    databases = []
    try:
        urls = {}
        for posts in SIZES:
            url = f"sqlite:///{work}/export-{posts}.sqlite"
            began = time.perf_counter()
            build(url, posts)
            print(f"SQLite: {posts:,} posts built in {time.perf_counter() - began:.0f} s")
            urls[posts] = url
        measure("SQLite", urls, work)
        if options.sqlite_only:
            return
        urls = {}
        for posts in SIZES:
            database = f"forum_export_{os.getpid()}_{posts}"
            scale.postgres(f"CREATE DATABASE {database}")
            databases.append(database)
            url = f"postgresql+psycopg://{scale.SERVER}/{database}"
            began = time.perf_counter()
            build(url, posts)
            scale.postgres("VACUUM ANALYZE", database)
            print(f"PostgreSQL: {posts:,} posts built in {time.perf_counter() - began:.0f} s")
            urls[posts] = url
        measure("PostgreSQL", urls, work)
    finally:
        for database in databases:
            scale.postgres(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
