"""Feed benchmark: 304 answers and full 50-item topic feeds from one gunicorn worker.

Run from the repository: `.venv/bin/python bench/feeds.py` (needs `wrk`, Debian's package; the
script installs it with apt-get if missing). It seeds a fresh SQLite forum through the forum's own
services with a 200-post threaded topic whose bodies come from ../shared/bench-ref/posts.py,
builds the reference database from the same bodies, serves the forum and the reference with
one sync gunicorn worker each on loopback, and drives them alternately with wrk in two rounds.
It prints requests/s, p50 and p99 per endpoint and the ratio to the reference in the same round.
"""

import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT.parent / "shared" / "bench-ref"
DURATION = os.environ.get("BENCH_DURATION", "8s")


def ensure_wrk() -> str:
    """Find wrk, installing Debian's package if it is missing."""
    if shutil.which("wrk") is None:
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
    return shutil.which("wrk")


def seed(instance: Path) -> list[str]:
    """A forum with one dialogue and a 200-post threaded topic; returns the bodies used."""
    sys.path.insert(0, str(REFERENCE))
    from posts import body

    os.environ["FORUM_INSTANCE_PATH"] = str(instance)
    from flask_migrate import upgrade

    from forum import create_app
    from forum.accounts.services import create_user
    from forum.dialogues.services import assign_facilitator, create_dialogue
    from forum.extensions import db
    from forum.posts.services import reply
    from forum.topics.services import open_topic

    app = create_app()
    rng = random.Random(7)
    bodies = [body(rng, n) for n in range(200)]
    with app.app_context():
        upgrade()
        people = [
            create_user(username=f"member{i}", email=f"member{i}@example.org",
                        password="bench password", display_name=f"Member {i}")
            for i in range(1, 21)
        ]  # fmt: skip
        dialogue = create_dialogue(slug="bench", title="Bench dialogue", by=None)
        assign_facilitator(dialogue, people[0], by=None)
        topic = open_topic(dialogue, title="A long topic", framing="Framing.",
                           questions=["One?", "Two?", "Three?"], by=people[0])  # fmt: skip
        parents: list[int] = []
        for n, text in enumerate(bodies):
            parent = parents[rng.randrange(len(parents))] if parents and n % 3 else None
            post = reply(topic, by=people[n % 20], body=text, parent_id=parent,
                         prompt_id=topic.questions[n % 3].id)  # fmt: skip
            parents.append(post.id)
        db.session.commit()
    return bodies


def serve(args: list[str], port: int, env: dict, cwd: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "-w", "1", "-k", "sync", "-b", f"127.0.0.1:{port}"]
    process = subprocess.Popen([*command, *args], env={**os.environ, **env}, cwd=cwd,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return process
        except OSError as exc:
            if getattr(exc, "code", None):
                return process
            time.sleep(0.1)
    raise RuntimeError(f"the server on port {port} did not start")


def drive(wrk: str, url: str, headers: dict | None = None) -> tuple[float, str, str]:
    """Requests per second, p50 and p99 of `wrk -t1 -c4` on one URL."""
    extra = [arg for k, v in (headers or {}).items() for arg in ("-H", f"{k}: {v}")]
    out = subprocess.run([wrk, "-t1", "-c4", f"-d{DURATION}", "--latency", *extra, url],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)
    return rate, p50, p99


def main() -> None:
    wrk = ensure_wrk()
    work = Path(tempfile.mkdtemp(prefix="forum-bench-"))
    bodies = seed(work / "instance")
    sys.path.insert(0, str(REFERENCE))
    from posts import build_db

    build_db(str(work / "ref.sqlite"), bodies)
    forum = serve(["wsgi:app"], 8801, {"FORUM_INSTANCE_PATH": str(work / "instance"),
                                        "FORUM_RATELIMIT_ENABLED": "0"}, ROOT)  # fmt: skip
    ref = serve(["app:app"], 8802, {"REF_DB": str(work / "ref.sqlite")}, REFERENCE)
    try:
        feed = "http://127.0.0.1:8801/t/1/feed.rss"
        etag = urllib.request.urlopen(feed).headers["ETag"]
        cases = [
            ("topic feed, 50 items", feed, None, "http://127.0.0.1:8802/rows/50"),
            ("topic feed, 304", feed, {"If-None-Match": etag}, "http://127.0.0.1:8802/hello"),
        ]
        print(f"one sync gunicorn worker each, wrk -t1 -c4 -d{DURATION}, loopback")
        for round_number in (1, 2):
            for name, url, headers, reference in cases:
                ours = drive(wrk, url, headers)
                theirs = drive(wrk, reference)
                print(f"round {round_number}  {name:<22} {ours[0]:>8.0f} req/s  p50 {ours[1]:>8}"
                      f"  p99 {ours[2]:>8}  | reference {reference.split('8802')[1]:<8}"
                      f" {theirs[0]:>8.0f} req/s  ratio {ours[0] / theirs[0]:.2f}")  # fmt: skip
    finally:
        for process in (forum, ref):
            process.terminate()
            process.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
