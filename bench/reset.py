"""Does the time of a password-reset request tell whether an account has the address?

Run from the repository: `.venv/bin/python bench/reset.py`. On a fresh SQLite forum (or, with
BENCH_DATABASE_URL set to a PostgreSQL server's URL, a database created for the run and dropped
afterwards) with one account, it posts /password/forgot through Flask's test client
BENCH_RESETS times (default 200) with the account's address and as many times with an address
nobody has, alternately, after a few unmeasured requests of each, and prints the median of
each and their difference. It does so twice: without FORUM_MAIL_URL (the forum's one-command
default, where the request itself writes the mail to an .eml file) and with one (the request
only queues it for `forum mail worker`; nothing listens, nothing is sent).
"""

import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests/databases.py
from tests.databases import fresh_database

RESETS = int(os.environ.get("BENCH_RESETS", "200"))
WARM_UP = 20
SERVER = os.environ.get("BENCH_DATABASE_URL", "")
KNOWN, UNKNOWN = "amina@example.org", "nobody@example.org"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def forum(database_url: str, mail_url: str):
    """An app on the database, with rate limits off (they would stop the run) and cheap hashes."""
    from forum import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MAIL_URL": mail_url,
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        }
    )


def seed(database_url: str) -> None:
    """The schema and the one account whose address is known."""
    from flask_migrate import upgrade

    from forum.accounts.services import create_user
    from forum.extensions import db

    app = forum(database_url, "")
    with app.app_context():
        upgrade()
        create_user(username="amina", email=KNOWN, password="bench password")
        db.session.commit()


def time_resets(app) -> dict[str, list[float]]:
    """Post the forgot-password form for each address in turn; each request's seconds."""
    client = app.test_client()
    token = TOKEN.search(client.get("/password/forgot").text).group(1)
    times = {KNOWN: [], UNKNOWN: []}
    for n in range(WARM_UP + RESETS):
        for address in (KNOWN, UNKNOWN) if n % 2 else (UNKNOWN, KNOWN):
            data = {"csrf_token": token, "email": address}
            start = time.perf_counter()
            response = client.post("/password/forgot", data=data)
            seconds = time.perf_counter() - start
            if response.status_code != 302:
                raise RuntimeError(f"{address}: {response.status_code}\n{response.text[-2000:]}")
            if n >= WARM_UP:
                times[address].append(seconds)
    return times


def report(title: str, times: dict[str, list[float]]) -> None:
    known, unknown = (statistics.median(times[address]) * 1000 for address in (KNOWN, UNKNOWN))
    print(f"{title}, {RESETS} requests each:")
    print(f"  address with an account    p50 {known:6.2f} ms")
    print(f"  address without an account p50 {unknown:6.2f} ms")
    print(f"  difference {known - unknown:+.2f} ms ({known / unknown:.2f}x)")


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="forum-bench-reset-"))
    try:
        with fresh_database(work, server_url=SERVER, prefix="forum_bench") as database_url:
            os.environ["FORUM_INSTANCE_PATH"] = str(work / "instance")
            print(f"database: {make_url(database_url).get_backend_name()}")
            seed(database_url)
            for title, mail_url in (
                ("without FORUM_MAIL_URL (the request writes the .eml)", ""),
                ("with FORUM_MAIL_URL (the request only queues)", "smtp://127.0.0.1:9"),
            ):
                app = forum(database_url, mail_url)
                report(title, time_resets(app))
                with app.app_context():
                    from forum.extensions import db

                    db.engine.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
