"""Participants reply, preview, quote, answer prompts and edit; bad input loses nothing."""

import html
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from forum.accounts.models import Role
from forum.accounts.services import create_user, find_by_username, update_profile
from forum.extensions import db
from forum.moderation.services import hide_post
from forum.posts import notes
from forum.posts.models import Post, PostRevision
from forum.posts.services import reply
from forum.topics.models import PromptQuestion, Topic
from forum.topics.services import open_topic
from tests.databases import POSTGRES_URL
from tests.search.test_xss import search_is_harmless
from tests.test_text import dangers, payloads


def reply_url(topic, **args) -> str:
    query = urlencode(args)
    return f"/t/{topic.id}/reply" + (f"?{query}" if query else "")


def count_posts(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Post.id)))


def test_a_participant_replies_answering_a_prompt_question(app, client, dialogue_setup):
    topic = dialogue_setup.topic
    client.login("amina")
    response = client.submit(
        reply_url(topic),
        {
            "subject": "Open the door",
            "body": "Then **step back**.",
            "prompt": topic.question_ids[1],
        },
        page=topic.url,
    )
    assert response.status_code == 302
    with app.app_context():
        post = db.session.scalar(select(Post))
        assert response.location.endswith(f"{topic.url}?page=1#p{post.id}")
        assert post.body_html == "<p>Then <strong>step back</strong>.</p>"
        topic_row = db.session.get(Topic, topic.id)
        assert (topic_row.post_count, topic_row.last_post_id) == (1, post.id)
        assert topic_row.dialogue.post_count == 1
        assert db.session.get(PromptQuestion, topic.question_ids[1]).answer_count == 1
    page = client.get(response.location).text
    assert "Open the door" in page and "answers Q2" in page and "Amina Diallo" in page


def test_preview_shows_the_rendered_reply_and_posts_nothing(app, client, dialogue_setup):
    topic = dialogue_setup.topic
    client.login("amina")
    page = client.submit(
        reply_url(topic), {"subject": "Draft", "body": "A *draft* reply", "preview": "Preview"}
    )
    assert page.status_code == 200
    assert "<em>draft</em>" in page.text
    assert "A *draft* reply</textarea>" in page.text and 'value="Draft"' in page.text
    assert count_posts(app) == 0


def test_quote_prefills_the_reply_with_the_first_paragraph(client, dialogue_setup, create_post):
    topic = dialogue_setup.topic
    body = "> **Amina wrote:**\n>\n> Earlier.\n\nMen should listen first.\n\nThen act."
    quoted = create_post(topic, by="babar", body=body)
    client.login("amina")
    page = client.get(reply_url(topic, to=quoted.id, quote=1)).text
    assert "&gt; **Babar Khan wrote:**\n&gt;\n&gt; Men should listen first.\n\n</textarea>" in page
    assert "Then act.\n\n</textarea>" not in page and "&gt; Earlier." not in page
    assert f'name="parent" type="hidden" value="{quoted.id}"' in page
    assert "Reply to Babar Khan" in page


def test_quote_takes_the_chosen_passage_only_if_the_post_says_it(
    client, dialogue_setup, create_post
):
    topic = dialogue_setup.topic
    body = "Men should *listen* first.\n\nThen act, and\nkeep acting."
    quoted = create_post(topic, by="babar", body=body)
    client.login("amina")

    def quoting(passage):
        page = client.get(reply_url(topic, to=quoted.id, quote=passage)).text
        return page.split('name="body"', 1)[1].split("</textarea>", 1)[0]

    # As selected on the page (rendered text, lines as the browser gives them).
    assert "&gt; Then act, and keep acting.\n" in quoting("Then act, and keep acting.")
    assert "&gt; should listen first.\n&gt;\n&gt; Then act" in quoting(
        "should listen first.\n\nThen act"
    )
    assert "&gt; Men should *listen* first." in quoting("Men should *listen* first.")  # source
    forged = quoting("Men should never listen.")
    assert "never" not in forged and "&gt; Men should *listen* first." in forged


def test_the_quote_header_speaks_the_writers_language(client, dialogue_setup, create_post):
    topic = dialogue_setup.topic
    quoted = create_post(topic, by="babar", body="Escuchar primero.")
    client.login("amina")
    client.post("/language/fr", data={"csrf_token": client.csrf_token()})
    page = client.get(reply_url(topic, to=quoted.id, quote=1)).text
    assert "&gt; **Babar Khan a écrit :**" in page and "wrote:" not in page


