"""The topics of a dialogue page as HTML, each rendered once (forum.fragments)."""

from flask_login import current_user
from markupsafe import Markup

from forum.fragments import renderer


def topic_cards(rows) -> Markup:
    """The cards of a page of topics, rows from forum.topics.services.list_topics."""
    card = renderer("topics/_card.html", "card")
    logged_in = current_user.is_authenticated
    return Markup("\n").join(card(row, logged_in) for row in rows)
