"""Posts: replying, previewing, quoting, editing with history, permalinks."""

from flask import Blueprint

bp = Blueprint("posts", __name__)

from forum.posts import views  # noqa: E402, F401
