"""A hidden post shows nothing it said, subject included, to anyone but the moderators."""

import pytest

from forum.accounts.models import Role
from forum.accounts.services import find_by_username
from forum.extensions import db
from forum.moderation.services import hide_post
from forum.posts.models import Post
from forum.summaries.services import save_summary
from forum.topics.models import Topic

SUBJECT = "Call Babar on 555-0199"
BODY = "His home address is 12 Rue Secrète."


@pytest.fixture
def hidden(app, dialogue_setup, create_user, create_post):
    """A post with an identifying subject, answering a question, cited by the summary, then
    hidden; a reply under it stays."""
    create_user("grace", role=Role.moderator, display_name="Grace Mutesi")
    topic = dialogue_setup.topic
    post = create_post(topic, by="babar", subject=SUBJECT, body=BODY,
                       prompt_id=topic.question_ids[0])  # fmt: skip
    create_post(topic, by="amina", body="A reply that stays", parent_id=post.id)
    with app.app_context():
        topic_row = db.session.get(Topic, topic.id)
        save_summary(topic_row, source=f"As #p{post.id} said.", pinned=True,
                     by=find_by_username("lucia"))  # fmt: skip
        hide_post(db.session.get(Post, post.id), by=find_by_username("grace"), reason="Doxxing.")
        db.session.commit()
    return post


def pages(client, topic, post) -> dict[str, str]:
    """Every page and feed on which a reader meets the post or news of it."""
    return {
        "threaded": client.get(topic.url).text,
        "flat": client.get(f"{topic.url}?view=flat").text,
        "answers": client.get(f"{topic.url}?prompt={topic.question_ids[0]}").text,
        "permalink": client.get(f"/p/{post.id}", follow_redirects=True).text,
        "topic feed": client.get(f"/t/{topic.id}/feed.rss").text,
        "site feed": client.get("/feed.rss").text,
        "log": client.get("/moderation/log").text,
        "log feed": client.get("/moderation/log/feed.rss").text,
        "front page": client.get("/").text,
        "dialogue": client.get("/d/men-as-allies").text,
        # (what the search box holds is on its page: words of the post not in the query)
        "search": client.get("/search", query_string={"q": "home address"}).text,
        "search of the subject": client.get("/search", query_string={"q": "call"}).text,
        "search asking for hidden posts": client.get(
            "/search", query_string={"q": "home", "hidden": "1"}
        ).text,
        "API posts": client.get(f"/api/v1/topics/{topic.id}/posts").text,
        "API answers": client.get(
            f"/api/v1/topics/{topic.id}/posts?question={topic.question_ids[0]}"
        ).text,
        "API post": client.get(f"/api/v1/posts/{post.id}").text,
        "API topic": client.get(f"/api/v1/topics/{topic.id}").text,
        "API log": client.get("/api/v1/moderation/log").text,
    }


@pytest.mark.parametrize("who", [None, "amina", "lucia", "babar"])
def test_a_hidden_post_says_nothing_to_readers(client, dialogue_setup, hidden, who):
    if who:
        client.login(who)
    for place, page in pages(client, dialogue_setup.topic, hidden).items():
        assert SUBJECT not in page, place
        assert "555-0199" not in page, place
        assert "Rue Secrète" not in page, place
    page = client.get(dialogue_setup.topic.url).text
    assert "This post was hidden by the moderators: Doxxing." in page
    assert "Reply from Babar Khan" in page and "A reply that stays" in page


def test_moderators_still_read_a_hidden_post(client, dialogue_setup, hidden):
    client.login("grace")
    topic = dialogue_setup.topic
    for address in (topic.url, f"{topic.url}?view=flat", f"/p/{hidden.id}"):
        page = client.get(address, follow_redirects=True).text
        assert SUBJECT in page and "Rue Secrète" in page, address
    # ... and the same pieces, kept per worker, still say nothing to the others.
    client.post("/logout", data={"csrf_token": client.csrf_token("/")})
    assert SUBJECT not in client.get(topic.url).text


def test_quoting_a_hidden_post_quotes_nothing_even_for_a_moderator(client, dialogue_setup, hidden):
    client.login("grace")
    page = client.get(f"/t/{dialogue_setup.topic.id}/reply?to={hidden.id}&quote=1").text
    body = page.split('name="body"', 1)[1].split("</textarea>", 1)[0]
    assert "Rue Secrète" not in body and "wrote:" not in body
    client.post("/logout", data={"csrf_token": client.csrf_token("/")})
    client.login("amina")
    response = client.get(f"/t/{dialogue_setup.topic.id}/reply?to={hidden.id}&quote=1")
    assert response.status_code == 404


def test_the_report_queue_is_for_moderators_only(client, hidden):
    client.login("amina")
    response = client.get("/moderation/reports")
    assert response.status_code == 403 and SUBJECT not in response.text


def test_a_hidden_post_offers_no_history_and_tells_its_author_why_it_is_frozen(
    app, client, dialogue_setup, create_post, create_user
):
    create_user("grace", role=Role.moderator)
    topic = dialogue_setup.topic
    post = create_post(topic, by="babar", body="First words.")
    client.login("babar")
    client.submit(f"/p/{post.id}/edit", {"body": "Second words."})
    assert "edited once" in client.get(topic.url).text
    with app.app_context():
        hide_post(db.session.get(Post, post.id), by=find_by_username("grace"), reason="Spam.")
        db.session.commit()
    assert "edited once" not in client.get(topic.url).text
    assert client.get(f"/p/{post.id}/history").status_code == 404
    refusal = client.get(f"/p/{post.id}/edit")
    assert refusal.status_code == 403
    assert "The moderators hid this post: it can no longer be edited." in refusal.text
