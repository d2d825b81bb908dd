"""The posts of a topic page as HTML, each rendered once (forum.fragments), and its reply form."""

import secrets

from flask import current_app, request
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from forum import people
from forum.fragments import Kept, renderer
from forum.permissions import can
from forum.posts import notes
from forum.posts.forms import ReplyForm
from forum.posts.visibility import seen

REPLY_FORMS = 1024  # blank reply forms kept per worker, a few kilobytes each
# Stands for the reader's CSRF token in a kept form: random, so that no text can contain it.
_TOKEN = "csrf-" + secrets.token_hex(16)


def posts_html(rows, *, topic_id: int, numbers: dict, read_before: int | None, flat: bool,
               cited: dict, reply: bool, moderator: bool) -> Markup:  # fmt: skip
    """The posts of one page of a topic.

    numbers maps question ids to their numbers, cited maps post ids to the texts citing them
    (forum.topics.views._citing); read_before is the last post number the reader had read
    (None if anonymous). A reader's own posts are never new to them, whichever device they
    wrote them on.
    """
    post = renderer("posts/_post.html", "post")
    reader = current_user._get_current_object()
    reader_id = reader.id if reader.is_authenticated else None
    opens = notes.opens(reader)
    html = []
    for row in rows:
        # Only its author may edit a post: can() is asked of the reader's own posts alone.
        own = reader_id is not None and row.author_id == reader_id
        unread = read_before is not None and row.number > read_before and not own
        html.append(post(seen(row, moderator=moderator), topic_id, numbers.get(row.prompt_id),
                         flat, cited.get(row.id), unread, reply,
                         own and can("edit_post", row, reader), moderator, opens))  # fmt: skip
    return Markup("\n").join(html)


def reply_form_html(topic, questions) -> Markup:
    """The blank reply form under a topic page, as posts/_form.html renders a ReplyForm.

    Building and rendering the form's fields cost a fifth of a logged-in page, and a blank
    form shows only the topic, its questions, whether the reader may choose a pseudonym and
    the language (the default one, the reader's): rendered once under those and kept, with a
    stand-in for the reader's CSRF token, put in per page. The form it sends is read by
    ReplyForm (forum.posts.views.reply), which shows it again with its errors and text.
    """
    kept = current_app.extensions.get("reply_forms")
    if kept is None:
        kept = current_app.extensions["reply_forms"] = Kept(REPLY_FORMS)
    new_in = people.is_new_in(topic.dialogue, current_user)
    wordings = tuple((q.id, q.number, q.text) for q in questions)
    where = (str(get_locale()), request.script_root, current_app.config["WTF_CSRF_ENABLED"])
    key = (topic.id, wordings, new_in, where)
    before, *after = kept.get(key, lambda: _blank_form(topic, questions, new_in))
    if not after:  # CSRF protection is off (some tests): nothing to put in
        return before
    return before + escape(generate_csrf()) + after[0]


def _blank_form(topic, questions, new_in: bool) -> list[Markup]:
    """A blank reply form rendered, cut where the reader's CSRF token goes."""
    form = ReplyForm(formdata=None)
    form.set_questions(questions)
    if not new_in:
        del form.pseudonym
    if form.meta.csrf:
        form.csrf_token.current_token = _TOKEN
    macro = current_app.jinja_env.get_template("posts/_form.html").module.reply_form
    return macro(form, topic).split(_TOKEN)
