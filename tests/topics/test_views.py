"""Facilitators open and edit topics; everybody reads them threaded, flat or by question."""

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.posts import threads
from forum.posts.models import Post
from forum.topics.models import PromptQuestion, Topic, TopicRevision


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(threads, "PAGE_SIZE", 5)
    monkeypatch.setattr("forum.posts.reading.PAGE_SIZE", 5)


QUESTIONS = {
    "questions-0": "What support do women peacemakers need from men?",
    "questions-1": "What do they not need?",
    "questions-2": "Who holds allies accountable?",
}


def test_facilitator_opens_a_topic_with_three_numbered_prompt_questions(
    app, client, dialogue_setup
):
    client.login("lucia")
    response = client.submit(
        "/d/men-as-allies/new-topic",
        {"title": "Support, and its limits", "framing": "Tell us **concretely**.", **QUESTIONS},
    )
    assert response.status_code == 302
    page = client.get(response.location).text
    assert "<h1>Support, and its limits</h1>" in page
    assert "<strong>concretely</strong>" in page
    first, second, third = (page.index(q) for q in QUESTIONS.values())
    assert first < second < third
    assert page.count("<li>") >= 3 and '<ol class="questions">' in page
    with app.app_context():
        topic = db.session.scalar(select(Topic).where(Topic.title == "Support, and its limits"))
        assert [q.text for q in topic.questions] == list(QUESTIONS.values())
        assert topic.dialogue.topic_count == 2


def test_participants_cannot_open_topics_unless_the_dialogue_allows_it(
    app, client, dialogue_setup, create_dialogue
):
    client.login("amina")
    assert client.get("/d/men-as-allies/new-topic").status_code == 403
    assert "Open a topic" not in client.get("/d/men-as-allies").text
    create_dialogue("open-floor", allow_participant_topics=True)
    assert client.get("/d/open-floor/new-topic").status_code == 200


def test_a_topic_needs_a_framing_and_one_to_ten_questions_and_keeps_what_was_typed(
    client, dialogue_setup
):
    client.login("lucia")
    page = client.submit(
        "/d/men-as-allies/new-topic", {"title": "Careful title", "framing": "My framing text"}
    )
    assert "Ask between 1 and 10 prompt questions." in page.text
    assert 'value="Careful title"' in page.text and "My framing text" in page.text
    page = client.submit(
        "/d/men-as-allies/new-topic",
        {"title": "Careful title", "framing": "Text", "questions-0": "x" * 501},
    )
    assert "500" in page.text
    assert "x" * 501 in page.text


