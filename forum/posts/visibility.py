"""What of a post a reader may see: the one place that decides it, for pages, feeds and quotes.

A hidden post shows nothing it said (subject, text, content note) to anyone but the moderators;
everything else about it (that it exists, who wrote it and when, why it was hidden) stays in the
open.
"""


class Veiled:
    """A hidden post, or a row of one, as a reader sees it: all but what it said."""

    __slots__ = ("_post",)
    subject = ""
    body_html = ""
    body_source = ""
    content_note = ""

    def __init__(self, post) -> None:
        self._post = post

    def __getattr__(self, name: str):
        return getattr(self._post, name)

    # Rendered pieces are kept under their arguments (forum.fragments): a veiled row must
    # never be mistaken for the row itself.
    def __eq__(self, other) -> bool:
        return isinstance(other, Veiled) and other._post == self._post

    def __hash__(self) -> int:
        return hash((Veiled, self._post))


def seen(post, *, moderator: bool):
    """The post (a Post or a row with its columns) as a reader sees it: a hidden post says
    nothing but to moderators."""
    if post.hidden_at is None or moderator:
        return post
    return Veiled(post)
