"""The participation page at 10,000 and 1,000,000 posts on PostgreSQL, against the dialogue page.

Run from the repository: `.venv/bin/python bench/participation.py` (PostgreSQL on 127.0.0.1:5432
letting `postgres` in without a password, and wrk, which bench/run.py installs). It makes the
databases forum_scale_<pid> and forum_scale_<pid>_1m and drops them at the end.

bench/scale.py's loader makes the 10,800-post forum (services, then COPY) and a copy of it grown
to 1,000,000 posts. Before the copy, admins offer four roles and three regions and the 20 members
declare them (five people a role), and a sixth dialogue, "harvest", gets 2,000 posts in 10
topics: stage two grows the five others, so "bench" goes from 10,640 posts to about 208,000
(its participation page aggregates them all) while "harvest" stays as it is (what the forum's
size costs a dialogue that does not grow). After VACUUM ANALYZE, each forum is served by
gunicorn (2 sync workers, loopback); the participation pages are checked over HTTP against the
database (their post counts, a group's sentence); then wrk drives, logged in as the dialogues'
facilitator, alternately on the two sizes in two rounds:
- dialogue page:                  /d/bench
- participation, bench:           /d/bench/participation
- participation, harvest (2,000): /d/harvest/participation
and prints p50 and p99 at each size, the ratio of the 1M figure to the 10k one, and each
participation page's p50 as a multiple of the dialogue page's. Goal (issue 16): p50 <= 1.5x.
The page is kept once rendered (until the dialogue changes, a minute at most), so wrk measures
the kept page; the bench also times, in one process, computing and rendering each picture
afresh, as the first view after a new post does.
BENCH_DURATION (default 5s) sets each wrk run; BENCH_TOTAL shrinks the large forum to try the
bench quickly; --small-only measures the 10k forum alone (no 1M build).
"""

import argparse
import http.cookiejar
import os
import re
import shutil
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import select
from sqlalchemy import text as sql

os.environ.setdefault("BENCH_DURATION", "5s")
import scale
from run import drive, ensure_wrk

from forum import create_app
from forum.accounts.models import ChoiceKind, User
from forum.dialogues.models import Dialogue
from forum.extensions import db
from forum.participation import choices, views

scale.TOTAL = int(os.environ.get("BENCH_TOTAL", scale.TOTAL))
SMALL_PORT, LARGE_PORT = 8823, 8824
ROLES = ["Woman peacemaker", "Male ally", "NGO staff", "UN agency"]
REGIONS = ["Africa", "Asia", "Latin America"]
HARVEST_TOPICS, HARVEST_SIZE = 10, 200
PAGES = [
    ("dialogue page", "/d/bench"),
    ("participation, bench", "/d/bench/participation"),
    ("participation, harvest", "/d/harvest/participation"),
]
GOAL = 1.5


def declare_and_harvest(cast: scale.Cast, pool) -> None:
    """Roles and regions for the members; the "harvest" dialogue, outside the cast that grows."""
    members = db.session.scalars(sql('SELECT id FROM "user" ORDER BY id')).all()
    admin = db.session.get(User, members[0])
    roles = [choices.add_choice(ChoiceKind.role, label, by=admin).id for label in ROLES]
    regions = [choices.add_choice(ChoiceKind.region, label, by=admin).id for label in REGIONS]
    for n, user_id in enumerate(members):
        person = db.session.get(User, user_id)
        choices.declare(person, role_id=roles[n % len(roles)], region_id=regions[n % len(regions)])
    dialogue = scale.create_dialogue(slug="harvest", title="Dialogue harvest", by=None)
    scale.assign_facilitator(dialogue, admin, by=None)
    start = db.session.scalar(sql("SELECT count(*) FROM post"))
    plans = [
        scale.open_planned(dialogue, f"Harvest topic {t}", HARVEST_SIZE, admin,
                           start + t * HARVEST_SIZE)
        for t in range(HARVEST_TOPICS)
    ]  # fmt: skip
    scale.load_posts(plans, cast, pool)


def log_in(port: int) -> str:
    """Log the facilitator (member1) in through the form; returns the Cookie header."""
    base = f"http://127.0.0.1:{port}"
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    data = {"csrf_token": token, "login": "member1", "password": scale.PASSWORD}
    opener.open(f"{base}/login", urllib.parse.urlencode(data).encode()).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def dialogue_posts(database: str, slug: str) -> int:
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://{scale.SERVER}/{database}"})
    with app.app_context():
        count = db.session.scalar(
            sql("SELECT count(*) FROM post JOIN topic ON topic.id = post.topic_id"
                " JOIN dialogue ON dialogue.id = topic.dialogue_id WHERE dialogue.slug = :s"),
            {"s": slug},
        )  # fmt: skip
        db.engine.dispose()
    return count


