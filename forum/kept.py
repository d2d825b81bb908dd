"""Pages that answer "not modified", and pages kept for readers without an account.

A page's version is everything it shows its reader: what the page's validator query reads (the
feeds' validators, `forum.changes`, with whatever the page shows beside them, such as the
reader's read position or a slow mode that ends by time), the reader (anonymous: their
language; logged in: who they are, their rights and settings, their unread notifications, their
session's CSRF token), the page's address, and the forum's own code and templates. Its ETag is
a keyed digest of that version, so a reader who sends it back in If-None-Match gets a 304 after
the validator query, the page unbuilt.

An anonymous reader gets the same page as every other anonymous reader of the same language and
address: each worker keeps the PAGES_KEPT pages it built last (at most PAGES_KEPT_BYTES of
them) under their whole version, so that nothing is ever stale and no page reaches a reader it
was not built for. A page with a pending flash message is never answered 304 nor kept: the
flash is shown once.

A reader without a session or login cookie who sends If-None-Match is answered before Flask
handles the request at all (`NotModified`): the validator query and a 304, with the headers the
forum sends on every answer. Every other request goes through Flask and the view's decorator,
which computes the same ETag.
"""

import functools
import hashlib
import os
from collections.abc import Callable
from datetime import UTC, datetime

import pytz
from flask import Flask, Response, current_app, make_response, request, session
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_cookie, parse_etags
from werkzeug.wsgi import get_host

from forum import i18n
from forum.extensions import limiter
from forum.security import HEADERS

PAGES_KEPT = 512
PAGES_KEPT_BYTES = 48 * 1024 * 1024
HTML = "text/html; charset=utf-8"
PUBLIC, PRIVATE = "public, no-cache", "private, no-cache"
VARY = "Cookie, Accept-Language"
# The columns of a person's account that no page shows nor depends on.
UNSHOWN = frozenset({"password_hash", "email", "email_confirmed_at"})


def init_app(app: Flask) -> None:
    """Give the app its store of kept pages, the digest of the code that builds them, and the
    early answer to readers without cookies who have a page already."""
    from forum.fragments import Kept

    app.extensions["pages"] = Kept(
        app.config.get("PAGES_KEPT", PAGES_KEPT),
        budget=app.config.get("PAGES_KEPT_BYTES", PAGES_KEPT_BYTES),
    )
    app.extensions["pages_build"] = _build_digest(app)
    secret = app.secret_key if isinstance(app.secret_key, bytes) else app.secret_key.encode()
    # ETags are keyed digests: a version holds a session's CSRF token, never to be guessed.
    app.extensions["pages_secret"] = hashlib.blake2b(secret, person=b"forum.kept").digest()
    app.wsgi_app = NotModified(app, app.wsgi_app)


def _build_digest(app: Flask) -> str:
    """The code and templates this forum runs, as a digest: the same in every worker, and a new
    one after an upgrade, so that a page a browser kept from before is not "not modified"."""
    digest = hashlib.blake2b(digest_size=8)
    for root in (os.path.dirname(__file__), app.template_folder):
        for folder, subfolders, files in sorted(os.walk(root)):
            subfolders.sort()
            for name in sorted(files):
                if name.endswith((".py", ".html", ".mo", ".txt", ".md")):
                    info = os.stat(os.path.join(folder, name))
                    digest.update(f"{folder}/{name}:{info.st_size}:{info.st_mtime_ns};".encode())
    return digest.hexdigest()


class Reader:
    """Who a page is built for, as far as its content goes."""

    def __init__(self, user, key: tuple, shared: bool) -> None:
        self.user = user  # the logged-in person, or None
        self.key = key
        # No session nor login cookie: the page is every such reader's, cached publicly.
        self.shared = shared


def _anonymous(environ: dict) -> tuple:
    return ("anonymous", i18n.browser_language(environ))


def _without_login(environ: dict, config) -> bool:
    """Whether the request carries neither a session nor a login cookie."""
    if "HTTP_COOKIE" not in environ:
        return True
    cookies = parse_cookie(environ)
    return config["SESSION_COOKIE_NAME"] not in cookies and (
        config.get("REMEMBER_COOKIE_NAME", "remember_token") not in cookies
    )


def reader() -> Reader | None:
    """The reader of this request; None if the page must be built for this request alone (a
    flash message is waiting). Without a cookie, neither the session nor the person is loaded."""
    environ = request.environ
    if _without_login(environ, current_app.config):
        return Reader(None, _anonymous(environ), shared=True)
    if session.get("_flashes"):
        return None
    if not current_user.is_authenticated:
        return Reader(None, _anonymous(environ), shared=False)
    user = current_user._get_current_object()
    return Reader(user, _person_key(user), shared=False)


def _person_key(user) -> tuple:
    """Everything about a logged-in reader that pages show or that their rights depend on."""
    columns = user.__table__.columns
    account = tuple(getattr(user, c.key) for c in columns if c.key not in UNSHOWN)
    return (
        "person",
        account,
        user.unread_count,
        session.get("csrf_token"),  # the forms' token is made from it
        i18n.select_locale(),
        _zone_offset(user.timezone),
    )


def _zone_offset(zone: str) -> str:
    """The zone's offset today: pages name it (forum.clock.zone_name), and it changes twice a
    year where summer time is kept."""
    if zone not in pytz.all_timezones_set:
        return ""
    return datetime.now(UTC).astimezone(pytz.timezone(zone)).strftime("%z")


def _address(environ: dict) -> tuple:
    """Where the page is, as it links (its host and root) and names itself (path and query)."""
    return (
        get_host(environ),
        environ.get("SCRIPT_NAME", ""),
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
        environ.get("wsgi.url_scheme"),
    )


