"""RSS 2.0 feeds that answer conditional GET with 304 after one cheap query."""

from datetime import UTC, datetime
from email.utils import format_datetime

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape
from werkzeug.http import http_date

from forum.changes import is_fresh, validators
from forum.dialogues.services import find_dialogue
from forum.feeds import services
from forum.fragments import Kept
from forum.kept import answers_early
from forum.moderation.services import ACTION_NAMES, log_page
from forum.topics.services import find_topic

bp = Blueprint("feeds", __name__)
KEPT = 64  # feeds kept built by each worker


@bp.record_once
def _keep_feeds(state) -> None:
    state.app.extensions["feeds"] = Kept(state.app.config.get("FEEDS_KEPT", KEPT))


FEED_TYPE = "application/rss+xml; charset=utf-8"
FEED_LANGUAGE = "en"
CACHE = "public, max-age=60"


@bp.app_template_filter("rfc822")
def rfc822(moment: datetime) -> str:
    """A UTC time as RSS wants it: 'Mon, 23 Nov 2026 10:40:09 GMT'."""
    return format_datetime(moment.replace(microsecond=0, tzinfo=UTC), usegmt=True)


@bp.app_template_filter("feed_html")
def feed_html(html: Markup) -> str:
    """An item's HTML as the text of its <description>, where it is escaped once more as XML."""
    if not isinstance(html, Markup):
        raise TypeError("Only cleaned or escaped HTML goes into a feed.")
    return str(html)


def absolute(path: str) -> str:
    """An absolute address on this forum: the configured base URL, else the request's host."""
    base = current_app.config.get("BASE_URL") or request.host_url.rstrip("/")
    return base + path


def _answer(etag: str, modified: datetime, build) -> Response:
    """304 if the client is up to date, else the feed that build() renders."""
    if is_fresh(etag, modified):
        response = Response(status=304)
    else:
        # The ETag names the version of everything the feed shows, so a feed built once is
        # kept under it (and the base address it was built with) until its content changes.
        body = current_app.extensions["feeds"].get((etag, absolute("")), lambda: _built(build))
        response = Response(body, mimetype="application/rss+xml")
        response.content_type = FEED_TYPE
    response.set_etag(etag)
    response.last_modified = modified
    response.headers["Cache-Control"] = CACHE
    return response


def _built(build) -> str:
    """A feed built in one language for every reader, so one kept copy and one ETag serve all.

    Everything is built inside it, items and description as well as the template.
    """
    with force_locale(FEED_LANGUAGE):
        return build()


def _feed(*, title: str, link: str, description: str, items, built: datetime) -> str:
    return render_template(
        "feeds/rss.xml",
        title=title,
        link=absolute(link),
        description=description,
        self_url=absolute(request.path),
        built=built,
        items=items,
        absolute=absolute,
        language=FEED_LANGUAGE,
    )


def _missing(what: str) -> Response:
    return Response(what, status=404, mimetype="text/plain")


def early(version):
    """Let forum.kept.NotModified answer a feed's 304 from version(**view_arguments), its
    (ETag, Last-Modified) or None, before Flask handles the request."""

    def tag(endpoint: str, environ: dict, kwargs: dict):
        found = version(**kwargs)
        if found is None:
            return None
        etag, modified = found
        return etag, [("Last-Modified", http_date(modified)), ("Cache-Control", CACHE)]

    return answers_early(tag)


def _topic_version(topic_id: int) -> tuple[str, datetime] | None:
    changed = services.topic_changed_at(topic_id)
    return None if changed is None else validators(f"t{topic_id}", changed)


@bp.get("/t/<int:topic_id>/feed.rss")
@early(_topic_version)
def topic(topic_id: int):
    """A topic's newest posts, its pinned summary and its lock."""
    version = _topic_version(topic_id)
    if version is None:
        return _missing(_("No such topic."))
    return _answer(*version, lambda: _topic_feed(find_topic(topic_id)))


def _topic_feed(found) -> str:
    description = _(
        "Replies in the topic %(title)s, from %(dialogue)s.",
        title=found.title,
        dialogue=found.dialogue.title,
    )
    return _feed(
        title=found.title,
        link=url_for("topics.show", topic_id=found.id, slug=found.slug),
        description=description,
        items=services.topic_items(found),
        built=found.changed_at,
    )


def _dialogue_version(slug: str) -> tuple[str, datetime] | None:
    head = services.dialogue_changed_at(slug)
    return None if head is None else validators(f"d{head[0]}", head[1])


@bp.get("/d/<slug>/feed.rss")
@early(_dialogue_version)
def dialogue(slug: str):
    """A dialogue's new topics with their prompt questions, and its summaries."""
    version = _dialogue_version(slug)
    if version is None:
        return _missing(_("No such dialogue."))
    return _answer(*version, lambda: _dialogue_feed(find_dialogue(slug)))


def _dialogue_feed(found) -> str:
    return _feed(
        title=found.title,
        link=url_for("dialogues.show", slug=found.slug),
        description=_("New topics and summaries in %(title)s.", title=found.title),
        items=services.dialogue_items(found),
        built=found.changed_at,
    )


def _site_version() -> tuple[str, datetime]:
    return validators("site", services.site_changed_at())


@bp.get("/feed.rss")
@early(_site_version)
def site():
    """The newest posts across the forum's dialogues."""
    changed = services.site_changed_at()
    etag, modified = validators("site", changed)
    return _answer(
        etag,
        modified,
        lambda: _feed(
            title="Dialogue Forum",
            link=url_for("pages.index"),
            description=_("The newest posts in every dialogue."),
            items=services.site_items(),
            built=changed or datetime(2000, 1, 1),
        ),
    )


def _log_version() -> tuple[str, datetime]:
    head = services.log_head()
    return validators(f"log{head[0] if head else 0}", head[1] if head else None)


@bp.get("/moderation/log/feed.rss")
@early(_log_version)
def moderation_log():
    """The public moderation log."""
    head = services.log_head()
    etag, modified = validators(f"log{head[0] if head else 0}", head[1] if head else None)
    return _answer(
        etag,
        modified,
        lambda: _feed(
            title=_("Moderation log"),
            link=url_for("moderation.log"),
            description=_("Every moderation act on this forum, who did it, when and why."),
            items=_log_items(),
            built=head[1] if head else datetime(2000, 1, 1),
        ),
    )


def _log_items() -> list[services.Item]:
    rows, _more = log_page(dialogue=None, page=1, per_page=services.SIZE)
    items = []
    for row in rows:
        entry = row.LogEntry
        subject = row.topic_title or row.dialogue_title or row.target_name or ""
        items.append(
            services.Item(
                title=f"{ACTION_NAMES[entry.action]}: {subject}" if subject else
                str(ACTION_NAMES[entry.action]),
                path=url_for("moderation.log"),
                anchor=f"e{entry.id}",
                published=entry.created_at,
                html=escape(entry.reason),
                author=row.actor_name,
            )
        )  # fmt: skip
    return items
