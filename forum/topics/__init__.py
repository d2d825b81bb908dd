"""Topics: opening one with prompt questions, reading it threaded or flat, editing it."""

from flask import Blueprint

bp = Blueprint("topics", __name__)

from forum.topics import views  # noqa: E402, F401
