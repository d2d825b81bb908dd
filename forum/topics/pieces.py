"""The topics of a dialogue page as HTML, each rendered once (forum.fragments)."""

from flask_login import current_user
from markupsafe import Markup

from forum.fragments import renderer


def topic_cards(rows, concluded=None) -> Markup:
    """The cards of a page of topics, rows from forum.topics.services.list_topics; concluded
    maps the ids of topics with conclusions to their questions and conclusions
    (forum.conclusions.services.concluded_questions)."""
    card = renderer("topics/_card.html", "card")
    logged_in = current_user.is_authenticated
    concluded = concluded or {}
    return Markup("\n").join(card(row, logged_in, concluded.get(row.id, ())) for row in rows)
