"""A report written as Markdown, JSON or CSV tables, piece by piece (generators of text), so
that a response or a file receives it as it is read and memory stays flat.

The data card (what the export holds, when it was made, under which licence, what is left
out) comes first in each: the Markdown's opening lines, the JSON's "datacard" object, the zip's
DATACARD.md beside its CSV tables.
"""

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from flask import stream_template
from flask_babel import gettext as _

from forum import text
from forum.exports.gather import Entry, Report, Written, log_entries, posts, writers_of
from forum.moderation.services import ACTION_NAMES

FORMAT_VERSION = 1
# The CSV tables, each with its columns: the names are part of the export's contract.
TABLES = {
    "posts": ("id", "topic_id", "topic", "number", "parent_id", "question_number", "question",
              "author", "created_at", "edited_at", "state", "subject", "content_note", "text",
              "url"),
    "people": ("name", "posts", "first_post_at", "last_post_at"),
    "questions": ("topic_id", "topic", "number", "question", "answers", "conclusion",
                  "conclusion_author", "conclusion_updated_at", "conclusion_cites"),
    "summaries": ("topic_id", "topic", "author", "updated_at", "pinned", "text", "cites"),
    "log": ("id", "created_at", "action", "by", "post_id", "post_author", "topic_id", "topic",
            "rule", "reason"),
}  # fmt: skip


