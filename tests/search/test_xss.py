"""Search shows what others wrote, cut into passages with words marked, and echoes what the
searcher typed: the XSS corpus in posts and in queries comes out as text."""

from forum.accounts.services import find_by_username
from forum.extensions import db
from forum.posts.services import reply
from forum.topics.models import Topic
from tests.posts.test_views import as_note
from tests.test_text import dangers, payloads

WORDS = ("alert", "script", "img", "onerror", "javascript", "svg", "iframe", "style", "src")


def test_every_corpus_payload_is_harmless_in_results_and_in_the_query(app, client, dialogue_setup):
    baseline = dangers(client.get("/search?q=nothing+matches+this").text)
    corpus = [p for p in payloads() if p.strip()]
    with app.app_context():
        topic = db.session.get(Topic, dialogue_setup.topic.id)
        author = find_by_username("amina")
        for payload in corpus:
            reply(topic, by=author, subject=payload[:200], body=payload,
                  content_note=as_note(payload))  # fmt: skip
        db.session.commit()
    for word in WORDS:
        for page in (1, 2, 3):
            for args in ({"sort": "newest"}, {}):
                response = client.get("/search", query_string={"q": word, "page": page, **args})
                assert response.status_code == 200
                assert dangers(response.text) == baseline, (word, page)
    for payload in corpus[::7]:
        response = client.get("/search", query_string={"q": payload[:300]})
        assert response.status_code == 200
        assert dangers(response.text) == baseline, payload
