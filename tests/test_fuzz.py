"""Every route of the app, fuzzed as every kind of person: no input may cause a server error.

Routes come from app.url_map, so a route added later is fuzzed without a line here (and this
test fails if one of its converters has no generator below). Each request is one Hypothesis
example: a route, a method, path values, query arguments, form fields (with a valid CSRF token
so that POSTs reach the views), cookies and headers, mixing the seeded ids and names with
unicode, NUL, huge and negative numbers, long strings, missing and extra fields.

FORUM_FUZZ_REQUESTS sets the number of fuzzed requests in all (default 2,000, spread over the
roles); a failure prints the request, and Hypothesis prints how to replay it.
"""

import os
import re
import traceback
from collections import Counter
from types import SimpleNamespace
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from forum.accounts.models import Role, User
from forum.dialogues.models import Dialogue
from forum.extensions import db
from forum.mail.models import OutboxMessage
from forum.posts.models import Post
from forum.topics.models import PromptQuestion, Topic
from tests.conftest import PASSWORD
from tests.test_permissions import url_of, world  # noqa: F401 (world: the seeded forum)

REQUESTS = int(os.environ.get("FORUM_FUZZ_REQUESTS", "2000"))
PEOPLE = {
    "anonymous": None,
    "participant": ("amina", Role.participant),
    "facilitator": ("lucia", Role.participant),
    "moderator": ("grace", Role.moderator),
    "admin": ("nadia", Role.admin),
}
ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
FIELD_NAME = re.compile(r'\bname="([^"]+)"')
NO_LIMIT = "1000000 per minute"  # re-logging in must not be refused; the limiter still runs
BODY_MAX = 1_999  # long enough to find length bugs, short of pathological Markdown renders

BIG_NUMBERS = [0, -1, 2**31 - 1, 2**31, 2**32, 2**53 + 1, 2**63 - 1, 2**63, 2**64, 10**30]
WORDS = [
    "", " ", "y", "1", "on", "flat", "threaded", "open", "closed", "archived", "spam",
    "off_topic", "other", "participant", "moderator", "admin", "en", "fr", "es", "FR",
    "2030-01-01", "2030-01-01T10:00", "1999-12-31", "9999-12-31T23:59", "60", "0",
    "Some words about peace.", "**bold** > quote #p1", "/", "//evil.example", "http://evil.example",
    "%00", "\x00", "a\x00b", "\u202e\u200b", "ß", "İ", "\ud7ff", "😀", "NaN", "-0", "1e9",
]  # fmt: skip
QUERY_NAMES = [
    "page", "view", "prompt", "to", "quote", "next", "dialogue", "slug", "topic_id",
    "_method", "_external", "_anchor", "_scheme", "lang", "q", "cursor", "limit", "question",
]  # fmt: skip
HEADERS = ["Accept-Language", "If-None-Match", "If-Modified-Since", "Referer", "X-Forwarded-For",
           "Host"]  # fmt: skip
SOME = st.integers(0, 9)  # zero leaves the field out
TOKENS = st.sampled_from([None] * 18 + ["", "forged"])  # None: the valid token
METHODS = ["GET"] * 6 + ["POST"] * 6 + ["HEAD", "PUT", "DELETE", "PATCH"]


def numbers():
    return st.one_of(
        st.sampled_from(BIG_NUMBERS),
        st.integers(),
        st.integers(min_value=-(2**80), max_value=2**80),
    ).map(str)


def text(max_size: int = 40):
    return st.text(st.characters(codec="utf-8"), max_size=max_size)


def wire(value: str) -> str:
    """A header value as a WSGI server hands it over: UTF-8 bytes read as latin-1, one line."""
    return value.encode("utf-8").decode("latin-1").replace("\r", "").replace("\n", "")


def long_text():
    """Long strings cheaply: a short piece repeated up to BODY_MAX characters."""
    return st.builds(
        lambda piece, times: (piece * times)[:BODY_MAX],
        text(5).filter(bool),
        st.integers(min_value=1, max_value=BODY_MAX),
    )


def values(known):
    return st.one_of(
        st.sampled_from(WORDS), st.sampled_from(known.all), numbers(), text(), long_text()
    )


def path_values(known) -> dict:
    """A generator for every URL converter the app uses; a new converter must be added here."""
    names, ids = st.sampled_from(known.names), st.sampled_from(known.ids)
    strings = st.one_of(names, text(), st.sampled_from(WORDS))
    # Real rows half the time, so that requests get past the lookup into the views.
    return {
        "int": st.one_of(ids, ids, ids, numbers(), strings),
        "default": st.one_of(names, names, strings),
        "path": st.one_of(
            st.just("style.css"), strings, st.lists(strings, max_size=4).map("/".join)
        ),
    }


def seeded(app) -> SimpleNamespace:
    """The ids and names in the seeded forum, for the fuzz to hit real rows often."""
    with app.app_context():
        ids = [
            *db.session.scalars(select(Topic.id)),
            *db.session.scalars(select(Post.id)),
            *db.session.scalars(select(PromptQuestion.id)),
            *db.session.scalars(select(OutboxMessage.id)),
        ]
        names = [
            *db.session.scalars(select(Dialogue.slug)),
            *db.session.scalars(select(Topic.slug)),
            *db.session.scalars(select(User.username)),
            "en",
            "fr",
            "es",
        ]
    ids = [str(i) for i in ids]
    return SimpleNamespace(ids=ids, names=names, all=ids + names)