def _iso(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") + "Z" if moment else ""


def datacard(report: Report) -> dict:
    """What the export holds, when it was made, under which licence, and what it leaves out."""
    return {
        "title": report.title,
        "dialogue": report.dialogue.title,
        "address": report.url,
        "made_at": _iso(report.made_at),
        "licence": report.licence
        or _("None set: ask the forum's administrators before reusing it."),
        "contains": {
            "topics": len(report.topics),
            "posts": report.posts,
            "people": report.people,
            "moderation_acts": report.log,
        },
        "people_appear": _("under their pseudonym in this dialogue")
        if report.pseudonymous
        else _("under their display name"),
        "left_out": _(
            "What posts hidden by the moderators said (%(num)d); reports and who made them; "
            "email addresses; what people declared of themselves.",
            num=report.hidden,
        ),
        "format_version": FORMAT_VERSION,
    }


def _every_post(report: Report, done) -> Iterator[tuple[object, Entry]]:
    for topic in report.topics:
        for entry in posts(report, topic.id, done=done):
            yield topic, entry


def _action_names() -> dict:
    return {action: str(name) for action, name in ACTION_NAMES.items()}


def html(report: Report, done=None) -> Iterator[str]:
    """The report as its printable page (templates/exports/report.html), written as it is read."""
    where = {"topic_id": report.topic.id} if report.topic else {"slug": report.dialogue.slug}
    names = _action_names()
    return stream_template(
        "exports/report.html",
        report=report,
        where=where,
        posts=lambda topic_id, **kw: posts(report, topic_id, done=done, **kw),
        log_entries=lambda: log_entries(report, names),
    )


# Markdown -------------------------------------------------------------------------------------


def _md_quote(source: str) -> str:
    return "\n".join("> " + line if line else ">" for line in source.splitlines())


def _md_written(written: Written, report: Report) -> Iterator[str]:
    yield f"*{_('By %(name)s, last edited %(date)s', name=text.literal(written.author), date=_iso(written.updated_at))}*\n\n"  # noqa: E501
    yield written.source.strip() + "\n\n"
    for cited in written.cited:
        excerpt = cited.excerpt or _("(no longer shown)")
        yield (f"- [#p{cited.post_id}]({report.post_url(cited.post_id)}) "
               f"{text.literal(cited.author)}, {_iso(cited.created_at)}: {excerpt}\n")  # fmt: skip
    if written.cited:
        yield "\n"


def _md_post(entry: Entry, report: Report) -> str:
    head = f"#### [#{entry.number}]({report.post_url(entry.id)}) {text.literal(entry.author)}, {_iso(entry.created_at)}"  # noqa: E501
    if entry.parent_number:
        head += " " + _("(in reply to #%(n)d)", n=entry.parent_number)
    if entry.state == "hidden":
        said = _("This post was hidden by the moderators: %(reason)s", reason=entry.hidden_reason)
        return f"{head}\n\n*{text.literal(said)}*\n\n"
    if entry.state == "removed":
        said = _("Its author removed the text of this post when they deleted their account.")
        return f"{head}\n\n*{said}*\n\n"
    parts = [head, ""]
    if entry.subject:
        parts += [f"**{text.literal(entry.subject)}**", ""]
    if entry.content_note:
        parts += [f"*{text.literal(_('Content note: %(note)s', note=entry.content_note))}*", ""]
    parts += [_md_quote(entry.source.strip()), "", ""]
    return "\n".join(parts)


def markdown(report: Report, done=None) -> Iterator[str]:
    """The report as Markdown: the data card, then each topic with its questions' conclusions
    and answers, the summaries with their citations, the other replies, and the log."""
    card = datacard(report)
    yield f"# {text.literal(_('Report: %(title)s', title=report.title))}\n\n"
    for label, value in (
        (_("Made on"), card["made_at"]),
        (_("Address"), card["address"]),
        (_("Licence"), card["licence"]),
        (_("People appear"), card["people_appear"]),
        (_("Left out"), card["left_out"]),
    ):
        yield f"- **{label}**: {value}\n"
    yield "\n"
    if report.summary:
        yield f"## {_('Summary of the dialogue')}\n\n"
        yield from _md_written(report.summary, report)
    for topic in report.topics:
        yield f"## {text.literal(_('Topic: %(title)s', title=topic.title))}\n\n"
        yield f"{topic.url}\n\n{topic.framing_source.strip()}\n\n"
        if topic.summary:
            yield f"### {_('Summary')}\n\n"
            yield from _md_written(topic.summary, report)
        for question in topic.questions:
            heading = _("Question %(n)d: %(text)s", n=question.number, text=question.text)
            yield f"### {text.literal(heading)}\n\n"
            if question.conclusion:
                yield f"**{_('Conclusion')}**\n\n"
                yield from _md_written(question.conclusion, report)
            for entry in posts(report, topic.id, answering=question.id, done=done):
                yield _md_post(entry, report)
        yield f"### {_('Other replies') if topic.questions else _('Replies')}\n\n"
        for entry in posts(report, topic.id, answering="none", order="path", done=done):
            yield _md_post(entry, report)
    yield f"## {_('Moderation log')}\n\n"
    for line in log_entries(report, _action_names()):
        target = f" ({_('a post by %(name)s', name=line.target)})" if line.post_id else ""
        reason = f": {line.reason}" if line.reason else ""
        yield text.literal(f"- {_iso(line.created_at)} {line.action}{target}, "
                           f"{_('by %(name)s', name=line.actor)}{reason}") + "\n"  # fmt: skip


# JSON -----------------------------------------------------------------------------------------


def _json_written(written: Written | None) -> dict | None:
    if written is None:
        return None
    return {
        "author": written.author,
        "updated_at": _iso(written.updated_at),
        "markdown": written.source,
        "html": written.html,
        "cites": [c.post_id for c in written.cited],
    }


def _json_post(entry: Entry, report: Report) -> dict:
    return {
        "id": entry.id,
        "topic_id": entry.topic_id,
        "number": entry.number,
        "parent_id": entry.parent_id,
        "question_id": entry.question_id,
        "author": entry.author,
        "created_at": _iso(entry.created_at),
        "edited_at": _iso(entry.edited_at) or None,
        "state": entry.state,
        "hidden_reason": entry.hidden_reason or None,
        "subject": entry.subject,
        "content_note": entry.content_note,
        "markdown": entry.source,
        "html": report.absolute(entry.html),
        "url": report.post_url(entry.id),
    }


def as_json(report: Report, done=None) -> Iterator[str]:
    """The report as one JSON document, its posts and log written as they are read."""
    dumps = json.dumps
    head = {
        "datacard": datacard(report),
        "dialogue": {
            "slug": report.dialogue.slug,
            "title": report.dialogue.title,
            "state": report.dialogue.shown_state.value,
            "pseudonymous": report.pseudonymous,
            "description_html": report.absolute(report.dialogue.description_html),
            "summary": _json_written(report.summary),
        },
        "topics": [
            {
                "id": t.id,
                "title": t.title,
                "url": t.url,
                "author": t.author,
                "created_at": _iso(t.created_at),
                "locked": t.lock_reason is not None,
                "lock_reason": t.lock_reason,
                "framing_markdown": t.framing_source,
                "framing_html": report.absolute(t.framing_html),
                "summary": _json_written(t.summary),
                "questions": [
                    {
                        "id": q.id,
                        "number": q.number,
                        "text": q.text,
                        "answers": q.answers,
                        "conclusion": _json_written(q.conclusion),
                    }
                    for q in t.questions
                ],
            }
            for t in report.topics
        ],
    }
    yield dumps(head, ensure_ascii=False)[:-1] + ', "posts": ['
    comma = ""
    for _topic, entry in _every_post(report, done):
        yield comma + dumps(_json_post(entry, report), ensure_ascii=False)
        comma = ", "
    yield '], "log": ['
    comma = ""
    for line in log_entries(report, _action_names()):
        item = {
            "id": line.id,
            "created_at": _iso(line.created_at),
            "action": line.action,
            "by": line.actor,
            "post_id": line.post_id,
            "post_author": line.target if line.post_id else None,
            "topic_id": line.topic_id,
            "rule": line.rule or None,
            "reason": line.reason,
        }
        yield comma + dumps(item, ensure_ascii=False)
        comma = ", "
    yield "]}\n"


# CSV ------------------------------------------------------------------------------------------


def _rows_as_csv(header: Iterable[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """CSV text, a few hundred rows at a time; a spreadsheet reads it as UTF-8 (the BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(header)
    for n, row in enumerate(rows, 1):
        writer.writerow([_cell(value) for value in row])
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _cell(value) -> object:
    """A value for a cell; one a spreadsheet would run as a formula is written as text."""
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def _post_rows(report: Report, done) -> Iterator[tuple]:
    numbers = {q.id: (q.number, q.text) for t in report.topics for q in t.questions}
    for topic, e in _every_post(report, done):
        number, question = numbers.get(e.question_id, (None, ""))
        yield (e.id, e.topic_id, topic.title, e.number, e.parent_id, number, question, e.author,
               e.created_at, e.edited_at, e.state, e.subject, e.content_note, e.source,
               report.post_url(e.id))  # fmt: skip


def _people_rows(report: Report) -> Iterator[tuple]:
    for person in writers_of(report):
        yield person.name, person.posts, person.first, person.last


def _question_rows(report: Report) -> Iterator[tuple]:
    for t in report.topics:
        for q in t.questions:
            c = q.conclusion
            cites = c and " ".join(f"#p{x.post_id}" for x in c.cited)
            yield (t.id, t.title, q.number, q.text, q.answers, c and c.source, c and c.author,
                   c and c.updated_at, cites)  # fmt: skip


def _summary_rows(report: Report) -> Iterator[tuple]:
    found = [(None, "", report.summary)] + [(t.id, t.title, t.summary) for t in report.topics]
    for topic_id, title, s in found:
        if s is not None:
            yield (topic_id, title, s.author, s.updated_at, s.is_pinned, s.source,
                   " ".join(f"#p{x.post_id}" for x in s.cited))  # fmt: skip


def _log_rows(report: Report) -> Iterator[tuple]:
    for line in log_entries(report, _action_names()):
        yield (line.id, line.created_at, line.action, line.actor, line.post_id,
               line.target if line.post_id else "", line.topic_id, line.topic_title, line.rule,
               line.reason)  # fmt: skip


def table(report: Report, name: str, done=None) -> Iterator[str]:
    """One of the CSV tables (TABLES) of the report."""
    rows: Callable[[], Iterable[tuple]] = {
        "posts": lambda: _post_rows(report, done),
        "people": lambda: _people_rows(report),
        "questions": lambda: _question_rows(report),
        "summaries": lambda: _summary_rows(report),
        "log": lambda: _log_rows(report),
    }[name]
    return _rows_as_csv(TABLES[name], rows())


class _Pipe(io.RawIOBase):
    """A write-only stream whose bytes are taken out as they come (zipfile writes to it)."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.written = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        self.written += len(data)
        return len(data)

    def tell(self) -> int:
        return self.written

    def take(self) -> bytes:
        out, self.chunks = b"".join(self.chunks), []
        return out


def tables_zip(report: Report, done=None) -> Iterator[bytes]:
    """Every CSV table and the data card (DATACARD.md), as a zip written as it is read."""
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        card = "\n".join(
            f"- {key}: {json.dumps(value, ensure_ascii=False)}"
            for key, value in datacard(report).items()
        )
        made = report.made_at.timetuple()[:6]

        def member(name: str) -> zipfile.ZipInfo:
            info = zipfile.ZipInfo(name, date_time=made)
            info.compress_type = zipfile.ZIP_DEFLATED
            return info

        archive.writestr(member("DATACARD.md"), f"# {report.title}\n\n{card}\n")
        yield pipe.take()
        for name in TABLES:
            with archive.open(member(f"{name}.csv"), "w") as member_file:
                for chunk in table(report, name, done if name == "posts" else None):
                    member_file.write(chunk.encode("utf-8"))
                    yield pipe.take()
    yield pipe.take()
