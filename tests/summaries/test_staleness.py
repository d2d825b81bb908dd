"""Beside a summary or a conclusion, those who may edit it see how far it has fallen behind."""

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from forum.accounts.models import Role, User
from forum.accounts.services import find_by_username
from forum.conclusions.models import Conclusion
from forum.conclusions.services import save_conclusion
from forum.dialogues.models import Dialogue
from forum.extensions import db
from forum.moderation.services import hide_post
from forum.posts.models import Post
from forum.posts.services import edit_post
from forum.summaries.models import Summary
from forum.summaries.services import save_summary
from forum.topics.models import PromptQuestion, Topic

STALE_SUMMARY = "since this summary was last edited"


def write(app, topic, *, summary: str | None = None, conclusions=(), by: str = "lucia"):
    """Save the topic's summary (pinned) and conclusions {question index: text}."""
    with app.app_context():
        row, writer = db.session.get(Topic, topic.id), find_by_username(by)
        if summary is not None:
            save_summary(row, source=summary, pinned=True, by=writer)
        for index, source in dict(conclusions).items():
            question = db.session.get(PromptQuestion, topic.question_ids[index])
            save_conclusion(question, source=source, by=writer)
        db.session.commit()


def act(app, action, post, *, by: str, **kw):
    with app.app_context():
        action(db.session.get(Post, post.id), by=find_by_username(by), **kw)
        db.session.commit()


def dialogue_id(app, topic) -> int:
    with app.app_context():
        return db.session.get(Topic, topic.id).dialogue_id


@pytest.fixture
def stale(app, dialogue_setup, create_user, create_post):
    """A summary and a conclusion, then: a cited post edited, one hidden, new posts, one of them
    hidden (its author wrote nothing else), and someone new who answered another question."""
    create_user("grace", role=Role.moderator, display_name="Grace Mutesi")
    create_user("omar", display_name="Omar Saleh")
    create_user("chen", display_name="Chen Wei")
    topic = dialogue_setup.topic
    q1, q2 = topic.question_ids[:2]
    first = create_post(topic, by="amina", body="Open doors.", prompt_id=q1)
    second = create_post(topic, by="babar", body="Step back.", prompt_id=q1)
    create_post(topic, by="lucia", body="Thank you both.")
    write(
        app,
        topic,
        summary=f"Doors (#p{first.id}) and stepping back (#p{second.id}).",
        conclusions={0: f"Doors open, as #p{first.id} said."},
    )
    act(app, edit_post, first, by="amina", body="Open doors, then leave.", prompt_id=q1)
    act(app, hide_post, second, by="grace", reason="Off topic.")
    create_post(topic, by="babar", body="Again.", prompt_id=q1)
    unkind = create_post(topic, by="chen", body="Something unkind.", prompt_id=q1)
    act(app, hide_post, unkind, by="grace", reason="Unkind.")
    create_post(topic, by="omar", body="Another question.", prompt_id=q2)
    return SimpleNamespace(topic=topic, first=first, second=second, q1=q1)


def expected(app, topic, *, question_id=None):
    """The figures, read from the database by another road: visible posts since the text's
    last edit, and the visible posts' authors' display names."""
    with app.app_context():
        if question_id is None:
            edited_at = db.session.scalar(select(Summary.updated_at))
            scope = Post.topic_id == topic.id
        else:
            edited_at = db.session.scalar(
                select(Conclusion.updated_at).where(Conclusion.question_id == question_id)
            )
            scope = Post.prompt_id == question_id
        visible = (scope, Post.hidden_at.is_(None), Post.removed_at.is_(None))
        since = db.session.scalar(select(func.count()).where(*visible, Post.created_at > edited_at))
        people = set(
            db.session.scalars(
                select(User.display_name).join(Post, Post.author_id == User.id).where(*visible)
            )
        )
    return since, people


def notice(page: str, start: str) -> str:
    """The staleness notice that follows `start` on a page."""
    return page.split(start, 1)[1].split('<div class="staleness', 1)[1].split("</div>", 1)[0]


def test_a_facilitator_sees_what_changed_since_the_summary(app, client, stale):
    since, people = expected(app, stale.topic)
    assert since == 2 and people == {"Amina Diallo", "Babar Khan", "Lucía Pérez", "Omar Saleh"}
    client.login("lucia")
    text = notice(client.get(stale.topic.url).text, 'id="summary"')
    assert f"{since} posts since this summary was last edited." in text
    assert "2 posts it cites were edited or hidden since:" in text
    assert f'<a href="/p/{stale.first.id}">#p{stale.first.id}</a>\n    (edited)' in text
    assert f'<a href="/p/{stale.second.id}">#p{stale.second.id}</a>\n    (hidden)' in text
    # Amina is cited; Babar's cited post is hidden; Chen wrote nothing visible.
    assert f"Cites 1 of {len(people)} participants." in text
    assert "Not yet cited: 3 people" in text
    assert "<p>Babar Khan, Lucía Pérez, Omar Saleh</p>" in text
    assert "Chen" not in text
    editor = client.get(f"/t/{stale.topic.id}/summary").text  # where it is rewritten
    assert f"{since} posts since this summary was last edited." in editor


