"""Browser tests: the forum served for real on loopback, driven by Debian's Chromium.

The server is started the way the README starts it (`forum db upgrade`, then `forum run`) on a
fresh database of this run (SQLite, or PostgreSQL with FORUM_TEST_DATABASE_URL). The people and
dialogues a journey needs are made through the forum's services on that same database; what the
journey is about is then done in the browser, as a person would.

Every journey runs three times (the `screen` parameter): on a desktop screen, on a 360 x 740
phone (each page checked for horizontal scrolling and screenshotted into
tests/browser/screenshots/), and with JavaScript turned off. Without Chromium (/usr/bin/chromium)
the tests are skipped, unless FORUM_BROWSER_TESTS=required (as in CI), which makes that a failure.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest

from forum import create_app
from forum.accounts import services as accounts
from forum.accounts.models import Role
from forum.dialogues import services as dialogues
from forum.extensions import db
from forum.posts import services as posts
from forum.topics import services as topics
from tests.databases import fresh_database

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
PASSWORD = "a browser test password"
SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
    "no-js": {"viewport": {"width": 1280, "height": 900}, "java_script_enabled": False},
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        if os.environ.get("FORUM_BROWSER_TESTS") == "required":
            pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is missing (Debian's chromium package)")
    return CHROMIUM


@pytest.fixture(scope="session")
def forum(tmp_path_factory, chromium_path):
    """The forum served on loopback: its base URL and an app on the same database."""
    folder = tmp_path_factory.mktemp("browser")
    with fresh_database(folder) as url:
        env = {
            **os.environ,
            "FORUM_INSTANCE_PATH": str(folder / "instance"),
            "FORUM_DATABASE_URL": url,
            "FORUM_SECRET_KEY": "browser tests only",
            "FORUM_RATELIMIT_ENABLED": "0",  # every journey logs in from 127.0.0.1
        }
        command = str(Path(sys.executable).parent / "forum")
        subprocess.run([command, "db", "upgrade"], env=env, check=True, capture_output=True)
        port = _free_port()
        log = (folder / "server.log").open("w")
        server = subprocess.Popen(
            [command, "run", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_for(base, server, folder / "server.log")
            os.environ["FORUM_INSTANCE_PATH"] = env["FORUM_INSTANCE_PATH"]
            # The server's secret, so that a link the app signs (a notice) opens on the server.
            app = create_app(
                {
                    "SQLALCHEMY_DATABASE_URI": url,
                    "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
                    "SECRET_KEY": env["FORUM_SECRET_KEY"],
                }
            )
            yield SimpleNamespace(url=base, app=app)
            with app.app_context():
                db.engine.dispose()
        finally:
            server.terminate()
            server.wait(10)
            log.close()


def _wait_for(base: str, server: subprocess.Popen, log: Path) -> None:
    for _ in range(100):
        if server.poll() is not None:
            raise RuntimeError("the forum did not start:\n" + log.read_text())
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the forum did not answer:\n" + log.read_text())


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=FLAGS)
        yield browser
        browser.close()


# The screens test the pages, which do not depend on the database: CI's two runs of the suite
# share them out. On SQLite the journeys go on the phone (with JavaScript) and with JavaScript
# off, and the pages' audits (axe, the phone's width) run; on PostgreSQL the journeys go on the
# desktop. FORUM_BROWSER_SCREENS=all runs the three on either.
ON_POSTGRES = bool(os.environ.get("FORUM_TEST_DATABASE_URL"))
if os.environ.get("FORUM_BROWSER_SCREENS") == "all":
    JOURNEY_SCREENS = list(SCREENS)
else:
    JOURNEY_SCREENS = ["desktop"] if ON_POSTGRES else ["phone", "no-js"]


@pytest.fixture(params=JOURNEY_SCREENS)
def screen(request) -> str:
    """desktop, phone (360 x 740) or no-js."""
    return request.param


class Person:
    """One person's browser window: a context of their own, on the chosen screen."""

    def __init__(self, browser, forum, screen: str, name: str, test: str):
        self.context = browser.new_context(base_url=forum.url, **SCREENS[screen])
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.screen, self.name, self.test = screen, name, test
        self.shots = 0

    def go(self, path: str) -> None:
        self.page.goto(path)
        self.looked()

    def looked(self) -> None:
        """After each page a person sees: on a phone, check it fits and keep a screenshot."""
        if self.screen != "phone":
            return
        self.page.wait_for_load_state()  # a click that navigates returns once the page commits
        overflow = self.page.evaluate(OVERFLOW)
        assert overflow == [], f"{self.page.url} is wider than the phone: {overflow}"
        self.shots += 1
        SCREENSHOTS.mkdir(exist_ok=True)
        name = f"{self.test}-{self.name}-{self.shots:02d}.png"
        self.page.screenshot(path=str(SCREENSHOTS / name), full_page=True)

    def log_in(self, username: str) -> None:
        self.go("/login")
        self.page.get_by_label("Username or email").fill(username)
        self.page.get_by_label("Password", exact=True).fill(PASSWORD)
        self.page.get_by_role("button", name="Log in").click()
        self.looked()

    def close(self) -> None:
        self.context.close()


