"""What every template can use: the current address, names for codes, cleaned HTML, times."""

from flask import Flask, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from forum import clock, fragments, people, text
from forum.accounts.models import Role
from forum.permissions import can, lock_notice
from forum.posts.pieces import posts_html
from forum.topics.links import topic_url
from forum.topics.pieces import topic_cards

ROLE_NAMES = {
    Role.participant: _l("Participant"),
    Role.moderator: _l("Moderator"),
    Role.admin: _l("Administrator"),
}


def here() -> str:
    """The current path and query string, to come back to after logging in."""
    query = request.query_string.decode("utf-8", "replace")
    return request.path + ("?" + query if query else "")


def country_name(code: str) -> str:
    """The country's name in the reader's language."""
    return get_locale().territories.get(code, code)


def init_app(app: Flask) -> None:
    """Register the template globals and filters."""
    app.jinja_env.filters["cleaned"] = text.cleaned
    app.jinja_env.filters["datetimeformat"] = clock.shown
    fragments.init_app(app)
    app.jinja_env.globals.update(
        can=can,
        person=people.person,
        name_in=people.name_in,
        last_author=people.last_author,
        lock_notice=lock_notice,
        posts_html=posts_html,
        topic_cards=topic_cards,
        topic_url=topic_url,
        country_name=country_name,
        role_name=ROLE_NAMES.get,
        zone_name=clock.zone_name,
        day_shown=clock.day_shown,
    )

    @app.context_processor
    def current_address():
        return {"here": here()}
