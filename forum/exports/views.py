"""A dialogue's (or a topic's) report at stable addresses: the printable page, and the same as
Markdown, JSON and CSV tables, each streamed as it is read."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    stream_with_context,
)
from flask_babel import gettext as _

from forum.dialogues.services import find_dialogue
from forum.exports import gather, writers
from forum.extensions import limiter
from forum.permissions import require
from forum.topics.services import find_topic

bp = Blueprint("exports", __name__)

FORMATS = {
    "md": ("text/markdown; charset=utf-8", writers.markdown),
    "json": ("application/json", writers.as_json),
    "zip": ("application/zip", writers.tables_zip),
}


def _routes(rule: str):
    """Register a view for a dialogue's report and for a topic's."""

    def register(view):
        bp.route("/d/<slug>" + rule, defaults={"topic_id": None})(view)
        bp.route("/t/<int:topic_id>" + rule, defaults={"slug": None})(view)
        return view

    return register


def _limited(view):
    """An export reads the whole dialogue: each address may ask for a few a minute."""
    return limiter.limit(lambda: current_app.config["RATELIMIT_EXPORT"])(view)


def _report(slug: str | None, topic_id: int | None) -> gather.Report:
    """The report asked for, once the reader may have it."""
    if topic_id is not None:
        topic = find_topic(topic_id) or abort(404)
        dialogue = topic.dialogue
    else:
        topic, dialogue = None, find_dialogue(slug) or abort(404)
    require("harvest", dialogue)
    return gather.gather(dialogue, topic)


def _download(report: gather.Report, extension: str) -> str:
    name = report.topic.slug if report.topic else report.dialogue.slug
    return f'attachment; filename="{name}-report-{report.made_at:%Y-%m-%d}.{extension}"'


@_routes("/report")
@_limited
def page(slug: str | None, topic_id: int | None):
    """The report as a page to read and print (facilitators, moderators; readers if allowed)."""
    report = _report(slug, topic_id)
    return writers.html(report)


@_routes("/report.<format>")
@_limited
def download(slug: str | None, topic_id: int | None, format: str):
    """The report as Markdown, JSON or CSV tables in a zip, written as it is read."""
    if format == "html":
        return page(slug=slug, topic_id=topic_id)
    if format not in FORMATS:
        abort(404, _("There is no report as %(format)s: it comes as a page, or as md, json or "
                     "zip (CSV tables).", format=format))  # fmt: skip
    report = _report(slug, topic_id)
    mimetype, write = FORMATS[format]
    response = Response(stream_with_context(write(report)), mimetype=mimetype)
    response.headers["Content-Disposition"] = _download(report, format)
    return response


@_routes("/report/<table>.csv")
@_limited
def table(slug: str | None, topic_id: int | None, table: str):
    """One table of the report as CSV: posts, people, questions, summaries or log."""
    if table not in writers.TABLES:
        abort(404, _("There is no such table: choose one of %(tables)s.",
                     tables=", ".join(writers.TABLES)))  # fmt: skip
    report = _report(slug, topic_id)
    response = Response(
        stream_with_context(writers.table(report, table)), mimetype="text/csv; charset=utf-8"
    )
    response.headers["Content-Disposition"] = _download(report, f"{table}.csv")
    return response