def test_a_name_quoted_shows_as_written_and_formats_nothing(
    app, client, dialogue_setup, create_post, create_user
):
    topic = dialogue_setup.topic
    create_user("zed", display_name="Zed #p99999 **[x](#p1)**")
    quoted = create_post(topic, by="zed", body="Listen first.")
    client.login("amina")
    page = client.get(reply_url(topic, to=quoted.id, quote=1)).text
    body = page.split('name="body"', 1)[1].split(">", 1)[1].split("</textarea>", 1)[0]
    response = client.submit(reply_url(topic), {"body": html.unescape(body) + "Agreed."})
    assert response.status_code == 302
    answer = client.get(response.headers["Location"], follow_redirects=True).text
    assert "Zed #p99999 **[x](#p1)** wrote:</strong>" in html.unescape(answer)


def test_a_hidden_post_cannot_be_quoted(app, client, dialogue_setup, create_post, create_user):
    topic = dialogue_setup.topic
    quoted = create_post(topic, by="babar", body="Something abusive.")
    create_user("grace", role=Role.moderator, display_name="Grace Mutesi")
    with app.app_context():
        hide_post(db.session.get(Post, quoted.id), by=find_by_username("grace"), reason="Abuse")
        db.session.commit()
    client.login("grace")  # even a moderator, who may see it
    for passage in ("1", "Something abusive."):
        response = client.get(reply_url(topic, to=quoted.id, quote=passage))
        textarea = response.text.split('name="body"', 1)[1].split("</textarea>", 1)[0]
        assert "abusive" not in textarea and "wrote:" not in textarea


def test_a_reply_to_a_post_lands_under_it(app, client, dialogue_setup, create_post):
    topic = dialogue_setup.topic
    parent = create_post(topic, by="babar", subject="Parent")
    create_post(topic, by="babar", subject="Later root")
    client.login("amina")
    client.submit(
        reply_url(topic),
        {"subject": "Child", "body": "Yes.", "parent": parent.id},
        page=reply_url(topic, to=parent.id),
    )
    page = client.get(topic.url).text
    assert page.index("Parent") < page.index("Child") < page.index("Later root")
    with app.app_context():
        child = db.session.scalar(select(Post).where(Post.subject == "Child"))
        assert (child.parent_id, child.depth) == (parent.id, 1)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"body": "   "}, "Write something before posting."),
        ({"body": "x" * 20_001}, "20000"),
        ({"body": "😀" * 20_001}, "20000"),  # 240 kB sent: a message and the text, not a 413
        ({"body": "Kept text", "subject": "s" * 201}, "200"),
        ({"body": "Kept text", "prompt": "999"}, "This prompt question is not part of the topic."),
    ],
)
def test_bad_replies_are_refused_with_a_message_and_the_text_intact(
    app, client, dialogue_setup, fields, message
):
    client.login("amina")
    page = client.submit(reply_url(dialogue_setup.topic), fields)
    assert page.status_code == 422
    assert message in page.text
    if fields["body"].strip():
        assert fields["body"] in page.text
    assert count_posts(app) == 0


def test_replying_to_a_post_of_another_topic_or_a_missing_post_is_404(
    app, client, dialogue_setup, create_topic, create_post
):
    other = create_topic(dialogue_setup.dialogue, title="Other")
    foreign = create_post(other)
    client.login("amina")
    topic = dialogue_setup.topic
    assert client.get(reply_url(topic, to=foreign.id)).status_code == 404
    assert client.get(reply_url(topic, to=999)).status_code == 404
    token = client.csrf_token(topic.url)
    response = client.post(
        reply_url(topic), data={"csrf_token": token, "body": "x", "parent": foreign.id}
    )
    assert response.status_code == 404
    assert count_posts(app) == 1


def test_a_closed_dialogue_refuses_the_reply_and_gives_the_text_back(app, client, dialogue_setup):
    topic = dialogue_setup.topic
    client.login("amina")
    token = client.csrf_token(topic.url)
    with app.app_context():
        db.session.get(Topic, topic.id).dialogue.state = "closed"
        db.session.commit()
    response = client.post(
        reply_url(topic), data={"csrf_token": token, "body": "My careful words", "subject": "S"}
    )
    assert response.status_code == 409
    assert "This dialogue is closed" in response.text
    assert "My careful words</textarea>" in response.text
    assert count_posts(app) == 0
    assert "Reply to the topic" in client.get(topic.url).text
    assert 'name="body"' not in client.get(topic.url).text