def test_a_facilitator_sees_what_changed_since_a_conclusion(app, client, stale):
    since, people = expected(app, stale.topic, question_id=stale.q1)
    assert since == 1 and people == {"Amina Diallo", "Babar Khan"}
    client.login("lucia")
    page = client.get(stale.topic.url).text
    text = notice(page, f'id="conclusion-{stale.q1}"')
    assert "1 answer to this question since this conclusion was last edited." in text
    assert "A post it cites was edited or hidden since:" in text and "(edited)" in text
    assert "Cites 1 of the 2 people who answered this question." in text
    assert "<p>Babar Khan</p>" in text
    edit_page = client.get(f"/t/{stale.topic.id}/questions/{stale.q1}/conclusion").text
    assert "1 answer to this question since this conclusion was last edited." in edit_page
    # Saving it again, even unchanged, says it is up to date.
    client.submit(
        f"/t/{stale.topic.id}/questions/{stale.q1}/conclusion",
        {"source": f"Doors open, as #p{stale.first.id} said."},
    )
    text = notice(client.get(stale.topic.url).text, f'id="conclusion-{stale.q1}"')
    assert "No answer to this question since this conclusion was last edited." in text
    assert "edited or hidden" not in text


def test_others_see_nothing_of_it_and_anonymous_readers_pay_nothing(
    app, client, stale, create_topic, create_post, queries, pages_built_each_time
):
    plain = create_topic(SimpleNamespace(id=dialogue_id(app, stale.topic)), title="Plain topic")
    create_post(plain, by="amina", body="Nothing to summarise.")

    def count(url):
        with queries() as log:
            page = client.get(url).text
        return len(log.statements), page

    count(plain.url)
    anonymous, page = count(stale.topic.url)
    assert STALE_SUMMARY not in page and "Not yet cited" not in page
    assert anonymous == count(plain.url)[0]
    client.login("amina")
    page = client.get(stale.topic.url).text
    assert STALE_SUMMARY not in page and "since this conclusion" not in page


def test_the_facilitators_page_costs_the_same_for_a_small_and_a_big_topic(
    app, client, stale, create_topic, create_post, create_user, queries
):
    small = create_topic(SimpleNamespace(id=dialogue_id(app, stale.topic)), title="Small")
    post = create_post(small, by="amina", body="Only one.")
    write(app, small, summary=f"One: #p{post.id}.", conclusions={0: "One."})
    for name in ("ana", "bob", "cyd"):
        create_user(name)
        for _ in range(3):
            create_post(stale.topic, by=name, body="More.", prompt_id=stale.topic.question_ids[0])
    write(app, stale.topic, conclusions={1: "Two.", 2: f"Three, #p{stale.first.id}."})
    client.login("lucia")

    def count(url):
        with queries() as log:
            assert "since this summary was last edited" in client.get(url).text
        return len(log.statements)

    count(small.url), count(stale.topic.url)  # read: the read markers stay where they are
    assert count(small.url) == count(stale.topic.url)


def test_a_pseudonymous_dialogue_lists_pseudonyms_not_yet_cited(
    app, client, create_user, create_dialogue, create_topic, create_post
):
    create_user("lucia", display_name="Lucía Pérez")
    for username in ("zeynep", "tomas"):
        create_user(username, display_name=f"{username.title()} Realname")
    dialogue = create_dialogue("safe", pseudonymous=True, facilitators=["lucia"])
    topic = create_topic(dialogue)
    first = create_post(topic, by="zeynep", body="Mine.")
    create_post(topic, by="tomas", body="Mine too.")
    write(app, topic, summary=f"As #p{first.id} said.")
    client.login("lucia")
    text = notice(client.get(topic.url).text, 'id="summary"')
    assert "Cites 1 of 2 participants." in text and "<p>Participant 3</p>" in text
    assert "Realname" not in text and "tomas" not in text


def test_a_dialogue_summary_counts_across_its_topics(
    app, client, dialogue_setup, create_topic, create_post
):
    other = create_topic(dialogue_setup.dialogue, title="Another topic")
    first = create_post(dialogue_setup.topic, by="amina", body="Here.")
    with app.app_context():
        save_summary(
            db.session.get(Dialogue, dialogue_setup.dialogue.id),
            source=f"As #p{first.id} said.",
            pinned=True,
            by=find_by_username("lucia"),
        )
        db.session.commit()
    create_post(other, by="babar", body="There.")
    create_post(dialogue_setup.topic, by="babar", body="And here.")
    client.login("lucia")
    text = notice(client.get("/d/men-as-allies").text, 'id="summary"')
    assert "2 posts since this summary was last edited." in text
    assert "Cites 1 of 2 participants." in text and "<p>Babar Khan</p>" in text
    assert "Cites 1 of 2 participants." in client.get("/d/men-as-allies/summary").text
    assert STALE_SUMMARY not in app.test_client().get("/d/men-as-allies").text