def _etag(endpoint: str, environ: dict, shown: tuple, who: tuple) -> str:
    key = repr((endpoint, _address(environ), shown, who)).encode()
    digest = hashlib.blake2b(key, digest_size=16, key=current_app.extensions["pages_secret"])
    return f"{current_app.extensions['pages_build']}-{digest.hexdigest()}"


def _not_modified(sent: str | None, etag: str) -> bool:
    """Whether If-None-Match names this version, compared weakly (RFC 9110, 13.1.2: W/"x"
    names it as "x" does). "*" is not taken: it would make a 304 of any page, even one that
    does not exist."""
    if not sent:
        return False
    tags = parse_etags(sent)
    return not tags.star_tag and tags.contains_weak(etag)


def conditional(version: Callable[..., tuple | None], *, keep: bool = True):
    """Answer the view's page conditionally, and keep it for readers without an account.

    version(user_id=..., **view_arguments) reads, in one query, what the page shows that can
    change, or returns None where the view answers something else (a redirect, a 404), which it
    then does. Like the feeds, such pages are exempt from default rate limits: readers reload
    them, and their 304 is cheap.

    keep=False: a page with as many addresses as readers make up (search), or read by few (a
    dialogue's participation picture), or by logged-in readers only, is answered 304 but not
    kept (it would push the pages everyone reads out of the store), and keeps its rate limits.
    """

    def decorate(view):
        @functools.wraps(view)
        def answer(**kwargs):
            who = reader()
            if who is None:
                response = make_response(view(**kwargs))
                response.headers["Cache-Control"] = PRIVATE
                return response
            shown = version(user_id=who.user.id if who.user else None, **kwargs)
            if shown is None:
                return view(**kwargs)
            environ, endpoint = request.environ, request.endpoint
            etag = _etag(endpoint, environ, shown, who.key)
            if _not_modified(environ.get("HTTP_IF_NONE_MATCH"), etag):
                response = Response(status=304)
            elif who.user is None and keep:
                response = _kept((endpoint, _address(environ), shown, who.key), view, kwargs)
            else:
                token = session.get("csrf_token")
                response = make_response(view(**kwargs))
                if who.user is not None and session.get("csrf_token") != token:
                    # The page made the session's token, which the reader's key holds.
                    etag = _etag(endpoint, environ, shown, _person_key(who.user))
            if response.status_code in (200, 304):
                response.set_etag(etag, weak=who.user is not None)
                # A page that set a cookie is this reader's alone, whoever they are.
                public = who.shared and not session.modified
                response.headers["Cache-Control"] = PUBLIC if public else PRIVATE
                response.vary.update(("Cookie", "Accept-Language"))
            return response

        def early(endpoint: str, environ: dict, kwargs: dict) -> tuple[str, list] | None:
            # An anonymous reader without cookies: the ETag, and the headers of its 304.
            shown = version(user_id=None, **kwargs)
            if shown is None:
                return None
            etag = _etag(endpoint, environ, shown, _anonymous(environ))
            return etag, [("Cache-Control", PUBLIC), ("Vary", VARY)]

        answer.answers_early = early
        return limiter.exempt(answer) if keep else answer

    return decorate


def _kept(key: tuple, view, kwargs) -> Response:
    """An anonymous reader's page: the one kept under its version, or built and kept, unless
    it is not a page (a redirect, an error) or its building touched the session (it was the
    request's own)."""
    store = current_app.extensions["pages"]
    body = store.find(key)
    if body is not None:
        return Response(body, content_type=HTML)
    response = make_response(view(**kwargs))
    if response.status_code == 200 and response.mimetype == "text/html" and not session.modified:
        store.keep(key, response.get_data())
    return response


def answers_early(early: Callable[..., tuple[str, list] | None]):
    """Mark a view whose 304 NotModified may answer: early(endpoint, environ, view_arguments)
    gives the (strong) ETag of what the view would answer and the headers of its 304, or None
    (the view answers)."""

    def decorate(view):
        view.answers_early = early
        return view

    return decorate


class NotModified:
    """Answer a conditional GET of a page or a feed before Flask handles it, when it can.

    Only for a request with If-None-Match and neither a session nor a login cookie, to a view
    that answers early (conditional pages, feeds): what such a reader gets does not depend on
    a session, so the view's ETag is computed from the request alone, after the validator
    query. If it matches, the 304 carries the ETag, the view's caching headers and the
    security headers; otherwise (or on any error) Flask answers, as it would have.
    """

    def __init__(self, app: Flask, wsgi_app) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.headers = list(HEADERS.items())

    def __call__(self, environ: dict, start_response):
        sent = environ.get("HTTP_IF_NONE_MATCH")
        if sent and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            answer = self._early(environ, sent)
            if answer is not None:
                start_response("304 NOT MODIFIED", answer)
                return []
        return self.wsgi_app(environ, start_response)

    def _early(self, environ: dict, sent: str) -> list | None:
        app = self.app
        if not _without_login(environ, app.config):  # before routing: a logged-in reader's
            return None  # page is theirs, Flask answers it
        try:
            adapter = app.url_map.bind_to_environ(
                environ, server_name=app.config["SERVER_NAME"], subdomain=None
            )
            endpoint, kwargs = adapter.match()
        except HTTPException:
            return None
        early = getattr(app.view_functions.get(endpoint), "answers_early", None)
        if early is None:
            return None
        with app.app_context():
            try:
                tagged = early(endpoint, environ, kwargs)
            except Exception:
                return None  # Flask answers, and handles the error its way
        if tagged is None or not _not_modified(sent, tagged[0]):
            return None
        etag, headers = tagged
        return [("ETag", f'"{etag}"'), *headers, *self.headers]
