"""The front page, the code of conduct and a health check."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import text as sql

from forum import changes, text
from forum.config import LANGUAGES
from forum.dialogues.services import list_dialogues
from forum.extensions import db
from forum.forms import form_page
from forum.kept import conditional
from forum.moderation.services import ModerationError
from forum.pages import code_of_conduct as conduct
from forum.pages.forms import ConductForm
from forum.permissions import require

bp = Blueprint("pages", __name__)


@bp.get("/")
@conditional(changes.front_page)
def index():
    """The front page."""
    return render_template("pages/index.html", dialogues=list_dialogues())


@bp.get("/code-of-conduct")
def code_of_conduct():
    """The code of conduct every participant accepts."""
    title, html = conduct.code_of_conduct(str(get_locale()))
    return render_template("pages/code_of_conduct.html", title=title, html=html)


@bp.route("/code-of-conduct/<language>/edit", methods=["GET", "POST"])
def edit_code_of_conduct(language: str):
    """Edit the code of conduct in one language (admins); earlier versions are kept."""
    if language not in LANGUAGES:
        abort(404)
    require("administer")
    title, source = conduct.current_source(language)
    form = ConductForm(title=title, source=source)
    preview = None
    if form.validate_on_submit():
        if form.preview.data:
            preview = text.render(form.source.data)
        else:
            try:
                conduct.edit_code_of_conduct(
                    language,
                    title=form.title.data,
                    source=form.source.data,
                    by=current_user,
                    reason=form.reason.data,
                )
            except ModerationError as exc:
                db.session.rollback()
                form.form_errors.append(str(exc))
            else:
                db.session.commit()
                flash(_("The code of conduct is saved."), "success")
                return redirect(url_for(".code_of_conduct"))
    return form_page(
        "pages/edit_code_of_conduct.html",
        form,
        language=language,
        preview=preview,
        revisions=conduct.conduct_revisions(language),
    )


@bp.get("/favicon.ico")
def favicon():
    """The icon browsers ask for on their own, before reading any page's <link rel="icon">."""
    return redirect(url_for("static", filename="favicon.svg"), 301)


@bp.get("/healthz")
def health():
    """Answer a load balancer: the app runs and reaches its database."""
    db.session.execute(sql("SELECT 1"))
    return {"status": "ok"}