# Elements that stick out of the phone's width (outside anything that scrolls on its own).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width) out.push('page scrolls sideways');
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    let scroller = el.parentElement, inside = false;
    while (scroller) {
      const x = getComputedStyle(scroller).overflowX;
      if (x === 'auto' || x === 'scroll' || x === 'hidden') { inside = true; break; }
      scroller = scroller.parentElement;
    }
    if (!inside) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                          (el.className ? '.' + String(el.className).split(' ')[0] : ''));
  }
  return out.slice(0, 5);
}"""


@pytest.fixture
def people(browser, forum, screen, request):
    """open(name) gives a person their own browser window; all are closed after the test."""
    opened: list[Person] = []
    test = request.node.name.replace("[", "-").rstrip("]")

    def open_window(name: str) -> Person:
        person = Person(browser, forum, screen, name, test)
        opened.append(person)
        return person

    yield open_window
    for person in opened:
        person.close()


ROLES = {
    "admin": Role.admin,
    "moderator": Role.moderator,
    "facilitator": Role.participant,
    "amina": Role.participant,
    "babar": Role.participant,
    "reader": Role.participant,
}


def make_people(tag: str) -> dict:
    """One account for each part in ROLES, named with tag (in an app context)."""
    return {
        key: accounts.create_user(
            username=f"{key[:10]}-{tag}",
            email=f"{key}-{tag}@example.org",
            password=PASSWORD,
            display_name=f"{key.title()} {tag}",
            role=role,
        )
        for key, role in ROLES.items()
    }


@pytest.fixture
def cast(forum):
    """Accounts and a dialogue of this test's own (unique names), made through the services."""
    tag = uuid.uuid4().hex[:6]
    with forum.app.app_context():
        made = {
            key: SimpleNamespace(username=user.username, name=user.display_name)
            for key, user in make_people(tag).items()
        }
        dialogue = dialogues.create_dialogue(
            slug=f"allies-{tag}",
            title=f"Men as allies {tag}",
            description="How men support women peacebuilders.",
            by=None,
        )
        facilitator = accounts.find_by_username(made["facilitator"].username)
        dialogues.assign_facilitator(dialogue, facilitator, by=None)
        db.session.commit()
        return SimpleNamespace(tag=tag, dialogue=dialogue.slug, **made)


@pytest.fixture
def topic_with_posts(forum, cast):
    """A topic opened by the facilitator with three questions and two replies."""
    with forum.app.app_context():
        dialogue = dialogues.find_dialogue(cast.dialogue)
        facilitator = accounts.find_by_username(cast.facilitator.username)
        topic = topics.open_topic(
            dialogue,
            title=f"Listening first {cast.tag}",
            framing="What does listening look like?",
            questions=["Who listens?", "When do you listen?", "What changes?"],
            by=facilitator,
        )
        amina = accounts.find_by_username(cast.amina.username)
        babar = accounts.find_by_username(cast.babar.username)
        first = posts.reply(topic, by=amina, body="We listen to the women who lead.")
        second = posts.reply(topic, by=babar, body="Listening means *changing plans*.")
        db.session.commit()
        return SimpleNamespace(
            id=topic.id,
            url=f"/t/{topic.id}/{topic.slug}",
            questions=[q.id for q in topic.questions],
            first=first.id,
            second=second.id,
        )


@pytest.fixture(scope="session", autouse=True)
def fresh_screenshots() -> None:
    """Keep only this run's screenshots."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
