"""A logged-in reader's topic page: the reply form with their own token, and on each post the
links to what they may do. The page keeps its pieces (forum.posts.pieces): these tests read it
as a participant, a facilitator and a moderator, and after what changes it."""

import re

import pytest
from flask_babel import force_locale

from forum.accounts import services as accounts
from forum.accounts.models import Role
from forum.dialogues import services as dialogues
from forum.dialogues.forms import offer_first_pseudonym
from forum.dialogues.models import Dialogue
from forum.extensions import db
from forum.moderation import services as moderation
from forum.posts.forms import ReplyForm
from forum.topics import services as topics
from forum.topics.models import Topic

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def conversation(client, dialogue_setup, create_user, create_post):
    """The topic with a post by amina and babar's reply to it; mona moderates."""
    create_user("mona", role=Role.moderator, display_name="Mona")
    topic = dialogue_setup.topic
    first = create_post(topic, by="amina", body="Listening first.")
    second = create_post(topic, by="babar", body="Then acting.", parent_id=first.id)
    return topic, first, second


def form_rendered_anew(app, topic_id: int, username: str, token: str, language: str) -> str:
    """The reply form as posts/_form.html renders a blank ReplyForm, with the given token."""
    with app.test_request_context(), force_locale(language):
        topic = db.session.get(Topic, topic_id)
        form = ReplyForm(formdata=None)
        form.set_questions(topic.questions)
        offer_first_pseudonym(form, topic.dialogue, accounts.find_by_username(username))
        form.csrf_token.current_token = token
        macro = app.jinja_env.get_template("posts/_form.html").module.reply_form
        return str(macro(form, topic))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_reply_form_is_the_form_rendered_anew_with_the_readers_token(
    app, client, conversation, language
):
    topic, _, _ = conversation
    client.login("amina")
    headers = {"Accept-Language": language}
    for _ in range(2):  # rendered, then kept
        page = client.get(topic.url, headers=headers).text
        token = TOKEN.search(page).group(1)
        assert form_rendered_anew(app, topic.id, "amina", token, language) in page
        assert f'<input type="hidden" name="csrf_token" value="{token}">' in page  # the header's


def test_a_newcomer_to_a_pseudonymous_dialogue_is_offered_a_name_in_the_kept_form(
    app, client, conversation, create_dialogue, create_topic, create_post
):
    hidden = create_topic(create_dialogue("safe-space", pseudonymous=True), by="nadia")
    client.login("amina")

    def page() -> str:
        shown = client.get(hidden.url).text
        token = TOKEN.search(shown).group(1)
        assert form_rendered_anew(app, hidden.id, "amina", token, "en") in shown
        return shown

    assert 'name="pseudonym"' in page() and 'name="pseudonym"' in page()  # rendered, then kept
    create_post(hidden, by="amina")
    assert 'name="pseudonym"' not in page()  # she goes by her number now


def test_each_reader_posts_with_their_own_token_from_the_kept_form(app, client, conversation):
    topic, _, _ = conversation
    client.login("amina")
    other = app.test_client()
    other.login("babar")
    mine = TOKEN.search(client.get(topic.url).text).group(1)
    theirs = TOKEN.search(other.get(topic.url).text).group(1)
    assert mine != theirs
    sent = {"csrf_token": theirs, "body": "Not mine to send."}
    assert client.post(f"/t/{topic.id}/reply", data=sent).status_code == 400
    sent = {"csrf_token": mine, "body": "Mine.", "prompt": topic.question_ids[2]}
    posted = client.post(f"/t/{topic.id}/reply", data=sent)
    assert posted.status_code == 302
    assert "answers Q3" in client.get(posted.location).text
    refused = other.post(f"/t/{topic.id}/reply", data={"csrf_token": theirs, "body": " "})
    assert refused.status_code == 422  # shown again by the form class, with its message
    assert "Write something before posting." in refused.text


