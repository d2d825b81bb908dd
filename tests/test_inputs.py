"""Bad input from a request is a 404 or a form error, never a server error (forum/inputs.py)."""

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.posts.models import Post

TOO_BIG = ["2147483648", "9223372036854775808", "18446744073709551616", "0", "-1"]


@pytest.mark.parametrize("number", TOO_BIG)
def test_ids_beyond_the_id_columns_are_not_found(client, dialogue_setup, number):
    for address in (f"/p/{number}", f"/t/{number}", f"/t/{number}/feed.rss", f"/p/{number}/edit"):
        assert client.get(address).status_code == 404, address


@pytest.mark.parametrize("number", [*TOO_BIG, "abc", "1e3", "٣", "9" * 5000])
def test_page_numbers_that_are_no_page_are_not_found(client, dialogue_setup, number):
    topic = dialogue_setup.topic
    for address in (topic.url, "/d/men-as-allies", "/moderation/log", f"{topic.url}?view=flat"):
        joiner = "&" if "?" in address else "?"
        assert client.get(f"{address}{joiner}page={number}").status_code == 404, address
    assert client.get(f"{topic.url}?prompt={number}").status_code == 404
    assert client.get(f"{topic.url}?page=1").status_code == 200


def test_nul_in_an_address_is_not_found(client, dialogue_setup):
    for address in ("/d/men-as%00allies", "/u/am%00ina", "/d/men-as-allies/feed.rss%00"):
        assert client.get(address).status_code == 404, address
    assert client.get("/moderation/log?dialogue=men%00as").status_code == 404


def test_nul_in_a_reply_is_removed_and_the_reply_posted(app, client, dialogue_setup):
    topic = dialogue_setup.topic
    client.login("amina")
    response = client.submit(
        f"/t/{topic.id}/reply", {"subject": "Sub\x00ject", "body": "Peace\x00 first"}
    )
    assert response.status_code == 302
    with app.app_context():
        post = db.session.scalar(select(Post))
        assert (post.subject, post.body_source) == ("Subject", "Peace first")


@pytest.mark.parametrize("parent", ["abc", "2147483648", "9223372036854775808", "-3", "1.5"])
def test_a_reply_to_a_parent_that_cannot_exist_is_a_form_error(client, dialogue_setup, parent):
    topic = dialogue_setup.topic
    client.login("amina")
    page = client.submit(f"/t/{topic.id}/reply", {"body": "My kept words", "parent": parent})
    assert page.status_code == 422
    assert "This form was changed or is out of date" in page.text
    assert "My kept words</textarea>" in page.text
    assert client.get(f"/t/{topic.id}/reply?to={parent}").status_code == 404


def test_a_wrong_slug_redirect_keeps_only_what_the_topic_page_reads(client, dialogue_setup):
    topic = dialogue_setup.topic
    response = client.get(
        f"/t/{topic.id}/old-title?page=1&slug=x&_method=POST&_external=1&_scheme=https&x=y",
        headers={"Host": "evil.example"},
    )
    assert response.status_code == 301
    assert response.location == f"{topic.url}?page=1"


def test_a_form_missing_a_field_reads_it_as_empty(app, client, dialogue_setup):
    client.login("nadia")
    response = client.submit(
        "/dialogues/new", {"title": "Listening", "slug": "listening", "state": "open"},
        page="/dialogues/new",
    )  # fmt: skip
    assert response.status_code == 302
    assert "Listening" in client.get("/d/listening").text
    page = client.submit(
        "/d/men-as-allies/new-topic", {"title": "No framing sent", "questions-0": "Why?"}
    )
    assert page.status_code == 422
    assert "This field is required." in page.text and 'value="No framing sent"' in page.text


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("remember_token", "1|é"),
        ("remember_token", "1|\x00"),
        ("remember_token", "9999999999999999999999|" + "0" * 128),
        ("lang", "fr\x00"),
        ("session", "\u00e9\u00e9"),
    ],
)
def test_cookies_no_browser_was_given_are_ignored(client, dialogue_setup, name, value):
    client.set_cookie(name, value)
    page = client.get(dialogue_setup.topic.url)
    assert page.status_code == 200 and "Log in" in page.text


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("Accept-Language", "fr\x00;q=1, \xe9s"),
        ("If-None-Match", '"\x00", W/"' + "x" * 5000 + '"'),
        ("If-Modified-Since", "Mon, 01 Jan 99999 00:00:00 GMT"),
    ],
)
def test_odd_headers_are_read_safely(client, dialogue_setup, header, value):
    topic = dialogue_setup.topic
    for address in (topic.url, f"/t/{topic.id}/feed.rss"):
        assert client.get(address, headers={header: value}).status_code == 200


def test_an_unusable_host_gets_a_plain_400(client):
    response = client.get("/", headers={"Host": "x" * 64 + ".example"})
    assert response.status_code == 400
    assert response.mimetype == "text/plain" and "Bad request" in response.text