class Fuzzer:
    """One kind of person sending fuzzed requests, logged in again whenever they are not."""

    def __init__(self, app, role: str, places):
        self.app = app
        self.person = PEOPLE[role]
        self.known = seeded(app)
        self.converters = path_values(self.known)
        self.rules = sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule)
        for rule in self.rules:
            for converter, _name in ARGUMENT.findall(rule.rule):
                assert (converter or "default") in self.converters, (
                    f"no generator for the converter of {rule.rule}"
                )
        # Strategies are built once: building them costs more than drawing from them.
        self.values = values(self.known)
        self.names = st.sampled_from(QUERY_NAMES) | text(10)
        self.query = st.lists(st.tuples(self.names, self.values), max_size=3)
        self.extra = st.dictionaries(self.names, self.values, max_size=3)
        self.headers = st.dictionaries(
            st.sampled_from(HEADERS),
            st.one_of(st.sampled_from(WORDS), text(), long_text(), st.just('W/"x", "y"')).map(wire),
            max_size=3,
        )
        self.cookies = st.dictionaries(
            st.sampled_from(["lang", "remember_token"]),
            st.one_of(st.sampled_from(WORDS), text(), st.just("1|" + "0" * 128)),
            max_size=2,
        )
        self.statuses: Counter[int] = Counter()  # what the fuzzed requests got, for the report
        self.log_in()
        self.fields = self.forms_shown(places)

    def forms_shown(self, places) -> dict[str, list[str]]:
        """The fields each form page shows this person, read once: every example draws alike."""
        fields = {}
        for rule in self.rules:
            if {"GET", "POST"} <= rule.methods:
                with self.client.get(url_of(rule.rule, places)) as page:
                    if page.status_code == 200 and page.mimetype == "text/html":
                        names = set(FIELD_NAME.findall(page.text)) - {"csrf_token"}
                        fields[rule.rule] = sorted(names)
        return fields

    def log_in(self) -> None:
        """Be this person again: restore their role, lift a suspension, log in (or out)."""
        self.client = self.app.test_client()
        if self.person is not None:
            username, role = self.person
            with self.app.app_context():
                user = db.session.scalar(select(User).where(User.username == username))
                user.role, user.suspended_at, user.suspended_until = role, None, None
                db.session.commit()
            response = self.client.login(username, PASSWORD)
            assert response.status_code == 302, f"cannot log in as {username}"
        self.token = self.client.csrf_token("/login" if self.person is None else "/profile")

    def one(self, data) -> None:
        rule = data.draw(st.sampled_from(self.rules), label="rule")
        url = ARGUMENT.sub(
            lambda match: quote(
                data.draw(self.converters[match.group(1) or "default"], label=match.group(2)),
                safe="",
            ),
            rule.rule,
        )
        query = data.draw(self.query, label="query")
        if query:
            url += "?" + urlencode(query)
        method = data.draw(st.sampled_from(METHODS), label="method")
        form = None
        if method in ("POST", "PUT", "PATCH"):
            form = self.form(data, rule)
        headers = data.draw(self.headers, label="headers")
        cookies = data.draw(self.cookies, label="cookies")
        self.send(method, url, form, headers, cookies)

    def form(self, data, rule) -> dict:
        """Fields of the form this page shows (if it shows one), some left out, some added."""
        form = {
            name: data.draw(self.values, label=name)
            for name in self.fields.get(rule.rule, [])
            if data.draw(SOME, label=f"send {name}")
        }
        form.update(data.draw(self.extra, label="extra fields"))
        token = data.draw(TOKENS, label="csrf_token")
        form["csrf_token"] = self.token if token is None else token
        return form

    def send(self, method, url, form, headers, cookies) -> None:
        request = f"{method} {url}\n  form={form!r}\n  headers={headers!r}\n  cookies={cookies!r}"
        for name, value in cookies.items():
            self.client.set_cookie(name, value)
        try:
            response = self.client.open(url, method=method, data=form, headers=headers)
            response.close()
        except Exception:
            pytest.fail(f"{self.person} crashed the forum:\n{request}\n{traceback.format_exc()}")
        finally:
            for name in cookies:
                self.client.delete_cookie(name)
        self.statuses[response.status_code] += 1
        assert response.status_code < 500, f"{response.status_code} for {self.person}:\n{request}"
        if self.changed_who(method, url, response):
            self.log_in()

    def changed_who(self, method: str, url: str, response) -> bool:
        """Whether this request may have logged the person in or out, or changed their role."""
        if self.person is None:
            return method == "POST" and url.startswith(("/login", "/register"))
        return "/login" in (response.location or "") or (
            method == "POST" and url.startswith(("/logout", "/u/"))
        )


@pytest.mark.parametrize("role", list(PEOPLE))
def test_no_input_causes_a_server_error(app, world, role):  # noqa: F811
    app.config.update(
        RATELIMIT_LOGIN=NO_LIMIT, RATELIMIT_LOGIN_ACCOUNT=NO_LIMIT, RATELIMIT_REGISTER=NO_LIMIT
    )
    fuzzer = Fuzzer(app, role, world)

    @settings(
        max_examples=max(REQUESTS // len(PEOPLE), 1),
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def fuzz(data):
        fuzzer.one(data)

    fuzz()
    print(f"{role}: {sum(fuzzer.statuses.values())} requests, {sorted(fuzzer.statuses.items())}")
