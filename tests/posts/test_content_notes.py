"""Content notes: a post's text collapsed behind a few words, on every page, feed and mail."""

import html
import re

import feedparser
import pytest
from sqlalchemy import select

from forum.accounts.models import MailMode, Role
from forum.accounts.services import find_by_username
from forum.extensions import db
from forum.moderation.models import Action, LogEntry
from forum.moderation.services import hide_post
from forum.posts import notes
from forum.posts.models import Post, PostRevision
from tests.notifications.test_mail import (
    age,
    follows_topic,
    html_of,
    mails_to,
    settle,
    text_of,
    work,
)

NOTE = "describes sexual violence"
SUMMARY = f"<summary>Content note: {NOTE}</summary>"
BODY = "What happened at the *checkpoint*."
SHOWN = "What happened at the <em>checkpoint</em>."


def collapsed(page: str, shown: str = SHOWN, *, opened: bool = False) -> bool:
    """Whether the page shows `shown` inside a details element summarised by the note."""
    tag = '<details class="content-note" open>' if opened else '<details class="content-note">'
    pattern = (
        re.escape(tag) + r"\s*" + re.escape(SUMMARY) + r"(?:(?!</details>).)*?" + re.escape(shown)
    )
    return re.search(pattern, page, re.S) is not None


def in_order(text: str, *parts: str) -> bool:
    """Whether each part is in the text, each after the one before."""
    found = [text.find(part) for part in parts]
    return -1 not in found and found == sorted(found)


@pytest.fixture
def noted(app, dialogue_setup, create_post):
    """A post with a content note, and a reply to it without one."""
    topic = dialogue_setup.topic
    post = create_post(topic, by="amina", body=BODY, content_note=NOTE,
                       prompt_id=topic.question_ids[0])  # fmt: skip
    answer = create_post(topic, by="babar", body="Thank you for telling us.", parent_id=post.id)
    return topic, post, answer


def test_a_writer_adds_a_note_and_every_view_of_the_topic_collapses_the_post(
    app, client, dialogue_setup
):
    topic = dialogue_setup.topic
    client.login("amina")
    response = client.submit(f"/t/{topic.id}/reply", {"body": BODY, "content_note": f"  {NOTE} "},
                             page=topic.url)  # fmt: skip
    assert response.status_code == 302
    with app.app_context():
        post = db.session.scalar(select(Post))
        assert post.content_note == NOTE
    for view in ("", "?view=flat"):
        page = client.get(topic.url + view).text
        assert collapsed(page) and not collapsed(page, opened=True)
    assert collapsed(client.get(client.get(f"/p/{post.id}").location).text)
    reader = app.test_client()
    assert collapsed(reader.get(topic.url).text)  # for anonymous readers too


def test_answers_to_a_prompt_the_history_and_the_reply_page_collapse_it(client, noted):
    topic, post, _ = noted
    assert collapsed(client.get(f"{topic.url}?prompt={topic.question_ids[0]}").text)
    assert collapsed(client.get(f"/p/{post.id}/history").text)
    client.login("babar")
    assert collapsed(client.get(f"/t/{topic.id}/reply?to={post.id}").text)


def test_a_quote_carries_the_note_and_so_does_the_reply_quoting_it(client, noted):
    topic, post, _ = noted
    client.login("babar")
    page = client.get(f"/t/{topic.id}/reply?to={post.id}&quote=1").text
    textarea = html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1))
    assert textarea.lstrip().startswith(
        f"> **Amina Diallo wrote:**\n>\n> *Content note: {NOTE}*\n>\n> What"
    )
    assert f'name="content_note" type="text" value="{NOTE}"' in page


def test_the_setting_opens_noted_posts_for_that_reader_only(app, client, noted):
    topic, post, _ = noted
    client.login("babar")
    assert collapsed(client.get(topic.url).text)
    profile = client.get("/profile").text
    assert "Open posts with a content note" in profile
    fields = {"display_name": "Babar Khan", "timezone": "", "mail_mode": "daily",
              "opens_noted_posts": "y"}  # fmt: skip
    assert client.submit("/profile", fields).status_code == 302
    assert collapsed(client.get(topic.url).text, opened=True)
    assert collapsed(client.get(f"/p/{post.id}/history").text, opened=True)
    assert collapsed(app.test_client().get(topic.url).text)  # others still see it collapsed
    del fields["opens_noted_posts"]
    client.submit("/profile", fields)
    assert collapsed(client.get(topic.url).text)


