"""Facilitators pin summaries that cite posts; cited posts say so; everything is logged."""

from sqlalchemy import select

from forum.extensions import db
from forum.moderation.models import Action, LogEntry
from forum.summaries.models import Summary, SummaryRevision


def test_a_facilitator_pins_a_summary_citing_two_posts(app, client, dialogue_setup, create_post):
    topic = dialogue_setup.topic
    first = create_post(topic, by="amina", body="Open doors, then step back.")
    second = create_post(topic, by="babar", body="Agree on who leads.")
    create_post(topic, by="babar", body="Not cited.")
    client.login("lucia")
    response = client.submit(
        f"/t/{topic.id}/summary",
        {
            "source": f"### What we heard\n\n- doors, as #p{first.id} said\n"
            f"- leading, see http://localhost/p/{second.id}",
            "pinned": "y",
        },
    )
    assert response.status_code == 302
    page = client.get(topic.url).text
    assert "Facilitators' summary" in page and "Written by Lucía Pérez" in page
    assert f'<a href="/p/{first.id}" rel="nofollow ugc noopener">#p{first.id}</a>' in page
    assert page.index('id="summary"') < page.index('id="replies"')
    assert page.count("cited in the summary") == 2
    assert 'class="cited" href="#summary"' in page
    assert "Summary" in client.get("/d/men-as-allies").text
    with app.app_context():
        assert db.session.scalar(select(Summary.cited_post_ids)) == [first.id, second.id]
        assert db.session.scalar(select(LogEntry.action)) is Action.pin
    assert "Summary pinned" in client.get("/moderation/log").text


def test_editing_keeps_revisions_and_unpinning_takes_it_down(app, client, dialogue_setup):
    topic = dialogue_setup.topic
    client.login("lucia")
    client.submit(f"/t/{topic.id}/summary", {"source": "First version", "pinned": "y"})
    client.submit(f"/t/{topic.id}/summary", {"source": "Second version", "pinned": "y"})
    history = client.get(f"/t/{topic.id}/summary/history").text
    assert history.index("Second version") < history.index("First version")
    assert "edited once" in client.get(topic.url).text
    response = client.submit(f"/t/{topic.id}/summary/unpin", page=f"/t/{topic.id}/summary")
    assert response.status_code == 302
    assert "Second version" not in client.get(topic.url).text
    with app.app_context():
        assert db.session.scalar(select(SummaryRevision.source)) == "First version"
        actions = list(db.session.scalars(select(LogEntry.action).order_by(LogEntry.id)))
        assert actions == [Action.pin, Action.unpin]


def test_an_edited_summary_and_an_edited_post_agree_in_french_and_spanish(
    client, dialogue_setup, create_post
):
    topic = dialogue_setup.topic
    post = create_post(topic, by="lucia", body="First words")
    client.login("lucia")
    client.submit(f"/p/{post.id}/edit", {"body": "Better words"})
    client.submit(f"/t/{topic.id}/summary", {"source": "First version", "pinned": "y"})
    client.submit(f"/t/{topic.id}/summary", {"source": "Second version", "pinned": "y"})
    page = client.get(topic.url, headers={"Accept-Language": "fr"}).text
    assert "Rédigée par Lucía Pérez" in page  # la synthèse
    assert ">modifiée une fois</a>" in page and ">modifié une fois</a>" in page  # le message
    page = client.get(topic.url, headers={"Accept-Language": "es"}).text
    assert "Escrita por Lucía Pérez" in page  # la síntesis
    assert ">editada una vez</a>" in page and ">editado una vez</a>" in page  # el mensaje


def test_preview_saves_nothing_and_an_empty_summary_is_refused(app, client, dialogue_setup):
    topic = dialogue_setup.topic
    client.login("lucia")
    page = client.submit(f"/t/{topic.id}/summary", {"source": "**Draft**", "preview": "1"})
    assert "<strong>Draft</strong>" in page.text
    page = client.submit(f"/t/{topic.id}/summary", {"source": "  ", "pinned": "y"})
    assert page.status_code == 422 and "Write the summary before saving it." in page.text
    with app.app_context():
        assert db.session.scalar(select(Summary)) is None


def test_a_dialogue_summary_shows_at_the_top_of_the_dialogue(client, dialogue_setup, create_post):
    post = create_post(dialogue_setup.topic, by="amina", body="A key point")
    client.login("lucia")
    client.submit(
        "/d/men-as-allies/summary", {"source": f"Overall, see #p{post.id}.", "pinned": "y"}
    )
    page = client.get("/d/men-as-allies").text
    assert "Facilitators' summary of the dialogue" in page
    topic_page = client.get(dialogue_setup.topic.url).text
    assert 'class="cited" href="/d/men-as-allies#summary"' in topic_page


def test_only_facilitators_of_the_dialogue_and_moderators_write_summaries(
    client, dialogue_setup, create_user, create_dialogue
):
    create_user("omar")
    create_dialogue("another", facilitators=["omar"])
    topic = dialogue_setup.topic
    for username in ("amina", "omar"):
        client.login(username)
        assert client.get(f"/t/{topic.id}/summary").status_code == 403
        assert client.get("/d/men-as-allies/summary").status_code == 403
        client.post("/logout", data={"csrf_token": client.csrf_token("/")})
    assert client.get(f"/t/{topic.id}/summary").status_code == 302  # log in first
    assert client.get("/t/999/summary").status_code == 404
