"""The search page: /search?q=..., with filters, bookmarkable; "search this topic" and "search
this dialogue" boxes send their query here."""

from datetime import datetime, time, timedelta

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_babel import to_utc
from flask_login import current_user
from sqlalchemy import select

from forum import changes
from forum.accounts.services import find_by_username
from forum.dialogues.models import Dialogue
from forum.extensions import db
from forum.inputs import int_arg
from forum.kept import conditional
from forum.permissions import can
from forum.posts.models import OTHER_LANGUAGE
from forum.search import services
from forum.search.forms import KIND_NAMES, SearchForm
from forum.topics.services import find_topic

bp = Blueprint("search", __name__)

MAX_PAGE = 250  # 5,000 results deep: further, refine the search
FIRST_YEAR, LAST_YEAR = 2000, 2999  # dates anyone means (and that no time zone overflows)


def _midnight(day) -> datetime:
    """The start of a day in the reader's time zone, in UTC."""
    return to_utc(datetime.combine(day, time.min))


def _filters(form: SearchForm, dialogues: dict, topic) -> tuple[services.Filters | None, list]:
    """The filters the form asks for, or None and why, when one names nothing."""
    problems = []
    chosen = {}
    if form.dialogue.data:
        if form.dialogue.data in dialogues:
            chosen["dialogue_id"] = dialogues[form.dialogue.data]
        else:
            problems.append(_("There is no dialogue at this address."))
    if form.topic.data is not None:
        if topic is None:
            problems.append(_("There is no such topic."))
        else:
            chosen["topic_id"] = topic.id
    if form.prompt.data is not None:
        if topic is None or form.prompt.data not in {q.id for q in topic.questions}:
            problems.append(_("This prompt question is not part of the topic."))
        else:
            chosen["prompt_id"] = form.prompt.data
    if form.author.data.strip():
        author = find_by_username(form.author.data.strip())
        if author is None or author.deleted_at is not None:
            problems.append(_("Nobody has this username."))
        else:
            chosen["author_id"] = author.id
    if form.language.data:
        if form.language.data in {choice.value for choice in form.language.choices}:
            chosen["language"] = form.language.data
        else:
            problems.append(_("Choose a language from the list."))
    if form.kind.data:
        if form.kind.data in KIND_NAMES:
            chosen["kinds"] = (form.kind.data,)
        else:
            problems.append(_("Choose what to show from the list."))
    for name, day in (("since", form.since.data), ("until", form.until.data)):
        if day is None:
            continue
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            problems.append(
                _("Choose dates from %(first)d to %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)
            )
            break
        chosen[name] = _midnight(day + timedelta(days=1 if name == "until" else 0))
    chosen["hidden"] = bool(form.hidden.data) and can("moderate")
    chosen["newest"] = form.sort.data == "newest"
    return (None if problems else services.Filters(**chosen)), problems


@bp.get("/search")
@conditional(changes.search_page, keep=False)
def index():
    """Search posts, summaries and topics: a page of 20 results, the words found marked."""
    form = SearchForm(formdata=request.args)
    page = int_arg("page", 1, high=MAX_PAGE)
    topic = find_topic(form.topic.data) if form.topic.data is not None else None
    dialogues = db.session.execute(
        select(Dialogue.id, Dialogue.slug, Dialogue.title).order_by(Dialogue.title)
    ).all()
    form.set_choices(
        [(d.slug, d.title) for d in dialogues], topic.questions if topic is not None else []
    )
    results = refused = None
    problems: list[str] = []
    if "q" in request.args:
        if not form.validate():
            problems = [" ".join(map(str, errors)) for errors in form.errors.values()]
        else:
            filters, problems = _filters(form, {d.slug: d.id for d in dialogues}, topic)
            if filters is not None:
                reader = current_user if current_user.is_authenticated else None
                try:
                    results = services.search(form.q.data, filters, reader, page)
                except services.QueryRefused as exc:
                    refused = str(exc)
    kept = {k: v for k, v in request.args.to_dict().items() if k != "page" and v}
    return render_template(
        "search/index.html",
        form=form,
        topic=topic,
        results=results,
        refused=refused,
        problems=problems,
        kept=kept,
        kind_names=KIND_NAMES,
        other_language=OTHER_LANGUAGE,
    )