def test_editing_questions_keeps_answers_on_the_same_question_and_a_revision(
    app, client, dialogue_setup, create_post
):
    topic = dialogue_setup.topic
    create_post(topic, by="amina", body="Listening.", prompt_id=topic.question_ids[1])
    client.login("lucia")
    form = client.get(f"/t/{topic.id}/edit").text
    assert "What does not?" in form
    response = client.submit(
        f"/t/{topic.id}/edit",
        {
            "title": "What support do you need?",
            "framing": "New framing",
            "questions-0": "What helps?",
            "questions-1": "What does not help, in your experience?",
            "questions-2": "",
            "questions-3": "A fourth question",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        questions = db.session.scalars(
            select(PromptQuestion).order_by(PromptQuestion.position)
        ).all()
        assert [q.text for q in questions] == [
            "What helps?",
            "What does not help, in your experience?",
            "A fourth question",
        ]
        post = db.session.scalar(select(Post))
        assert post.prompt_id == topic.question_ids[1]
        revision = db.session.scalar(select(TopicRevision))
        assert revision.questions == ["What helps?", "What does not?", "Who decides?"]
    page = client.get(topic.url).text
    assert "answers Q2" in page
    history = client.get(f"/t/{topic.id}/history").text
    assert "Tell us about *your* experience." in history and "Who decides?" in history


def test_a_question_with_answers_cannot_be_removed(client, dialogue_setup, create_post):
    topic = dialogue_setup.topic
    create_post(topic, body="Listening.", prompt_id=topic.question_ids[0])
    client.login("lucia")
    page = client.submit(
        f"/t/{topic.id}/edit",
        {"title": "T", "framing": "F", "questions-0": "", "questions-1": "Q", "questions-2": "R"},
    )
    assert "Question 1 has answers" in page.text


def test_only_facilitators_of_the_dialogue_and_moderators_edit_a_topic(
    client, dialogue_setup, create_user
):
    from forum.accounts.models import Role

    create_user("grace", role=Role.moderator)
    topic = dialogue_setup.topic
    client.login("amina")
    assert client.get(f"/t/{topic.id}/edit").status_code == 403
    assert "Edit the topic" not in client.get(topic.url).text
    client.post("/logout", data={"csrf_token": client.csrf_token("/")})
    client.login("grace")
    assert client.get(f"/t/{topic.id}/edit").status_code == 200


def test_topic_address_is_canonical(client, dialogue_setup):
    topic = dialogue_setup.topic
    response = client.get(f"/t/{topic.id}/old-title?view=flat")
    assert response.status_code == 301
    assert response.location.endswith(f"{topic.url}?view=flat")
    assert client.get("/t/999/x").status_code == 404
    assert client.get(f"{topic.url}?page=9").status_code == 404


def test_replies_show_as_a_tree_and_flat_and_by_question(client, dialogue_setup, create_post):
    topic = dialogue_setup.topic
    q1, q2, _ = topic.question_ids
    root = create_post(topic, by="amina", subject="Open the door", prompt_id=q1)
    other = create_post(topic, by="babar", subject="Another view", prompt_id=q2)
    child = create_post(topic, by="babar", subject="Re: the door", parent_id=root.id)
    page = client.get(topic.url).text
    assert page.index("Open the door") < page.index("Re: the door") < page.index("Another view")
    assert f'class="post d1" id="p{child.id}"' in page
    assert "answers Q1" in page and "answers Q2" in page
    flat = client.get(f"{topic.url}?view=flat").text
    assert flat.index("Open the door") < flat.index("Another view") < flat.index("Re: the door")
    assert "in reply to Amina Diallo" in flat
    by_question = client.get(f"{topic.url}?prompt={q2}").text
    assert "Another view" in by_question and "Open the door" not in by_question
    assert "1 answer" in page and "Answers to question 2" in by_question
    assert client.get(f"{topic.url}?prompt=999").status_code == 404
    assert other.number == 2


def test_deep_replies_stop_indenting_and_name_whom_they_answer(client, dialogue_setup, create_post):
    topic = dialogue_setup.topic
    parent = create_post(topic, by="amina", body="level 0")
    for level in range(1, 8):
        parent = create_post(topic, by="babar" if level % 2 else "amina", body=f"level {level}",
                             parent_id=parent.id)  # fmt: skip
    page = client.get(topic.url).text
    assert f'class="post d5" id="p{parent.id}"' in page
    assert "in reply to Amina Diallo" in page


def test_reading_marks_posts_read_and_lists_count_what_is_new(
    app, client, dialogue_setup, create_post, queries
):
    topic = dialogue_setup.topic
    create_post(topic, by="babar", body="first")
    client.login("amina")
    page = client.get(topic.url).text
    assert "unread" in page  # shown as new on this first view
    create_post(topic, by="babar", body="second")
    page = client.get(topic.url).text
    assert page.count(" unread") == 1
    with queries() as log:
        client.get(topic.url)
    assert log.writes == []  # nothing new: nothing to write
    response = client.get(f"/t/{topic.id}/first-new")
    assert response.status_code == 302
    third = create_post(topic, by="babar", body="third")
    response = client.get(f"/t/{topic.id}/first-new")
    assert response.location.endswith(f"{topic.url}?page=1#p{third.id}")


def test_first_new_post_points_where_the_reader_stopped_with_its_page_and_anchor(
    client, dialogue_setup, create_post, small_pages
):
    topic = dialogue_setup.topic
    for i in range(3):
        create_post(topic, by="babar", body=f"read {i}")
    client.login("amina")
    client.get(topic.url)  # reads the first three
    made = [create_post(topic, by="babar", body=f"new {i}") for i in range(6)]
    page = client.get(f"{topic.url}?view=flat").text  # this view marks the page read
    assert f'href="/p/{made[0].id}">First new post</a>' in page
    assert f'<a class="new" href="/p/{made[0].id}">6 new</a>' in page
    assert client.get(f"/p/{made[0].id}").location.endswith(f"?page=1#p{made[0].id}")
    # The dialogue's list links the next unread post, which may be on a later page.
    card = client.get(f"/d/{dialogue_setup.dialogue.slug}").text
    assert f'href="/t/{topic.id}/first-new">4 new</a>' in card
    jump = client.get(f"/t/{topic.id}/first-new").location
    assert jump.endswith(f"{topic.url}?page=2#p{made[2].id}")


def test_the_topic_page_counts_posts_and_names_its_last_post(client, dialogue_setup, create_post):
    topic = dialogue_setup.topic
    for i in range(3):
        create_post(topic, by="amina", body=f"post {i}")
    last = create_post(topic, by="babar", body="the last")
    page = client.get(topic.url).text
    assert "4 posts" in page and " new</a>" not in page  # anonymous: nothing is new
    assert "Last post by Babar Khan," in page
    assert f'<a href="/p/{last.id}"><time datetime=' in page
    client.login("lucia")
    assert '<a class="new" href="/p/' in client.get(topic.url).text
    assert " new</a>" not in client.get(topic.url).text  # read now


def test_your_own_post_is_not_new_to_you(client, dialogue_setup, create_post):
    topic = dialogue_setup.topic
    create_post(topic, by="babar", body="From Babar")
    client.login("amina")
    client.get(topic.url)
    response = client.submit(f"/t/{topic.id}/reply", {"body": "My answer"}, page=topic.url)
    assert response.status_code == 302
    page = client.get(topic.url).text
    assert " unread" not in page and "First new post" not in page
    card = client.get(f"/d/{dialogue_setup.dialogue.slug}").text
    assert " new</a>" not in card
    # Written elsewhere (another device, or before the reader had read the rest): still not
    # badged, while the post the reader has not seen is.
    create_post(topic, by="babar", body="Unseen")
    create_post(topic, by="amina", body="From my phone")
    page = client.get(topic.url).text
    assert page.count('class="badge new"') == 1
    assert page.index('class="badge new"') < page.index("Unseen") < page.index("From my phone")