def test_anonymous_readers_are_asked_to_log_in_to_reply(app, client, dialogue_setup):
    topic = dialogue_setup.topic
    assert "Log in to reply" in client.get(topic.url).text
    response = client.get(reply_url(topic))
    assert response.status_code == 302 and "/login" in response.location
    response = client.post(reply_url(topic), data={"body": "hi"})
    assert response.status_code in (302, 400)
    assert count_posts(app) == 0


def test_authors_edit_their_posts_and_the_history_keeps_every_version(
    app, client, dialogue_setup, create_post
):
    topic = dialogue_setup.topic
    post = create_post(topic, by="amina", subject="First", body="First words")
    client.login("amina")
    for words in ("Second words", "Third words"):
        response = client.submit(f"/p/{post.id}/edit", {"subject": "First", "body": words})
        assert response.status_code == 302
    page = client.get(topic.url).text
    assert "Third words" in page and "edited 2 times" in page
    history = client.get(f"/p/{post.id}/history").text
    assert (
        history.index("Third words") < history.index("Second words") < history.index("First words")
    )
    assert "Before the edit by Amina Diallo" in history
    with app.app_context():
        assert db.session.scalar(select(func.count(PostRevision.id))) == 2


def test_nobody_edits_another_persons_post(client, dialogue_setup, create_post):
    post = create_post(dialogue_setup.topic, by="amina")
    client.login("babar")
    assert client.get(f"/p/{post.id}/edit").status_code == 403
    response = client.submit(f"/p/{post.id}/edit", {"body": "hijack"}, page="/")
    assert response.status_code == 403
    assert "Edit</a>" not in client.get(dialogue_setup.topic.url).text


def test_editing_with_preview_changes_nothing_until_saved(app, client, dialogue_setup, create_post):
    post = create_post(dialogue_setup.topic, by="amina", body="Original")
    client.login("amina")
    page = client.submit(f"/p/{post.id}/edit", {"body": "Changed *text*", "preview": "Preview"})
    assert "<em>text</em>" in page.text
    with app.app_context():
        assert db.session.get(Post, post.id).body_source == "Original"


def test_permalink_of_an_unknown_post_is_404(client, dialogue_setup):
    assert client.get("/p/12345").status_code == 404


def as_note(payload: str) -> str:
    """The payload as a content note, if the forum keeps it as one."""
    try:
        return notes.check_note(payload[:200])
    except notes.NoteRefused:
        return ""


# The corpus in four parts, each a test of its own: the parallel runs share them out. On
# PostgreSQL, where only search makes something else of text (ts_headline), one part.
PARTS = 4


@pytest.mark.parametrize("part", range(1 if POSTGRES_URL else PARTS))
def test_every_corpus_payload_is_harmless_in_titles_subjects_bodies_names_and_search(
    app, client, dialogue_setup, part
):
    baseline = dangers(client.get(dialogue_setup.topic.url).text)
    dialogue_baseline = dangers(client.get("/d/men-as-allies").text)
    corpus = [p for p in payloads() if p.strip()][part::PARTS]
    chunks = [corpus[i : i + 50] for i in range(0, len(corpus), 50)]
    with app.app_context():
        dialogue = db.session.get(Topic, dialogue_setup.topic.id).dialogue
        facilitator = find_by_username("lucia")
        topic_ids = []
        for n, chunk in enumerate(chunks):
            author = create_user(
                username=f"writer{n}",
                email=f"writer{n}@example.org",
                password="a long enough password",
                display_name=chunk[0][:80],
            )
            update_profile(author, organisation=chunk[-1][:120])
            topics = [
                open_topic(dialogue, title=p[:200], framing=p, questions=[p[:500]], by=facilitator)
                for p in chunk
            ]
            for payload in chunk:
                reply(topics[0], by=author, subject=payload[:200], body=payload,
                      content_note=as_note(payload))  # fmt: skip
            topic_ids.append(topics[0].id)
        db.session.commit()
    for topic_id in topic_ids:
        page = client.get(f"/t/{topic_id}", follow_redirects=True)
        assert dangers(page.text) == baseline, page.text
    pages = len(corpus) // 30 + 1
    for n in range(1, pages + 1):
        page = client.get(f"/d/men-as-allies?page={n}")
        assert dangers(page.text) == dialogue_baseline, page.text
    search_is_harmless(client, corpus)
