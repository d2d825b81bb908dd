"""Facilitators write a conclusion under each prompt question; it shows where the question does."""

from sqlalchemy import select

from forum.conclusions.models import Conclusion, ConclusionRevision
from forum.conclusions.services import SOURCE_MAX, conclusions_by_question
from forum.extensions import db


def conclusion_url(topic, question: int = 0) -> str:
    return f"/t/{topic.id}/questions/{topic.question_ids[question]}/conclusion"


def under_question(page: str, topic, question: int) -> str:
    """The topic page's list item of one prompt question."""
    items = page.split('<ol class="questions">')[1].split("</ol>")[0].split("<li>")
    return items[question + 1]


def test_a_facilitator_concludes_a_question_citing_posts(app, client, dialogue_setup, create_post):
    topic = dialogue_setup.topic
    first = create_post(topic, by="amina", body="Open doors, then step back.")
    second = create_post(topic, by="babar", body="Agree on who leads.")
    client.login("lucia")
    response = client.submit(
        conclusion_url(topic, 1),
        {
            "source": f"Men **open doors** (#p{first.id}), women lead: http://localhost/p/{second.id}"
        },
    )
    assert response.status_code == 302
    assert response.location.endswith(f"{topic.url}#conclusion-{topic.question_ids[1]}")
    page = client.get(topic.url).text
    item = under_question(page, topic, 1)
    assert "What does not?" in item and "Conclusion to question 2" in item
    assert "<strong>open doors</strong>" in item
    assert f'<a href="/p/{first.id}" rel="nofollow ugc noopener">#p{first.id}</a>' in item
    assert "Conclusion" not in under_question(page, topic, 0)
    cited = (
        f'class="cited" href="#conclusion-{topic.question_ids[1]}">cited in the conclusion to Q2'
    )
    assert page.count(cited) == 2
    with app.app_context():
        conclusion = db.session.scalar(select(Conclusion))
        assert conclusion.cited_post_ids == [first.id, second.id]
        assert conclusion.question_id == topic.question_ids[1] and conclusion.topic_id == topic.id
        assert conclusions_by_question([topic.id]) == {topic.question_ids[1]: conclusion}
    # The dialogue's page shows the topic's questions with their conclusions.
    overview = client.get("/d/men-as-allies").text
    card = overview.split('<ol class="concluded"')[1].split("</ol>")[0]
    assert card.index("What helps?") < card.index("No conclusion yet.") < card.index("What does")
    assert "<strong>open doors</strong>" in card


def test_a_post_cited_by_the_summary_and_a_conclusion_says_both(
    client, dialogue_setup, create_post
):
    topic = dialogue_setup.topic
    post = create_post(topic, by="amina", body="A key point.")
    client.login("lucia")
    client.submit(f"/t/{topic.id}/summary", {"source": f"See #p{post.id}.", "pinned": "y"})
    client.submit(conclusion_url(topic, 0), {"source": f"As #p{post.id} said."})
    header = client.get(topic.url).text.split(f'id="p{post.id}"')[1].split("</header>")[0]
    assert "cited in the summary" in header and "cited in the conclusion to Q1" in header


def test_editing_keeps_the_earlier_text_readable_by_everyone(app, client, dialogue_setup):
    topic = dialogue_setup.topic
    client.login("lucia")
    client.submit(conclusion_url(topic), {"source": "First version"})
    feed = client.get(f"/t/{topic.id}/feed.rss").headers["ETag"]
    client.submit(conclusion_url(topic), {"source": "Second version"})
    assert client.get(f"/t/{topic.id}/feed.rss").headers["ETag"] != feed  # its validator moved
    client.submit(conclusion_url(topic), {"source": "Second version"})  # unchanged: no revision
    page = client.get(topic.url).text
    history = f"{conclusion_url(topic)}/history"
    assert f'<a href="{history}">edited once</a>' in page
    reader = app.test_client()
    text = reader.get(history).text
    assert text.index("Second version") < text.index("First version")
    assert "Before the edit by Lucía Pérez" in text
    with app.app_context():
        assert db.session.scalar(select(ConclusionRevision.source)) == "First version"
        assert db.session.scalar(select(Conclusion.edit_count)) == 1
    assert (
        reader.get(
            f"/t/{topic.id}/questions/{topic.question_ids[1]}/conclusion/history"
        ).status_code
        == 404
    )


