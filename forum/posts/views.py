"""Writing replies (with preview and quotes), editing posts, their history and permalinks."""

from flask import Blueprint, abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from forum import people, text
from forum.dialogues.forms import offer_first_pseudonym
from forum.extensions import db
from forum.forms import form_page
from forum.inputs import int_arg
from forum.permissions import can, edit_refusal, reply_refusal, require
from forum.posts import notes, services
from forum.posts.forms import PostForm, ReplyForm
from forum.topics.links import topic_url
from forum.topics.services import find_topic

bp = Blueprint("posts", __name__)


@bp.app_template_global()
def opens_notes() -> bool:
    """Whether the reader has posts with a content note shown open."""
    return notes.opens(current_user)


def permalink(post) -> str:
    """Where a post is shown: its topic's page and the post's anchor."""
    return topic_url(post.topic, page=services.page_of_post(post), _anchor=f"p{post.id}")


@bp.get("/p/<int:post_id>")
def show(post_id: int):
    """A post's permanent address: redirect to the page of its topic that shows it."""
    return redirect(permalink(services.find_post(post_id) or abort(404)))


@bp.route("/t/<int:topic_id>/reply", methods=["GET", "POST"])
def reply(topic_id: int):
    """Write a reply to the topic or to one of its posts, preview it, post it."""
    topic = find_topic(topic_id) or abort(404)
    if not current_user.is_authenticated:
        require("reply", topic)
    form = ReplyForm()
    form.set_questions(topic.questions)
    offer_first_pseudonym(form, topic.dialogue, current_user)
    if request.method == "GET":
        form.parent.data = int_arg("to")
    parent = None
    if form.parent.data is not None:
        parent = services.find_post(form.parent.data)
        if parent is None or parent.topic_id != topic.id:
            abort(404)
        if parent.hidden_at is not None and not can("moderate"):
            abort(404)
        if request.method == "GET":
            form.prompt.data = parent.prompt_id
            quote = request.args.get("quote")
            if quote:  # "1": no passage chosen (the link without the script)
                form.body.data = services.quotation(parent, None if quote == "1" else quote)
                if form.body.data:  # what needed a note to be read needs one to be quoted
                    form.content_note.data = parent.content_note
    refusal = reply_refusal(current_user, topic)
    preview = None
    if form.validate_on_submit():
        if form.preview.data:
            preview = text.render(form.body.data)
        elif refusal is None:
            try:
                if form.pseudonym is not None and form.pseudonym.data.strip():
                    people.choose(topic.dialogue, current_user, form.pseudonym.data)
                post = services.reply(
                    topic,
                    by=current_user,
                    subject=form.subject.data,
                    body=form.body.data,
                    prompt_id=form.prompt.data,
                    parent_id=form.parent.data,
                    content_note=form.content_note.data,
                    language=form.language.data,
                )
            except people.NameTaken as exc:
                db.session.rollback()
                form.pseudonym.errors.append(str(exc))
            except services.PostError as exc:
                db.session.rollback()
                form.form_errors.append(str(exc))
            else:
                db.session.commit()
                flash(_("Your reply is posted."), "success")
                return redirect(permalink(post))
    page, status = form_page(
        "posts/reply.html", form, topic=topic, parent=parent, preview=preview, refusal=refusal
    )
    return page, 409 if refusal and request.method == "POST" else status


@bp.route("/p/<int:post_id>/edit", methods=["GET", "POST"])
def edit(post_id: int):
    """Edit one's own post; what it said before is kept in its history."""
    post = services.find_post(post_id) or abort(404)
    if not current_user.is_authenticated:
        require("edit_post", post)
    refusal = edit_refusal(current_user, post)
    if refusal is not None:
        # Say why, and give back what a refused edit said (never the post's own source).
        kept = request.form.get("body", "") if request.method == "POST" else ""
        return render_template("posts/edit.html", post=post, refusal=refusal, kept=kept), 403
    form = PostForm(
        subject=post.subject,
        body=post.body_source,
        prompt=post.prompt_id,
        content_note=post.content_note,
        language=post.language,
    )
    form.set_questions(post.topic.questions)
    preview = None
    if form.validate_on_submit():
        if form.preview.data:
            preview = text.render(form.body.data)
        else:
            try:
                services.edit_post(
                    post,
                    by=current_user,
                    subject=form.subject.data,
                    body=form.body.data,
                    prompt_id=form.prompt.data,
                    content_note=form.content_note.data,
                    language=form.language.data,
                )
            except services.PostError as exc:
                db.session.rollback()
                form.form_errors.append(str(exc))
            else:
                db.session.commit()
                flash(_("Your post is saved."), "success")
                return redirect(permalink(post))
    return form_page("posts/edit.html", form, post=post, preview=preview)


@bp.get("/p/<int:post_id>/history")
def history(post_id: int):
    """A post's earlier versions: who changed it, when, and what it said."""
    post = services.find_post(post_id) or abort(404)
    if post.hidden_at is not None and not can("moderate"):
        abort(404)
    return render_template("posts/history.html", post=post, revisions=services.revisions(post))
