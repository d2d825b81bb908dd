"""The interface language and time zone: choosing them per request, switching the language, and
the translation commands."""

import os
from functools import lru_cache

import click
import pytz
from flask import Blueprint, Flask, abort, has_request_context, redirect, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header, parse_cookie

from forum.config import LANGUAGES
from forum.extensions import db
from forum.security import safe_next

bp = Blueprint("i18n", __name__)

COOKIE = "lang"
COOKIE_AGE = 365 * 24 * 3600
TRANSLATIONS = os.path.join(os.path.dirname(__file__), "translations")
BABEL_CONFIG = os.path.join(TRANSLATIONS, "babel.cfg")
TEMPLATE = os.path.join(TRANSLATIONS, "messages.pot")
KEYWORDS = ["_l", "lazy_gettext", "in_zone_note"]


def select_locale() -> str:
    """The user's preference, else the language chosen in this browser, else Accept-Language."""
    if not has_request_context():
        return "en"
    if current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    return browser_language()


def browser_language(environ: dict | None = None) -> str:
    """The language chosen in this browser (its cookie), else the best of its Accept-Language.

    What an anonymous reader gets; read without loading anyone, from the request's environ
    (forum.kept keys pages by it, before Flask handles the request).
    """
    environ = request.environ if environ is None else environ
    if "HTTP_COOKIE" in environ:
        chosen = parse_cookie(environ).get(COOKIE)
        if chosen in LANGUAGES:
            return chosen
    return _best_language(environ.get("HTTP_ACCEPT_LANGUAGE", ""))


@lru_cache(maxsize=256)
def _best_language(accept_language: str) -> str:
    # Browsers send a few dozen distinct headers: each is parsed once per worker.
    return parse_accept_header(accept_language, LanguageAccept).best_match(LANGUAGES) or "en"


def select_timezone() -> str | None:
    """The zone chosen in the person's profile; None (UTC) for everyone else."""
    if not has_request_context() or not current_user.is_authenticated:
        return None
    zone = current_user.timezone
    return zone if zone in pytz.all_timezones_set else None


@bp.route("/language/<code>", methods=["GET", "POST"])
def switch(code: str):
    """Switch the interface language; a logged-in person's choice is kept in their profile."""
    if code not in LANGUAGES:
        abort(404)
    if request.method == "POST" and current_user.is_authenticated:
        current_user.locale = code
        db.session.commit()
    response = redirect(safe_next(request.values.get("next"), url_for("pages.index")))
    response.set_cookie(COOKIE, code, max_age=COOKIE_AGE)
    return response


def init_app(app: Flask) -> None:
    """Give templates the current language and the list of languages."""

    @app.context_processor
    def languages():
        return {"languages": LANGUAGES, "current_language": str(get_locale())}


@click.group("i18n")
def i18n_cli():
    """Maintain the French and Spanish translations of the interface."""


def _pybabel(*args: str) -> None:
    from babel.messages.frontend import CommandLineInterface

    CommandLineInterface().run(["pybabel", "-q", *args])


@i18n_cli.command("update")
def update():
    """Extract the strings of the source and merge them into every catalogue."""
    root = os.path.dirname(os.path.dirname(TRANSLATIONS))
    keywords = [arg for kw in KEYWORDS for arg in ("-k", kw)]
    _pybabel("extract", "-F", BABEL_CONFIG, *keywords, "--no-location", "-o", TEMPLATE, root)
    for language in LANGUAGES:
        if language != "en" and not os.path.isdir(os.path.join(TRANSLATIONS, language)):
            _pybabel("init", "-i", TEMPLATE, "-d", TRANSLATIONS, "-l", language)
    _pybabel("update", "-i", TEMPLATE, "-d", TRANSLATIONS, "--no-fuzzy-matching")


@i18n_cli.command("compile")
def compile_catalogues():
    """Compile the catalogues the running forum reads."""
    _pybabel("compile", "-d", TRANSLATIONS)
