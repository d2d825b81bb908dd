"""Dialogues: the front page's list, a dialogue's page of topics, and their administration."""

from flask import Blueprint

bp = Blueprint("dialogues", __name__)

from forum.dialogues import views  # noqa: E402, F401