def check(port: int, cookie: str, database: str) -> None:
    """Fail unless the participation pages show what the database holds."""
    for slug in ("bench", "harvest"):
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/d/{slug}/participation", headers={"Cookie": cookie}
        )
        page = urllib.request.urlopen(request).read().decode()
        shown = int(re.search(r"<dt>Posts</dt><dd>(\d+)</dd>", page).group(1))
        posts = dialogue_posts(database, slug)
        if shown != posts:
            raise RuntimeError(f"/d/{slug}/participation on {port} shows {shown}, not {posts}")
        if "People who declared “Woman peacemaker” (5) wrote" not in page:
            raise RuntimeError(f"/d/{slug}/participation on {port} shows no group")
        print(f"  port {port}: /d/{slug}/participation shows its {posts:,} posts", flush=True)


def cold(database: str) -> dict[str, float]:
    """The time (ms, median of 5) to compute and render each participation picture afresh, as
    the first view after a post does: what the page costs when it is not kept."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://{scale.SERVER}/{database}"})
    times = {}
    with app.test_request_context():
        for slug in ("bench", "harvest"):
            dialogue = db.session.scalar(select(Dialogue).where(Dialogue.slug == slug))
            runs = []
            for _ in range(5):
                began = time.perf_counter()
                str(views._picture_html(dialogue, "UTC"))
                runs.append((time.perf_counter() - began) * 1000)
            times[slug] = sorted(runs)[2]
            print(f"  {database}: /d/{slug}/participation computed afresh in {times[slug]:.0f} ms"
                  f" (median of 5, in one process)", flush=True)  # fmt: skip
        db.engine.dispose()
    return times


def measure(wrk: str, ports: dict[int, str]) -> dict:
    """p50 and p99 (ms) of each page on each port, ports alternating, mean of two rounds."""
    figures = {(name, port): [0.0, 0.0] for name, _ in PAGES for port in ports}
    for round_number in (1, 2):
        for name, path in PAGES:
            for port, cookie in ports.items():
                url = f"http://127.0.0.1:{port}{path}"
                _rate, p50, p99 = drive(wrk, url, {"Cookie": cookie})
                figures[name, port][0] += scale.millis(p50) / 2
                figures[name, port][1] += scale.millis(p99) / 2
                print(f"  round {round_number}  {name:<24} port {port}"
                      f"  p50 {scale.millis(p50):8.2f} ms  p99 {scale.millis(p99):8.2f} ms",
                      flush=True)  # fmt: skip
    return figures


def report(figures: dict, ports: list[int]) -> None:
    sizes = {SMALL_PORT: "10k", LARGE_PORT: "1M"}
    print(f"\n{'page':<24}" + "".join(f" {'p50 ' + sizes[p]:>10} {'p99 ' + sizes[p]:>10}"
                                     for p in ports))  # fmt: skip
    for name, _ in PAGES:
        line = f"{name:<24}"
        for port in ports:
            p50, p99 = figures[name, port]
            line += f" {p50:>7.2f} ms {p99:>7.2f} ms"
        print(line)
    print()
    for name, _ in PAGES[1:]:
        for port in ports:
            ratio = figures[name, port][0] / figures[PAGES[0][0], port][0]
            verdict = "ok" if ratio <= GOAL else f"over {GOAL}"
            print(f"{name} at {sizes[port]}: {ratio:.2f} x the dialogue page  {verdict}")
        if len(ports) == 2:
            growth = figures[name, LARGE_PORT][0] / figures[name, SMALL_PORT][0]
            verdict = "ok" if growth <= GOAL else f"over {GOAL}"
            print(f"{name}: 1M / 10k = {growth:.2f}  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small-only", action="store_true", help="the 10k forum alone")
    arguments = parser.parse_args()
    wrk = ensure_wrk()
    began = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="forum-participation-"))
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
            declare_and_harvest(cast, pool)
            db.engine.dispose()
        scale.settle(small_db)
        print(f"  10k forum built in {time.perf_counter() - began:.0f} s", flush=True)
        ports = {SMALL_PORT: small_db}
        if not arguments.small_only:
            loading = time.perf_counter()
            scale.postgres(f"CREATE DATABASE {large_db} TEMPLATE {small_db}")
            os.environ["FORUM_DATABASE_URL"] = url.format(large_db)
            app = create_app({"PASSWORD_HASH_METHOD": "scrypt:1024:8:1"})
            with app.app_context():
                scale.stage_two(cast, pool)
                db.engine.dispose()
            scale.settle(large_db)
            print(f"  1M forum built in {time.perf_counter() - loading:.0f} s", flush=True)
            ports[LARGE_PORT] = large_db
        cookies = {}
        for port, database in ports.items():
            servers.append(scale.start_forum(database, port, instance))
            cookies[port] = log_in(port)
            check(port, cookies[port], database)
        afresh = {port: cold(database) for port, database in ports.items()}
        report(measure(wrk, cookies), list(ports))
        for port, times in afresh.items():
            print(
                f"computed afresh at {'10k' if port == SMALL_PORT else '1M'}: "
                + ", ".join(f"{slug} {ms:.0f} ms" for slug, ms in times.items())
            )
        print(f"\ntotal run time {time.perf_counter() - began:.0f} s")
    finally:
        for server in servers:
            server.terminate()
            server.wait()
        for database in (large_db, small_db):
            scale.postgres(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
