"""Search shows what others wrote, cut into passages with words marked, and echoes what the
searcher typed: the XSS corpus in posts and in queries comes out as text."""

from tests.test_text import dangers

WORDS = ("alert", "script", "img", "onerror", "javascript", "svg", "iframe", "style", "src")


def search_is_harmless(client, corpus: list[str]) -> None:
    """Search for words of the corpus, then with payloads as queries: nothing comes out as markup.

    Called by tests/posts/test_views.py's corpus test, which has just written every payload as
    a topic's title, framing and question and as a post's subject, text and content note,
    through the services (which index them): the corpus is written once for both.
    """
    baseline = dangers(client.get("/search?q=nothing+matches+this").text)
    for word in WORDS:
        for page in (1, 2, 3):
            for args in ({"sort": "newest"}, {}):
                response = client.get("/search", query_string={"q": word, "page": page, **args})
                assert response.status_code == 200
                assert "<mark>" in response.text or page > 1, word
                assert dangers(response.text) == baseline, (word, page)
    for payload in corpus[::7]:
        response = client.get("/search", query_string={"q": payload[:300]})
        assert response.status_code == 200
        assert dangers(response.text) == baseline, payload
