"""Fixtures: one migrated database per run, an app per test, a client that handles CSRF."""

import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as email_policy
from pathlib import Path
from types import SimpleNamespace

import flask_migrate
import pytest
from aiosmtpd.controller import Controller
from flask.testing import FlaskClient
from sqlalchemy import event, text

from forum import create_app
from forum.accounts import services
from forum.accounts.models import Role
from forum.dialogues import services as dialogue_services
from forum.dialogues.models import Dialogue
from forum.extensions import db
from forum.posts import services as post_services
from forum.topics import services as topic_services
from forum.topics.models import Topic
from tests.databases import fresh_database

PASSWORD = "correct horse battery"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def app_config(url: str) -> dict:
    """The configuration every test app runs with."""
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "a secret for tests only",
        # Still scrypt, at a cost that keeps the suite fast.
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        "RATELIMIT_STORAGE_URI": "memory://",
    }


class Client(FlaskClient):
    """A test client that fills in the CSRF token the way a browser form would."""

    def csrf_token(self, page: str = "/") -> str:
        """Read the CSRF token from a page's form, as a browser submitting it would send it."""
        match = TOKEN.search(self.get(page).text)
        assert match, f"no form with a CSRF token on {page}"
        return match.group(1)

    def submit(self, url: str, data: dict | None = None, *, page: str | None = None, **kwargs):
        """Post a form to url with the token from the page that shows it (url by default)."""
        data = {"csrf_token": self.csrf_token(page or url), **(data or {})}
        return self.post(url, data=data, **kwargs)

    def login(self, username: str, password: str = PASSWORD, *, follow_redirects=False, **fields):
        """Log in through the login form."""
        data = {"login": username, "password": password, **fields}
        return self.submit("/login", data, follow_redirects=follow_redirects)


