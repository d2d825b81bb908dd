"""Moderation: locks, hidden posts and the public moderation log."""

from flask import Blueprint

bp = Blueprint("moderation", __name__)

from forum.moderation import views  # noqa: E402, F401
