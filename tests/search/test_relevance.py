"""Relevance: each query finds the posts it must, in their own languages, and not the others."""

from forum.accounts.services import find_by_username
from forum.extensions import db
from forum.search.services import Filters, search
from tests.search.corpus import QUERIES


def test_each_query_finds_what_it_must_and_not_what_it_must_not(app, corpus):
    wrong = {}
    with app.app_context():
        reader = find_by_username("babar")
        for query, (must, must_not) in QUERIES.items():
            found = {
                corpus.keys[r.post_id]
                for r in search(query, Filters(kinds=("post",)), reader).items
            }
            if must - found or found & must_not:
                wrong[query] = {"missing": must - found, "wrongly found": found & must_not}
        db.session.rollback()
    assert wrong == {}
