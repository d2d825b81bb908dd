"""The posts of a topic page as HTML, each rendered once (forum.fragments)."""

from flask_login import current_user
from markupsafe import Markup

from forum.fragments import renderer
from forum.permissions import can
from forum.posts import notes
from forum.posts.visibility import seen


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
    opens = notes.opens(reader)
    html = []
    for row in rows:
        unread = read_before is not None and row.number > read_before and row.author_id != reader.id
        html.append(post(seen(row, moderator=moderator), topic_id, numbers.get(row.prompt_id),
                         flat, cited.get(row.id), unread, reply, can("edit_post", row, reader),
                         moderator, opens))  # fmt: skip
    return Markup("\n").join(html)
