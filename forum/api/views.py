"""The read-only JSON API: dialogues, topics with their questions and conclusions, posts (by
cursor), summaries and the public moderation log, answering conditional GET with 304.

Every answer is the same for everyone (what the pages show an anonymous reader), in English,
so one ETag names one body: the validators are the feeds' (forum.changes), read in one query
before anything else.
"""

import json
from collections.abc import Callable
from datetime import datetime

from flask import Blueprint, Response, abort, current_app, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from forum.api import cursors, services
from forum.changes import is_fresh, validators
from forum.dialogues.services import find_dialogue
from forum.extensions import csrf, limiter
from forum.feeds.services import log_head
from forum.feeds.views import absolute
from forum.inputs import whole_number
from forum.topics.services import find_topic

bp = Blueprint("api", __name__, url_prefix=services.PREFIX)
csrf.exempt(bp)  # it only reads
limiter.shared_limit(lambda: current_app.config["RATELIMIT_API"], scope="api")(bp)

LANGUAGE = "en"  # one language for every reader, as the feeds: one body per ETag
CACHE = "public, max-age=60"
JSON_TYPE = "application/json"

MESSAGES = {
    400: _l("The request could not be understood."),
    404: _l("There is nothing at this address in the API."),
    405: _l("The API only answers GET (and HEAD) requests."),
    413: _l("What you sent is larger than the forum accepts."),
    429: _l("Too many requests from your address: at most %(limit)s. Wait a little and try again."),
    500: _l("The forum could not complete this request. Please try again in a moment."),
}


def json_response(data: dict, status: int = 200) -> Response:
    """Data as JSON, its non-ASCII letters as they are (names in many languages)."""
    response = Response(json.dumps(data, ensure_ascii=False), status, mimetype=JSON_TYPE)
    # Public data, the same for everyone and sent with no cookie: any site may read it.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def error_response(code: int, message: str) -> Response:
    """An error as JSON: its status and a message saying what was wrong."""
    return json_response({"error": {"status": code, "message": message}}, code)


def refuse(code: int, message) -> None:
    """Stop the request with a JSON error."""
    with force_locale(LANGUAGE):
        abort(error_response(code, str(message)))


def answer_error(code: int, description: str | None) -> Response:
    """An HTTP error raised anywhere under /api/ (no route, wrong method, rate limit, a bug),
    as JSON rather than a page (forum.errors)."""
    with force_locale(LANGUAGE):
        if code == 429:
            return error_response(code, str(MESSAGES[429]) % {"limit": description})
        return error_response(code, str(MESSAGES.get(code, MESSAGES[500])))


def conditional(key: str, changed: datetime | None, build: Callable[[], dict]) -> Response:
    """304 if the client has this version of what `key` names, else what build() reads."""
    etag, modified = validators(f"api-{key}", changed)
    if is_fresh(etag, modified):
        response = Response(status=304)
        response.headers["Access-Control-Allow-Origin"] = "*"
    else:
        with force_locale(LANGUAGE):
            response = json_response(build())
    response.set_etag(etag)
    response.last_modified = modified
    response.headers["Cache-Control"] = CACHE
    return response


def _links() -> services.Links:
    return services.Links(absolute(""))


def _size() -> int:
    """The page size the client asks for (`limit`), within bounds."""
    raw = request.args.get("limit")
    if raw is None:
        return services.PAGE_SIZE
    size = whole_number(raw, services.PAGE_MAX)
    if size is None:
        refuse(400, _l("limit is a whole number from 1 to %(n)d.", n=services.PAGE_MAX))
    return size


def _after(listing: str) -> int | None:
    """Where the client's cursor says the list goes on (None: from its start)."""
    raw = request.args.get("cursor")
    if raw is None or raw == "":
        return None
    try:
        return cursors.read(raw, listing)
    except cursors.BadCursor as exc:
        if exc.args == ("elsewhere",):
            refuse(400, _l("This cursor belongs to another list: use it where it was given."))
        refuse(
            400,
            _l("This cursor was not given by the API, or was altered: start again without it."),
        )


