"""The forum against the bare-stack reference, endpoint by endpoint, in the same run.

Run from the repository: `.venv/bin/python bench/run.py` (needs `wrk`, Debian's package; the
script installs it with apt-get if it is missing). On a fresh instance it seeds, through the
forum's own services, a 200-post threaded topic whose bodies come from ../shared/bench-ref/posts.py
plus 500 topics of 20 posts for the lists; builds the reference database from the same bodies;
serves the forum and the reference with gunicorn (2 sync workers each, loopback only, the
forum's rate limiter on as in production); and drives them alternately with wrk in two rounds.
Each page is measured three ways: a first visit (every request a new address, so the page is
built), a repeat visit sending the ETag back (a 304), and, for anonymous readers, the page kept
by the worker; the topic feed built and answered 304; posting a reply. It prints requests/s, p50
and p99 per measure and the ratio to the reference endpoint measured beside it (rows for a page,
/hello for a 304), then each ratio's mean over the two rounds against the goal of issue 17; then
it sends 20,000 requests over every list topic's page and feed and prints each forum worker's
memory after every 5,000 (it must stay flat: every store a worker keeps is bounded).
BENCH_DURATION (default 8s) sets each run; BENCH_LIST_TOPICS (default 500) the number of list
topics; BENCH_WORKERS (default 2) the gunicorn workers of each app (1 to measure what one worker
serves); BENCH_REFERENCE the reference's folder, if not ../shared/bench-ref.
"""

import http.cookiejar
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# BENCH_REFERENCE: the reference elsewhere (a worktree outside the clone's parent folder).
REFERENCE = Path(os.environ.get("BENCH_REFERENCE") or ROOT.parent / "shared" / "bench-ref")
DURATION = os.environ.get("BENCH_DURATION", "8s")
LIST_TOPICS = int(os.environ.get("BENCH_LIST_TOPICS", "500"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
FORUM, REF = "http://127.0.0.1:8801", "http://127.0.0.1:8802"
PASSWORD = "bench password"


def ensure_wrk() -> str:
    """Find wrk, installing Debian's package if it is missing."""
    if shutil.which("wrk") is None:
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
    return shutil.which("wrk")


def seed(instance: Path) -> list[str]:
    """The forum to measure; returns the bodies of the long topic, for the reference."""
    sys.path.insert(0, str(REFERENCE))
    from posts import body

    os.environ["FORUM_INSTANCE_PATH"] = str(instance)
    from flask_migrate import upgrade

    from forum import create_app
    from forum.accounts.services import create_user
    from forum.dialogues.services import assign_facilitator, create_dialogue
    from forum.extensions import db
    from forum.mail.delivery import drain
    from forum.posts.services import reply
    from forum.topics.services import open_topic

    app = create_app({"PASSWORD_HASH_METHOD": "scrypt:1024:8:1"})
    rng = random.Random(7)
    bodies = [body(rng, n) for n in range(200)]
    with app.app_context():
        upgrade()
        people = [
            create_user(username=f"member{i}", email=f"member{i}@example.org",
                        password=PASSWORD, display_name=f"Member {i}")
            for i in range(1, 21)
        ]  # fmt: skip
        dialogue = create_dialogue(slug="bench", title="Bench dialogue", by=None)
        assign_facilitator(dialogue, people[0], by=None)
        questions = ["One?", "Two?", "Three?"]
        listed = []
        for t in range(LIST_TOPICS):
            topic = open_topic(dialogue, title=f"List topic {t}", framing="Framing.",
                               questions=questions, by=people[0])  # fmt: skip
            for n in range(20):
                reply(topic, by=people[n % 20], body=body(rng, n))
            listed.append((topic.id, topic.slug))
            if t % 50 == 0:
                db.session.commit()
                print(f"  seeded {t + 1} list topics", flush=True)
        topic = open_topic(dialogue, title="The long topic", framing="Framing.",
                           questions=questions, by=people[0])  # fmt: skip
        parents: list[int] = []
        for n, text in enumerate(bodies):
            parent = parents[rng.randrange(len(parents))] if parents and n % 3 else None
            post = reply(topic, by=people[n % 20], body=text, parent_id=parent,
                         prompt_id=topic.questions[n % 3].id)  # fmt: skip
            parents.append(post.id)
        db.session.commit()
        long_topic = (topic.id, topic.slug)
        # The mail worker's pass over what seeding left (followers' notifications of 10,000
        # posts), as it would have done meanwhile: else the first reply measured does it.
        drain()
    return bodies, long_topic, listed


def serve(args: list[str], port: int, env: dict, cwd: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "-w", WORKERS, "-k", "sync",
               "-b", f"127.0.0.1:{port}"]  # fmt: skip
    process = subprocess.Popen([*command, *args], env={**os.environ, **env}, cwd=cwd,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/hello" if port == 8802 else
                                   f"http://127.0.0.1:{port}/healthz", timeout=1)  # fmt: skip
            return process
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server on port {port} did not start")


def log_in(username: str) -> tuple[str, str]:
    """Log in through the form; returns the Cookie header and a CSRF token for that session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{FORUM}/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "login": username, "password": PASSWORD})
    # Logging in starts a new session, with a new token: read it from a page of that session.
    page = opener.open(f"{FORUM}/login", data.encode()).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return cookie, token


def drive(wrk: str, url: str, headers: dict | None = None, script: Path | None = None):
    """Requests per second, p50 and p99 of `wrk -t2 -c8` on one URL."""
    extra = [arg for k, v in (headers or {}).items() for arg in ("-H", f"{k}: {v}")]
    if script:
        extra += ["-s", str(script)]
    out = subprocess.run([wrk, "-t2", "-c8", f"-d{DURATION}", "--latency", *extra, url],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    if re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        raise RuntimeError(f"{url} answered errors:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)
    return rate, p50, p99


# Every request of a "first visit" asks for a new address (an unknown query argument the page
# ignores), so that the page is built each time, never found kept.
FIRST_VISIT = """
local threads = 0
function setup(thread) thread:set("id", threads); threads = threads + 1 end
local n = 0
function request()
  n = n + 1
  return wrk.format(nil, wrk.path .. "?first=" .. id .. "-" .. n)
end
"""
GOALS = {"logged in": 0.4, "feed": 0.5}


def goal_of(name: str, way: str) -> float:
    """The issue's goal for this measure: every 304 0.8x the reference's /hello; a logged-in
    topic page 0.4x, a full feed 0.5x, any other page 0.6x the reference's rows."""
    if way == "repeat, 304":
        return 0.8
    return next((goal for word, goal in GOALS.items() if word in name), 0.6)


def settle() -> None:
    """Wait until both workers answer again: the replies just posted leave them work (their
    notifications and mail, done in the request without a mail server) that would otherwise
    fall on the next measure."""
    for _ in range(8):
        urllib.request.urlopen(f"{FORUM}/healthz", timeout=600).read()


def current_etag(url: str, headers: dict) -> str:
    """The ETag a reader holds after reading the page twice (the first read of a logged-in
    reader moves their read position, which the page shows)."""
    request = urllib.request.Request(url, headers=headers)
    urllib.request.urlopen(request).read()
    return urllib.request.urlopen(request).headers["ETag"]


def worker_memory(master: subprocess.Popen) -> list[int]:
    """The resident memory (KiB) of each gunicorn worker under this master."""
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1)))
    return sizes