def test_the_kept_form_follows_the_questions(app, client, conversation):
    topic, _, _ = conversation
    client.login("amina")
    assert ">1. What helps?</option>" in client.get(topic.url).text
    with app.app_context():
        topics.edit_topic(
            db.session.get(Topic, topic.id),
            title="What support do you need?",
            framing="Tell us.",
            questions=["What helps most?", "What does not?", "Who decides?", "When?"],
            by=accounts.find_by_username("lucia"),
        )
        db.session.commit()
    page = client.get(topic.url).text
    assert ">1. What helps most?</option>" in page and "What helps?<" not in page
    assert ">4. When?</option>" in page


def links(page: str, post_id: int) -> set[str]:
    """What the actions under a post offer, by their words."""
    article = page[page.index(f'id="p{post_id}"') :]
    actions = article[article.index('<p class="actions">') : article.index("</article>")]
    return set(re.findall(r">([^<>]+)</a>", actions))


def test_each_post_offers_what_the_reader_may_do(app, client, conversation):
    topic, first, second = conversation
    everyone = {"Permalink"}
    participant = everyone | {"Reply", "Quote", "Report"}
    moderator = participant | {"Content note", "Hide"}
    page = app.test_client().get(topic.url).text
    assert links(page, first.id) == everyone and "Reply to the topic" in page
    client.login("amina")
    page = client.get(topic.url).text
    assert links(page, first.id) == participant | {"Edit"}
    assert links(page, second.id) == participant
    assert f'href="/p/{first.id}/edit"' in page
    assert f'href="/t/{topic.id}/reply?to={second.id}&amp;quote=1#reply"' in page
    assert "Edit the topic" not in page
    lucia = app.test_client()
    lucia.login("lucia")
    page = lucia.get(topic.url).text
    assert links(page, first.id) == participant and "Edit the topic" in page
    mona = app.test_client()
    mona.login("mona")
    page = mona.get(topic.url).text
    assert links(page, first.id) == moderator and "Lock the topic" in page
    with app.app_context():
        moderation.lock_topic(
            db.session.get(Topic, topic.id), by=accounts.find_by_username("mona"), reason="Done"
        )
        db.session.commit()
    page = client.get(topic.url).text  # locked: no reply, and what was said stays as it was
    assert links(page, first.id) == everyone
    assert 'action="/t/' not in page.split('id="reply"')[1]
    assert links(mona.get(topic.url).text, first.id) == everyone | {"Content note", "Hide"}


def test_rights_read_with_the_login_follow_each_assignment(
    app, client, dialogue_setup, create_dialogue, create_topic
):
    another, third = create_dialogue("another", facilitators=["lucia"]), create_dialogue("third")
    elsewhere, other = create_topic(another, by="lucia"), create_topic(third, by="nadia")
    client.login("lucia")  # facilitates two dialogues: both read in the login's statement
    assert "Edit the topic" in client.get(dialogue_setup.topic.url).text
    assert "Edit the topic" in client.get(elsewhere.url).text
    assert "Edit the topic" not in client.get(other.url).text
    with app.app_context():
        lucia = accounts.find_by_username("lucia")
        dialogues.remove_facilitator(db.session.get(Dialogue, another.id), lucia, by=None)
        dialogues.assign_facilitator(db.session.get(Dialogue, third.id), lucia, by=None)
        db.session.commit()
    assert "Edit the topic" not in client.get(elsewhere.url).text
    assert "Edit the topic" in client.get(other.url).text


def test_a_logged_in_page_costs_one_statement_more_than_an_anonymous_one(
    app, client, conversation, queries
):
    topic, _, _ = conversation
    client.get(topic.url + "?view=flat")  # the app's one-off queries

    def statements() -> int:
        with queries() as log:
            assert client.get(topic.url).status_code == 200
        return len(log.statements)

    anonymous = statements()  # built (the next anonymous read is served kept)
    for username in ("amina", "lucia", "mona"):  # participant, facilitator, moderator
        client.login(username)
        client.get(topic.url)  # marks the page read: the next reads write nothing
        assert statements() == anonymous + 1  # the login, with the rights and the header count
        client.post("/logout", data={"csrf_token": client.csrf_token()})