def _page(items: list, last: int | None, *, listing: str, key: str, **args) -> dict:
    """A page of a list, with the cursor and address of the next page if there is one."""
    cursor = cursors.make(listing, last) if last is not None else None
    following = None
    if cursor is not None:
        query = "&".join(f"{name}={value}" for name, value in args.items() if value is not None)
        following = f"{absolute(request.path)}?{query}{'&' if query else ''}cursor={cursor}"
    return {key: items, "next_cursor": cursor, "next": following}


@bp.get("/")
def index():
    """Where everything is."""
    links = _links()
    return json_response(
        {
            "dialogues_url": f"{links.api}/dialogues",
            "moderation_log_url": f"{links.api}/moderation/log",
        }
    )


@bp.get("/dialogues")
def dialogues():
    """Every dialogue."""
    count, changed = services.dialogues_changed_at()
    return conditional(f"dialogues{count}", changed, lambda: services.dialogues(_links()))


def _dialogue(slug: str):
    found = find_dialogue(slug)
    if found is None:
        refuse(404, _l("There is no dialogue at this address."))
    return found


@bp.get("/dialogues/<slug>")
def dialogue(slug: str):
    """A dialogue, its facilitators and its summary."""
    found = _dialogue(slug)
    changed = services.shown_changed_at(found)
    return conditional(f"d{found.id}", changed, lambda: services.dialogue(found, _links()))


@bp.get("/dialogues/<slug>/topics")
def topics(slug: str):
    """The topics of a dialogue."""
    found = _dialogue(slug)
    return conditional(
        f"d{found.id}-topics", found.changed_at, lambda: services.topics(found, _links())
    )


def _no_topic() -> None:
    refuse(404, _l("There is no topic with this id."))


@bp.get("/topics/<int:topic_id>")
def topic(topic_id: int):
    """A topic, its prompt questions with their conclusions, and its summary."""
    head = services.topic_head(topic_id) or _no_topic()
    return conditional(
        f"t{topic_id}", head.changed_at, lambda: services.topic(find_topic(topic_id), _links())
    )


@bp.get("/topics/<int:topic_id>/posts")
def posts(topic_id: int):
    """A page of a topic's posts, oldest first (those answering one question if asked)."""
    question_id = None
    if request.args.get("question"):
        question_id = whole_number(request.args["question"])
        if question_id is None:
            refuse(400, _l("question is the id of one of the topic's prompt questions."))
    size = _size()
    listing = f"t{topic_id}"
    after = _after(listing) or 0
    head = services.topic_head(topic_id, question_id) or _no_topic()
    if question_id is not None and head.question_id is None:
        refuse(404, _l("This topic has no prompt question with this id."))

    def build() -> dict:
        items, last = services.posts(
            topic_id, after=after, size=size, question_id=question_id, links=_links()
        )
        page = _page(items, last, listing=listing, key="posts", question=question_id, limit=size)
        return {"topic": {"id": topic_id, "api_url": f"{_links().api}/topics/{topic_id}"}} | page

    key = f"t{topic_id}-posts-q{question_id or 0}-a{after}-l{size}"
    return conditional(key, head.changed_at, build)


@bp.get("/posts/<int:post_id>")
def post(post_id: int):
    """One post (a placeholder if the moderators hid it)."""
    head = services.post_head(post_id)
    if head is None:
        refuse(404, _l("There is no post with this id."))
    return conditional(
        f"t{head.id}-p{post_id}", head.changed_at, lambda: services.post(post_id, _links())
    )


@bp.get("/moderation/log")
def moderation_log():
    """A page of the public moderation log, newest first (of one dialogue if asked)."""
    found = _dialogue(request.args["dialogue"]) if request.args.get("dialogue") else None
    size = _size()
    before = _after("log")
    head = log_head()

    def build() -> dict:
        entries, last = services.log(dialogue=found, before=before, size=size, links=_links())
        return _page(
            entries,
            last,
            listing="log",
            key="entries",
            dialogue=found.slug if found else None,
            limit=size,
        )

    key = f"log{head[0] if head else 0}-{found.id if found else 0}-b{before or 0}-l{size}"
    return conditional(key, head[1] if head else None, build)
