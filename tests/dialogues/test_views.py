"""Admins create dialogues and assign facilitators; everybody reads the lists."""

from sqlalchemy import select

from forum.dialogues.models import Dialogue, DialogueState, Facilitator
from forum.extensions import db
from forum.topics.models import Topic


def test_admin_creates_a_dialogue_and_assigns_a_facilitator(app, client, dialogue_setup):
    client.login("nadia")
    response = client.submit(
        "/dialogues/new",
        {
            "title": "Financing women mediators",
            "slug": "financing",
            "description": "Who pays, and **who decides**?",
            "state": "open",
        },
    )
    assert response.status_code == 302
    assert response.location.endswith("/d/financing/facilitators")
    page = client.submit("/d/financing/facilitators", {"username": "Amina"}, follow_redirects=True)
    assert "Amina Diallo now facilitates this dialogue." in page.text
    shown = client.get("/d/financing").text
    assert "<strong>who decides</strong>" in shown
    assert "Facilitated by" in shown and "Amina Diallo" in shown
    with app.app_context():
        dialogue = db.session.scalar(select(Dialogue).where(Dialogue.slug == "financing"))
        assert [p.username for p in dialogue.facilitators] == ["amina"]


def test_a_bad_or_taken_address_is_refused_and_the_form_keeps_what_was_typed(
    client, dialogue_setup
):
    client.login("nadia")
    for slug, message in (
        ("Not A Slug!", "lowercase letters"),
        ("men-as-allies", "Another dialogue already has this address."),
    ):
        page = client.submit(
            "/dialogues/new", {"title": "My careful title", "slug": slug, "state": "open"}
        )
        assert page.status_code == 422
        assert message in page.text
        assert 'value="My careful title"' in page.text


def test_only_admins_reach_the_dialogue_admin_pages(client, dialogue_setup):
    assert client.get("/dialogues/new").status_code == 302  # anonymous: log in first
    client.login("lucia")
    for url in ("/dialogues/new", "/d/men-as-allies/edit", "/d/men-as-allies/facilitators"):
        assert client.get(url).status_code == 403
    response = client.submit("/d/men-as-allies/facilitators/lucia/remove", page="/d/men-as-allies")
    assert response.status_code == 403


def test_admin_removes_a_facilitator_who_then_cannot_open_topics(app, client, dialogue_setup):
    client.login("nadia")
    page = client.submit(
        "/d/men-as-allies/facilitators/lucia/remove",
        page="/d/men-as-allies/facilitators",
        follow_redirects=True,
    )
    assert "no longer facilitates" in page.text
    with app.app_context():
        assert db.session.scalars(select(Facilitator)).all() == []
    client.post("/logout", data={"csrf_token": client.csrf_token("/")})
    client.login("lucia")
    assert client.get("/d/men-as-allies/new-topic").status_code == 403


def test_closing_a_dialogue_stops_replies_and_archiving_lists_it_apart(app, client, dialogue_setup):
    client.login("nadia")
    client.submit(
        "/d/men-as-allies/edit", {"title": "Men as allies", "state": "archived", "description": ""}
    )
    with app.app_context():
        assert db.session.scalar(select(Dialogue.state)) is DialogueState.archived
    front = client.get("/").text
    assert front.index("Archived dialogues") < front.index("Men as allies")
    assert "kept for reading" in client.get("/d/men-as-allies").text


def test_front_page_lists_dialogues_with_counts_and_last_activity(
    client, dialogue_setup, create_post
):
    create_post(dialogue_setup.topic, by="amina")
    create_post(dialogue_setup.topic, by="babar")
    front = client.get("/").text
    assert "1 topic" in front
    assert "2 posts" in front
    assert "last post by Babar Khan" in front


def test_dialogue_page_lists_topics_with_new_counts_sticky_first(
    app, client, dialogue_setup, create_topic, create_post
):
    later = create_topic(dialogue_setup.dialogue, title="A later topic")
    first = dialogue_setup.topic
    create_post(later, by="babar")
    for _ in range(3):
        create_post(first, by="babar")
    client.login("amina")
    page = client.get("/d/men-as-allies").text
    assert page.index("What support do you need?") < page.index("A later topic")  # last activity
    assert "3 posts" in page and "3 new" in page
    client.get(first.url)
    page = client.get("/d/men-as-allies").text
    assert "3 new" not in page
    create_post(first, by="babar")
    assert "1 new" in client.get("/d/men-as-allies").text
    with app.app_context():
        db.session.get(Topic, later.id).is_sticky = True
        db.session.commit()
    page = client.get("/d/men-as-allies").text
    assert page.index("A later topic") < page.index("What support do you need?")
    assert "Sticky" in page
