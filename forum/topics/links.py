"""Addresses of topics and posts, in one place for views, templates and feeds."""

from flask import url_for


def topic_url(topic, **params) -> str:
    """The canonical address of a topic (page, view and anchor as given)."""
    return url_for("topics.show", topic_id=topic.id, slug=topic.slug, **params)
