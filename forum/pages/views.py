"""The front page, the code of conduct and a health check."""

from flask import Blueprint, render_template
from flask_babel import get_locale
from sqlalchemy import text as sql

from forum.dialogues.services import list_dialogues
from forum.extensions import db
from forum.pages.code_of_conduct import code_of_conduct as load_code

bp = Blueprint("pages", __name__)


@bp.get("/")
def index():
    """The front page."""
    return render_template("pages/index.html", dialogues=list_dialogues())


@bp.get("/code-of-conduct")
def code_of_conduct():
    """The code of conduct every participant accepts."""
    title, html = load_code(str(get_locale()))
    return render_template("pages/code_of_conduct.html", title=title, html=html)


@bp.get("/healthz")
def health():
    """Answer a load balancer: the app runs and reaches its database."""
    db.session.execute(sql("SELECT 1"))
    return {"status": "ok"}
