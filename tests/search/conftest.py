"""Fixtures of the search tests: a dialogue with posts in three languages."""

from types import SimpleNamespace

import pytest

from tests.search.corpus import POSTS


@pytest.fixture
def corpus(dialogue_setup, create_post):
    """The relevance test set's posts, written by amina in one topic: their ids by key."""
    ids = {}
    for key, (language, subject, body) in POSTS.items():
        post = create_post(dialogue_setup.topic, subject=subject, body=body, language=language)
        ids[key] = post.id
    return SimpleNamespace(ids=ids, keys={post_id: key for key, post_id in ids.items()})
