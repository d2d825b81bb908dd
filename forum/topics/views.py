"""Opening, reading and editing topics."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum import changes, people
from forum.conclusions.services import conclusions_by_question
from forum.dialogues.forms import offer_first_pseudonym
from forum.dialogues.services import find_dialogue
from forum.extensions import db
from forum.forms import form_page
from forum.inputs import int_arg
from forum.kept import conditional
from forum.permissions import can, reply_refusal, require
from forum.posts import reading
from forum.posts.pieces import reply_form_html
from forum.posts.services import page_of_post, post_by_number
from forum.summaries import staleness
from forum.summaries.services import pinned_for_topic
from forum.topics import services
from forum.topics.forms import NewTopicForm, TopicForm
from forum.topics.links import topic_url

bp = Blueprint("topics", __name__)

SHOW_ARGS = ("page", "view", "prompt")  # what the topic page reads; a redirect keeps only these


@bp.route("/d/<slug>/new-topic", methods=["GET", "POST"])
def create(slug: str):
    """Open a topic with a framing text and prompt questions (facilitators)."""
    dialogue = find_dialogue(slug) or abort(404)
    require("open_topic", dialogue)
    form = NewTopicForm()
    offer_first_pseudonym(form, dialogue, current_user)
    if form.validate_on_submit():
        try:
            if form.pseudonym is not None and form.pseudonym.data.strip():
                people.choose(dialogue, current_user, form.pseudonym.data)
            topic = services.open_topic(
                dialogue,
                title=form.title.data,
                framing=form.framing.data,
                questions=form.questions.data,
                by=current_user,
            )
        except people.NameTaken as exc:
            db.session.rollback()
            form.pseudonym.errors.append(str(exc))
        except services.TopicError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The topic is open."), "success")
            return redirect(topic_url(topic))
    return form_page("topics/form.html", form, dialogue=dialogue, topic=None)


@bp.route("/t/<int:topic_id>/edit", methods=["GET", "POST"])
def edit(topic_id: int):
    """Edit a topic's title, framing and prompt questions (facilitators)."""
    topic = services.find_topic(topic_id) or abort(404)
    require("edit_topic", topic)
    form = TopicForm(title=topic.title, framing=topic.framing_source)
    if request.method == "GET":
        for entry, question in zip(form.questions.entries, topic.questions, strict=False):
            entry.data = question.text
    if form.validate_on_submit():
        try:
            services.edit_topic(
                topic,
                title=form.title.data,
                framing=form.framing.data,
                questions=form.questions.data,
                by=current_user,
            )
        except services.TopicError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The topic is saved."), "success")
            return redirect(topic_url(topic))
    return form_page("topics/form.html", form, dialogue=topic.dialogue, topic=topic)


@bp.get("/t/<int:topic_id>/history")
def history(topic_id: int):
    """Earlier versions of a topic's title, framing and questions."""
    topic = services.find_topic(topic_id) or abort(404)
    return render_template(
        "topics/history.html", topic=topic, revisions=services.topic_revisions(topic)
    )


@bp.get("/t/<int:topic_id>/first-new")
@login_required
def first_new(topic_id: int):
    """Jump to the first post the reader has not seen."""
    topic = services.find_topic(topic_id) or abort(404)
    post = post_by_number(topic, services.last_read_number(current_user, topic) + 1)
    if post is None:
        return redirect(topic_url(topic, page=max(len(topic.page_starts), 1)))
    return redirect(topic_url(topic, page=page_of_post(post), _anchor=f"p{post.id}"))


@bp.get("/t/<int:topic_id>", defaults={"slug": None})
@bp.get("/t/<int:topic_id>/<slug>")
@conditional(changes.topic_page)
def show(topic_id: int, slug: str | None):
    """A topic: its framing and prompt questions, then its replies, threaded or in order."""
    reader = current_user if current_user.is_authenticated else None
    topic = services.find_topic(topic_id, with_pages=True, reader=reader) or abort(404)
    if slug != topic.slug:
        kept = {name: request.args[name] for name in SHOW_ARGS if name in request.args}
        return redirect(topic_url(topic, **kept), 301)
    page = int_arg("page", 1)
    view = "flat" if request.args.get("view") == "flat" else "threaded"
    questions = topic.questions
    prompt = None
    if "prompt" in request.args:
        prompt_id = int_arg("prompt")
        prompt = next((q for q in questions if q.id == prompt_id), None)
        if prompt is None:
            abort(404)
        posts = reading.answering(topic, prompt.id, page)
        pages = reading.page_count(prompt.answer_count)
    elif view == "flat":
        posts = reading.flat(topic, page)
        pages = reading.page_count(topic.post_count)
    else:
        posts = reading.threaded(topic, page)
        pages = max(len(topic.page_starts), 1)
    if not 1 <= page <= pages:
        abort(404)
    read_before = first_new = None
    following = None
    if reader is not None:
        read_before, first_new = services.first_unread(topic)
        following = topic.followed
    form = None
    refusal = reply_refusal(current_user, topic)
    if refusal is None:
        form = reply_form_html(topic, questions)
    summary, dialogue_summary = pinned_for_topic(topic)
    conclusions = conclusions_by_question([topic.id])
    stale = {}
    if (summary is not None or conclusions) and can("summarise", topic):
        stale = staleness.of_topic(topic, summary, conclusions)
    page_html = render_template(
        "topics/show.html",
        topic=topic,
        dialogue=topic.dialogue,
        questions=questions,
        posts=posts,
        page=page,
        pages=pages,
        view=view,
        prompt=prompt,
        read_before=read_before,
        first_new=first_new,
        form=form,
        reply_refusal=refusal,
        summary=summary,
        conclusions=conclusions,
        stale=stale,
        cited=_citing(topic, summary, dialogue_summary, questions, conclusions),
        following=following,
    )
    if read_before is not None:
        # After rendering, so that the commit does not expire what the template reads.
        shown = {post.number for post in posts}
        if services.mark_read(current_user, topic, read_before=read_before, shown=shown):
            db.session.commit()
    return page_html


def _citing(topic, summary, dialogue_summary, questions, conclusions) -> dict:
    """Where each post is cited: post id -> (address, question number or None for a summary)
    pairs; the topic's summary (else the dialogue's) first, then the conclusions in order."""
    cited: dict[int, tuple] = {}
    if dialogue_summary is not None:
        there = url_for("dialogues.show", slug=topic.dialogue.slug, _anchor="summary")
        cited.update(dict.fromkeys(dialogue_summary.cited_post_ids, ((there, None),)))
    if summary is not None:
        cited.update(dict.fromkeys(summary.cited_post_ids, (("#summary", None),)))
    for question in questions:
        conclusion = conclusions.get(question.id)
        if conclusion is not None:
            place = (f"#conclusion-{question.id}", question.number)
            for post_id in conclusion.cited_post_ids:
                cited[post_id] = (*cited.get(post_id, ()), place)
    return cited