def memory_check(master: subprocess.Popen, paths: list[str]) -> None:
    """Four batches of 5,000 requests over many pages and feeds; each worker's memory after each.

    The pages rotate over every list topic (page and feed) and the dialogue's pages: more
    posts than the workers keep rendered, so the stores fill and must stay bounded.
    """

    def fetch(path: str) -> None:
        with urllib.request.urlopen(FORUM + path) as response:
            response.read()

    print("memory of each forum worker (RSS, MiB), before and after each 5,000 requests:")
    sizes = [worker_memory(master)]
    print("  before:" + "".join(f"{kib / 1024:8.1f}" for kib in sizes[-1]))
    with ThreadPoolExecutor(2) as pool:
        for batch in range(1, 5):
            start = (batch - 1) * 5000
            list(pool.map(fetch, (paths[n % len(paths)] for n in range(start, start + 5000))))
            sizes.append(worker_memory(master))
            shown = "".join(f"{kib / 1024:8.1f}" for kib in sizes[-1])
            print(f"  after {batch * 5000:>6,}:{shown}", flush=True)
    growth = max(b - a for a, b in zip(sizes[2], sizes[4], strict=True))
    print(f"  growth from 10,000 to 20,000 requests: {growth / 1024:.1f} MiB at most")


def main() -> None:
    wrk = ensure_wrk()
    work = Path(tempfile.mkdtemp(prefix="forum-bench-"))
    print(f"seeding {LIST_TOPICS} topics x 20 posts and a 200-post topic ...", flush=True)
    bodies, (topic_id, slug), listed = seed(work / "instance")
    sys.path.insert(0, str(REFERENCE))
    from posts import build_db

    build_db(str(work / "ref.sqlite"), bodies)
    # The rate limiter stays on, as in production: pages and feeds are exempt from it.
    forum = serve(["wsgi:app"], 8801, {"FORUM_INSTANCE_PATH": str(work / "instance")}, ROOT)
    ref = serve(["app:app"], 8802, {"REF_DB": str(work / "ref.sqlite")}, REFERENCE)
    try:
        topic_url = f"{FORUM}/t/{topic_id}/{slug}"
        shown = urllib.request.urlopen(topic_url).read().decode().count('<article class="post')
        feed = f"{FORUM}/t/{topic_id}/feed.rss"
        cookie, token = log_in("member2")
        urllib.request.urlopen(urllib.request.Request(topic_url, headers={"Cookie": cookie}))
        post_script = work / "post.lua"
        body = urllib.parse.urlencode({"csrf_token": token, "body": bodies[0], "submit": "1"})
        post_script.write_text(
            'wrk.method = "POST"\n'
            f'wrk.body = "{body}"\n'
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
            f'wrk.headers["Cookie"] = "{cookie}"\n'
        )
        first = work / "first.lua"
        first.write_text(FIRST_VISIT)
        pages = [  # name, address, headers, reference, kept for it (anonymous)
            (f"topic page ({shown} posts), anonymous", topic_url, {}, f"/rows/{shown}", True),
            (f"topic page ({shown} posts), logged in", topic_url, {"Cookie": cookie},
             f"/rows/{shown}", False),
            ("dialogue page (30 topics)", f"{FORUM}/d/bench", {}, "/rows/30", True),
            ("front page (1 dialogue)", f"{FORUM}/", {}, "/rows/1", True),
        ]  # fmt: skip
        cases = []  # name, way, address, headers ("etag": add If-None-Match), script, reference
        for name, url, headers, rows, kept in pages:
            cases.append((name, "first visit", url, headers, first if kept else None, rows))
            cases.append((name, "repeat, 304", url, {**headers, "etag": True}, None, "/hello"))
            if kept:
                cases.append((name, "kept page", url, headers, None, rows))
        cases += [
            ("topic feed (50 items)", "first visit", feed, {}, None, "/rows/50"),
            ("topic feed (50 items)", "repeat, 304", feed, {"etag": True}, None, "/hello"),
            ("posting a reply", "", f"{FORUM}/t/{topic_id}/reply", {}, post_script, None),
        ]
        print(f"gunicorn {WORKERS} sync worker(s) each, wrk -t2 -c8 -d{DURATION}, loopback")
        ratios: dict[tuple[str, str], list[float]] = {}
        for round_number in (1, 2):
            for name, way, url, headers, script, reference in cases:
                headers = dict(headers)
                if headers.pop("etag", False):  # posting in the previous round changed pages
                    headers["If-None-Match"] = current_etag(url, headers)
                ours = drive(wrk, url, headers, script)
                line = (f"round {round_number}  {name:<34} {way:<12} {ours[0]:>7.0f} req/s"
                        f"  p50 {ours[1]:>8}  p99 {ours[2]:>8}")  # fmt: skip
                if reference:
                    theirs = drive(wrk, REF + reference)
                    ratio = ours[0] / theirs[0]
                    ratios.setdefault((name, way), []).append(ratio)
                    line += (f"  | reference {reference:<9} {theirs[0]:>7.0f} req/s"
                             f"  ratio {ratio:.2f}")  # fmt: skip
                print(line, flush=True)
                if script is post_script:
                    settle()
        print("ratio to the reference, mean of the two rounds, against the goal:")
        for (name, way), both in ratios.items():
            goal = goal_of(name, way)
            mean = sum(both) / len(both)
            verdict = "met" if mean >= goal else "NOT met"
            print(f"  {name:<34} {way:<12} {mean:5.2f}  goal {goal:.1f}  {verdict}")
        pages = -(-LIST_TOPICS // 30)
        rotation = [f"/t/{i}/{s}" for i, s in listed] + [f"/t/{i}/feed.rss" for i, _ in listed]
        rotation += [f"/d/bench?page={n}" for n in range(1, pages + 1)]
        memory_check(forum, rotation)
    finally:
        for process in (forum, ref):
            process.terminate()
            process.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