@contextmanager
def migrated_database(folder: Path) -> Iterator[str]:
    """Yield the URL of a fresh database built by the migrations."""
    with fresh_database(folder) as url:
        app = create_app(app_config(url))
        with app.app_context():
            flask_migrate.upgrade()
            db.engine.dispose()
        yield url


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A database for the whole run, built by the migrations."""
    with migrated_database(tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture
def app(database_url, tmp_path, monkeypatch):
    """An app on the test database, emptied after the test."""
    monkeypatch.setenv("FORUM_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(app_config(database_url))
    app.test_client_class = Client
    yield app
    with app.app_context():
        empty_database()
        db.engine.dispose()


def empty_database() -> None:
    """Delete every row of every table (in an app context)."""
    db.session.rollback()
    tables = [table.name for table in db.metadata.sorted_tables]
    db.session.execute(text("UPDATE dialogue SET last_post_id = NULL"))
    db.session.execute(text("UPDATE topic SET last_post_id = NULL"))
    for name in reversed(tables):
        db.session.execute(text(f'DELETE FROM "{name}"'))
    if db.engine.dialect.name == "postgresql":
        # Ids start at 1 again, as on SQLite. (DELETE, not TRUNCATE: a TRUNCATE makes new files
        # for every table, which cost PostgreSQL half a second after each test.)
        db.session.execute(
            text(
                "SELECT setval(c.oid, 1, false) FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE c.relkind = 'S' AND n.nspname = current_schema()"
            )
        )
    db.session.commit()


@pytest.fixture
def client(app) -> Client:
    return app.test_client()


@pytest.fixture
def create_user(app):
    """Build a user through the accounts service; returns its plain facts."""

    def create(username: str = "amina", *, role: Role = Role.participant, **profile):
        with app.app_context():
            user = services.create_user(
                username=username,
                email=f"{username}@example.org",
                password=PASSWORD,
                display_name=profile.pop("display_name", username.title()),
                role=role,
            )
            if profile:
                services.update_profile(user, **profile)
            db.session.commit()
            return SimpleNamespace(
                id=user.id, username=user.username, email=user.email, password=PASSWORD
            )

    return create


@pytest.fixture
def user(create_user):
    return create_user("amina", display_name="Amina Diallo")


@pytest.fixture
def create_dialogue(app):
    """Build a dialogue, with facilitators given by username; returns its plain facts."""

    def create(slug: str = "men-as-allies", *, facilitators=(), **fields):
        with app.app_context():
            dialogue = dialogue_services.create_dialogue(
                slug=slug,
                title=fields.pop("title", "Men as allies"),
                description=fields.pop("description", "A dialogue about **support**."),
                by=None,
                **fields,
            )
            for username in facilitators:
                person = services.find_by_username(username)
                dialogue_services.assign_facilitator(dialogue, person, by=None)
            db.session.commit()
            return SimpleNamespace(id=dialogue.id, slug=dialogue.slug)

    return create


@pytest.fixture
def create_topic(app):
    """Build a topic in a dialogue, opened by a username; returns its plain facts."""

    def create(dialogue, *, by: str = "lucia", title: str = "What support do you need?", **kw):
        with app.app_context():
            topic = topic_services.open_topic(
                db.session.get(Dialogue, dialogue.id),
                title=title,
                framing=kw.pop("framing", "Tell us about *your* experience."),
                questions=kw.pop("questions", ["What helps?", "What does not?", "Who decides?"]),
                by=services.find_by_username(by),
            )
            db.session.commit()
            return SimpleNamespace(
                id=topic.id,
                slug=topic.slug,
                url=f"/t/{topic.id}/{topic.slug}",
                question_ids=[q.id for q in topic.questions],
            )

    return create


@pytest.fixture
def create_post(app):
    """Add a reply to a topic through the posts service; returns its plain facts."""

    def create(topic, *, by: str = "amina", body: str = "I agree.", **kw):
        with app.app_context():
            post = post_services.reply(
                db.session.get(Topic, topic.id),
                by=services.find_by_username(by),
                body=body,
                **kw,
            )
            db.session.commit()
            return SimpleNamespace(id=post.id, number=post.number, path=post.path)

    return create


@pytest.fixture
def dialogue_setup(create_user, create_dialogue, create_topic):
    """An admin, a facilitator (lucia), two participants, a dialogue and one topic."""
    people = SimpleNamespace(
        admin=create_user("nadia", role=Role.admin, display_name="Nadia Haddad"),
        lucia=create_user("lucia", display_name="Lucía Pérez"),
        amina=create_user("amina", display_name="Amina Diallo"),
        babar=create_user("babar", display_name="Babar Khan"),
    )
    dialogue = create_dialogue(facilitators=["lucia"])
    topic = create_topic(dialogue)
    return SimpleNamespace(people=people, dialogue=dialogue, topic=topic)


class QueryLog:
    """The SQL statements an app ran while the log was listening."""

    def __init__(self, engine):
        self.engine = engine
        self.statements: list[str] = []

    def _record(self, conn, cursor, statement, *args):
        self.statements.append(statement)

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._record)

    @property
    def writes(self) -> list[str]:
        verbs = ("INSERT", "UPDATE", "DELETE")
        return [s for s in self.statements if s.lstrip().upper().startswith(verbs)]


@pytest.fixture
def queries(app):
    """Count the SQL statements of the requests made inside `with queries() as log:`."""
    with app.app_context():
        engine = db.engine
    return lambda: QueryLog(engine)


@pytest.fixture
def pages_built_each_time(app):
    """No page kept for anonymous readers (forum.kept): each request builds its page, for tests
    that count what building one costs."""
    from forum.fragments import Kept

    app.extensions["pages"] = Kept(0)


class MailSink:
    """A real SMTP server on a loopback port, keeping what it receives."""

    def __init__(self):
        self.port = free_port()
        self.url = f"smtp://127.0.0.1:{self.port}"
        self.received: list[EmailMessage] = []
        self.refused: set[str] = set()  # addresses answered with a permanent 550
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=email_policy)
        message.envelope_to = envelope.rcpt_tos
        self.received.append(message)
        return "250 OK"

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


def free_port() -> int:
    """A TCP port nobody listens on, on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(app) -> Iterator[MailSink]:
    """A running SMTP server that the app's mail goes to."""
    sink = MailSink()
    sink.start()
    app.config["MAIL_URL"] = sink.url
    yield sink
    sink.stop()