def test_the_author_sets_changes_and_removes_the_note_by_editing_history_keeps_it(
    app, client, dialogue_setup, create_post
):
    topic = dialogue_setup.topic
    post = create_post(topic, by="amina", body=BODY)
    client.login("amina")
    edit = f"/p/{post.id}/edit"
    assert 'name="content_note"' in client.get(edit).text
    assert client.submit(edit, {"body": BODY, "content_note": NOTE}).status_code == 302
    assert collapsed(client.get(topic.url).text)
    assert client.submit(edit, {"body": BODY, "content_note": ""}).status_code == 302
    page = client.get(topic.url).text
    assert SHOWN in page and "content-note" not in page
    history = client.get(f"/p/{post.id}/history").text
    assert collapsed(history, html.escape(BODY))  # the version that had the note keeps it
    with app.app_context():
        notes_kept = db.session.scalars(select(PostRevision.content_note).order_by(PostRevision.id))
        assert list(notes_kept) == ["", NOTE]


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("x" * (notes.NOTE_MAX + 1), "A content note has at most 200 characters."),
        ("graphic\x07details", "A content note cannot hold control characters."),
        ("graphic \u202eslaited", "A content note cannot hold control characters."),
    ],
)
def test_a_bad_note_comes_back_with_the_text_intact(app, client, noted, note, message):
    topic, post, _ = noted
    client.login("babar")
    body = "My reply, which I do not want to lose."
    response = client.submit(f"/t/{topic.id}/reply", {"body": body, "content_note": note},
                             page=topic.url)  # fmt: skip
    assert response.status_code == 422
    assert message in response.text and f"{body}</textarea>" in response.text
    assert html.escape(note) in response.text
    author = app.test_client()
    author.login("amina")
    edit = author.submit(f"/p/{post.id}/edit", {"body": body, "content_note": note})
    assert edit.status_code == 422 and f"{body}</textarea>" in edit.text
    with app.app_context():
        assert db.session.get(Post, post.id).content_note == NOTE


def test_the_service_refuses_nul_and_other_control_characters():
    for bad in ("a\x00b", "tab\x1b[31m"):
        with pytest.raises(notes.NoteRefused):
            notes.check_note(bad)
    assert notes.check_note(" describes\n  violence ") == "describes violence"


def test_the_preview_shows_the_note_open_above_the_text(client, dialogue_setup):
    topic = dialogue_setup.topic
    client.login("amina")
    page = client.submit(f"/t/{topic.id}/reply", {"body": BODY, "content_note": NOTE,
                                                  "preview": "1"}, page=topic.url).text  # fmt: skip
    assert collapsed(page, opened=True)


def test_a_moderator_sets_the_note_with_a_reason_logged_with_it(app, client, create_user, noted):
    topic, post, _ = noted
    create_user("grace", role=Role.moderator, display_name="Grace Mutesi")
    client.login("grace")
    assert f'href="/p/{post.id}/content-note"' in client.get(topic.url).text
    url = f"/p/{post.id}/content-note"
    form = client.get(url).text
    assert f'value="{NOTE}"' in form and collapsed(form)
    new = "describes torture"
    refused = client.submit(url, {"note": new, "reason": ""})
    assert refused.status_code == 422 and f'value="{new}"' in refused.text
    assert "Give a reason" in refused.text
    done = client.submit(url, {"note": new, "reason": "Fuller warning, as the author asked."})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(Post, post.id).content_note == new
        [entry] = db.session.scalars(select(LogEntry).where(LogEntry.action == Action.content_note))
        assert entry.post_id == post.id and entry.reason == "Fuller warning, as the author asked."
        [revision] = db.session.scalars(select(PostRevision))
        assert revision.content_note == NOTE and revision.editor.username == "grace"
    log = client.get("/moderation/log").text
    assert "Content note changed" in log and "Fuller warning, as the author asked." in log
    assert "<summary>Content note: describes torture</summary>" in client.get(topic.url).text
    again = client.submit(url, {"note": new, "reason": "Twice."})
    assert again.status_code == 409 and "already has this content note" in again.text


def test_a_hidden_post_shows_no_note_to_readers(app, client, noted):
    topic, post, _ = noted
    with app.app_context():
        hide_post(db.session.get(Post, post.id), by=find_by_username("nadia"), reason="Doxxing.")
        db.session.commit()
    page = client.get(topic.url).text
    assert NOTE not in page and "checkpoint" not in page
    assert NOTE not in client.get(f"/t/{topic.id}/feed.rss").text


def test_feeds_put_the_note_first_and_the_post_below_a_marker(client, noted):
    topic, post, _ = noted
    for url in (f"/t/{topic.id}/feed.rss", "/feed.rss"):
        feed = feedparser.parse(client.get(url).data)
        [item] = [e for e in feed.entries if e.link.endswith(f"/p/{post.id}")]
        assert in_order(item.summary, f"Content note: {NOTE}", str(notes.MARKER), SHOWN)


def test_the_notifications_page_collapses_the_excerpt(app, client, dialogue_setup, create_post):
    topic = dialogue_setup.topic
    first = create_post(topic, by="babar", body="Where do we start?")
    create_post(topic, by="amina", body=BODY, content_note=NOTE, parent_id=first.id)
    client.login("babar")
    assert collapsed(client.get("/notifications").text, "What happened at the checkpoint.")


def test_mail_puts_the_note_first_and_the_post_below_a_marker(
    app, smtp, dialogue_setup, create_post
):
    topic = dialogue_setup.topic
    settle(app, "babar", mode=MailMode.instant)
    settle(app, "lucia", mode=MailMode.daily)
    follows_topic(app, topic, "babar", "lucia")
    create_post(topic, by="amina", body=BODY, content_note=NOTE)
    work(app)
    [mail] = mails_to(smtp, "babar@example.org")
    for shown, body in ((text_of(mail), BODY), (html_of(mail), SHOWN)):
        assert in_order(shown, f"Content note: {NOTE}", str(notes.MARKER), body)
    age(app, "lucia", days=1)
    work(app)
    [digest] = mails_to(smtp, "lucia@example.org")
    for shown in (text_of(digest), html_of(digest)):
        assert in_order(shown, f"Content note: {NOTE}", str(notes.MARKER), "checkpoint")
