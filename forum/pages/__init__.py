"""Site pages: the front page, the code of conduct, the health check."""

from flask import Blueprint

bp = Blueprint("pages", __name__)

from forum.pages import views  # noqa: E402, F401