def test_refused_texts_come_back_as_typed_and_nothing_is_saved(app, client, dialogue_setup):
    topic = dialogue_setup.topic
    client.login("lucia")
    page = client.submit(conclusion_url(topic), {"source": "   "})
    assert page.status_code == 422 and "Write the conclusion before saving it." in page.text
    long = "word " * (SOURCE_MAX // 5) + "and more"
    page = client.submit(conclusion_url(topic), {"source": long})
    assert page.status_code == 422
    assert f"A conclusion has at most {SOURCE_MAX} characters." in page.text
    assert long in page.text and "maxlength" not in page.text
    page = client.submit(conclusion_url(topic), {"source": "As #p999999 said."})
    assert page.status_code == 422 and "999999" in page.text
    assert "As #p999999 said.</textarea>" in page.text
    page = client.submit(conclusion_url(topic), {"source": "*Draft*", "preview": "1"})
    assert page.status_code == 200 and "<em>Draft</em>" in page.text
    with app.app_context():
        assert db.session.scalar(select(Conclusion)) is None


def test_a_question_of_another_topic_or_none_is_not_found(client, dialogue_setup, create_topic):
    other = create_topic(dialogue_setup.dialogue, title="Another topic")
    topic = dialogue_setup.topic
    client.login("lucia")
    for url in (
        f"/t/{topic.id}/questions/{other.question_ids[0]}/conclusion",
        f"/t/{topic.id}/questions/2147483647/conclusion",
        f"/t/{topic.id}/questions/99999999999/conclusion",
        f"/t/99999/questions/{topic.question_ids[0]}/conclusion",
    ):
        assert client.get(url).status_code == 404
        assert client.submit(url, {"source": "Kept?"}, page="/").status_code == 404


def test_only_the_dialogues_facilitators_and_moderators_conclude(
    client, dialogue_setup, create_user, create_dialogue
):
    create_user("omar")
    create_dialogue("another", facilitators=["omar"])
    topic = dialogue_setup.topic
    assert client.get(conclusion_url(topic)).status_code == 302  # log in first
    for username in ("amina", "omar"):
        client.login(username)
        assert client.get(conclusion_url(topic)).status_code == 403
        refused = client.submit(conclusion_url(topic), {"source": "Mine"}, page="/")
        assert refused.status_code == 403
        assert "Write a conclusion" not in client.get(topic.url).text
        client.post("/logout", data={"csrf_token": client.csrf_token("/")})
    client.login("lucia")
    assert "Write a conclusion to question 1" in client.get(topic.url).text


def test_the_dialogue_page_costs_the_same_for_one_or_many_concluded_topics(
    app, client, dialogue_setup, create_topic, create_post, queries
):
    topic = dialogue_setup.topic
    post = create_post(topic, by="amina", body="A point.")
    client.login("lucia")
    client.submit("/d/men-as-allies/summary", {"source": f"See #p{post.id}.", "pinned": "y"})
    client.submit(conclusion_url(topic), {"source": "One conclusion."})

    def count():
        with queries() as log:
            page = client.get("/d/men-as-allies").text
        assert "since this summary was last edited" in page
        return len(log.statements), page.count('<div class="conclusion">')

    count()
    one = count()
    for n in range(3):
        other = create_topic(dialogue_setup.dialogue, title=f"Topic {n}")
        create_post(other, by="babar", body="More.", prompt_id=other.question_ids[1])
        for question in range(3):
            client.submit(conclusion_url(other, question), {"source": f"Concluded {question}."})
    client.get("/d/men-as-allies")  # shows the last save's flash, on a page built for it alone
    many = count()
    assert many == (one[0], 10)
