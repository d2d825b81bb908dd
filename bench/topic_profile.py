"""Where the time of one topic page goes, in-process: a profile and a timing.

Run from the repository: `.venv/bin/python bench/topic_profile.py [READER]`, READER one of
anonymous, member (the default: a participant who has posted), facilitator, moderator. It
seeds, once, a forum like bench/run.py's long topic (a 200-post threaded topic, no list
topics) in BENCH_PROFILE_DIR (default forum-topic-profile in the temporary folder), then asks
the Flask test client for the topic's first page as that reader BENCH_REQUESTS times (default
500; BENCH_REPEAT=1: sending the page's ETag back, so each answer is a 304), timed, and again
under pyinstrument if it is installed (`.venv/bin/pip install pyinstrument`; BENCH_PROFILE=0
skips it). It prints the mean and median time per request, the
mean CPU time, and the Python function calls per request (cProfile's count: the same on every
run, where times vary on a shared machine); the page goes to
BENCH_PROFILE_DIR/page-READER.html, the profile to profile-READER.txt there. It imports the
forum of the tree it is in: run a copy in another tree, alternately, to compare two versions.
"""

import cProfile
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this tree's forum, so that two trees can be compared
HERE = Path(
    os.environ.get("BENCH_PROFILE_DIR") or Path(tempfile.gettempdir()) / "forum-topic-profile"
)
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "500"))
READERS = {"anonymous": None, "member": "member2", "facilitator": "member1",
           "moderator": "moderator"}  # fmt: skip


def seeded() -> tuple[int, str]:
    """The long topic's id and slug, seeding the forum first if it is not there yet."""
    marker = HERE / "topic.txt"
    if not marker.exists():
        os.environ["BENCH_LIST_TOPICS"] = "0"
        sys.path.insert(0, str(ROOT / "bench"))
        import run
        from run import PASSWORD, seed

        sys.path.insert(0, str(run.REFERENCE))

        from forum.accounts.models import Role
        from forum.accounts.services import create_user
        from forum.extensions import db

        _, (topic_id, slug), _ = seed(HERE / "instance")
        from forum import create_app

        with create_app().app_context():
            user = create_user(username="moderator", email="moderator@example.org",
                               password=PASSWORD, display_name="A moderator")  # fmt: skip
            user.role = Role.moderator
            db.session.commit()
        marker.write_text(f"{topic_id} {slug}")
    topic_id, slug = marker.read_text().split()
    return int(topic_id), slug


def main() -> None:
    reader = sys.argv[1] if len(sys.argv) > 1 else "member"
    os.environ["FORUM_INSTANCE_PATH"] = str(HERE / "instance")
    topic_id, slug = seeded()
    from forum import create_app

    app = create_app({"RATELIMIT_ENABLED": False})
    client = app.test_client()
    if READERS[reader]:
        token = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
        page = client.get("/login").text
        data = {"csrf_token": token.search(page).group(1), "login": READERS[reader],
                "password": "bench password"}  # fmt: skip
        assert client.post("/login", data=data).status_code == 302
    url = f"/t/{topic_id}/{slug}"
    for _ in range(20):
        assert client.get(url).status_code == 200
    (HERE / f"page-{reader}.html").write_text(client.get(url).text)
    if os.environ.get("BENCH_REPEAT") == "1":  # the repeat visit: the page's ETag sent back
        etag = client.get(url).headers["ETag"]
        client.environ_base["HTTP_IF_NONE_MATCH"] = etag
        assert client.get(url).status_code == 304
        reader += "-304"
    times, cpu = [], []
    for _ in range(REQUESTS):
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        cpu.append(time.process_time() - start_cpu)
        times.append(time.perf_counter() - start)
    counting = cProfile.Profile()
    with counting:
        for _ in range(20):
            client.get(url)
    calls = pstats.Stats(counting).total_calls / 20
    print(f"{reader}: {REQUESTS} requests, mean {statistics.mean(times) * 1000:.2f} ms,"
          f" median {statistics.median(times) * 1000:.2f} ms;"
          f" CPU mean {statistics.mean(cpu) * 1000:.2f} ms; {calls:.0f} Python calls")  # fmt: skip
    if os.environ.get("BENCH_PROFILE", "1") == "1":
        try:
            from pyinstrument import Profiler
        except ImportError:
            return
        profiler = Profiler(interval=0.0002)
        with profiler:
            for _ in range(REQUESTS):
                client.get(url)
        out = HERE / f"profile-{reader}.txt"
        out.write_text(profiler.output_text(unicode=True, show_all=False))
        print(f"profile: {out}")


if __name__ == "__main__":
    main()
