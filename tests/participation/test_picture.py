"""The participation picture: its figures against the database, groups of at least five people,
hidden and removed posts, who may see it, and no name of anyone who declared something."""

from datetime import date, datetime

import pytest

from forum.accounts.services import find_by_username
from forum.dialogues.models import Dialogue, DialogueState
from forum.extensions import db
from forum.participation import views
from forum.participation.groups import MIN_PEOPLE, REST, UNDECLARED, merge
from forum.participation.services import picture
from forum.posts.models import Post
from tests.participation.conftest import ALLIES, DECLARING, display_name

DAY_1, DAY_2 = date(2026, 3, 2), date(2026, 3, 3)


def figures(app, slug="harvest", zone="UTC"):
    with app.test_request_context():
        dialogue = db.session.scalar(db.select(Dialogue).where(Dialogue.slug == slug))
        return picture(dialogue, zone=zone)


def test_the_figures_are_the_posts_readers_see(app, harvest):
    shown = figures(app)
    q1, q2, q3 = harvest.questions
    assert shown.posts == 36  # the hidden post is not counted; the removed one is
    assert shown.people == 15  # the removed post has no author
    assert shown.days == [DAY_1, DAY_2]
    layers = {layer.key: layer.values for layer in shown.series}
    assert layers == {q1: [10, 0], q2: [0, 10], q3: [0, 1], None: [1, 14]}
    assert [(q.code, q.answers) for q in shown.questions] == [("1.1", 10), ("1.2", 10), ("1.3", 1)]
    assert shown.unprompted == 15
    assert (shown.new, shown.returning) == ([11, 4], [0, 10])
    assert shown.depths == [(0, 25), (1, 10), (2, 1)]


def test_groups_of_fewer_than_five_people_are_merged(app, harvest):
    shown = figures(app)
    woman, ally = harvest.ids["Woman peacemaker"], harvest.ids["Male ally"]
    overall = {b.key: (b.people, b.count) for b in shown.roles.overall}
    # Two UN agency people and three who declared nothing: one group of five.
    assert overall == {woman: (5, 15), ally: (5, 15), REST: (5, 6)}
    by_question = {q.code: buckets for q, buckets in shown.roles.by_question}
    # Question 1.1: five male allies answered, shown; question 1.2: four, merged.
    assert {b.key: b.count for b in by_question["1.1"]} == {woman: 5, ally: 5}
    assert {b.key: (b.people, b.count) for b in by_question["1.2"]} == {
        woman: (5, 5),
        REST: (5, 5),
    }
    assert by_question["1.3"] is None  # one person
    replies = shown.replies
    assert [b.key for b in replies.rows] == [woman, ally] == [b.key for b in replies.columns]
    rows, columns = replies.rows, replies.columns
    assert replies.count(rows[0], columns[1]) == 5 and replies.count(rows[1], columns[0]) == 6


def test_merging_never_leaves_a_group_under_five(app):
    assert merge({1: 5, 2: 6}, [1, 2]) == {1: 1, 2: 2, None: UNDECLARED}
    assert merge({1: 4, 2: 7, None: 3}, [1, 2]) == {1: REST, 2: 2, None: REST}
    # Four in one role and five in another: the four would be known as "Other".
    assert merge({1: 4, 2: 5}, [1, 2]) is None
    # Everyone in one group: each person's declaration would be known.
    assert merge({1: MIN_PEOPLE}, [1]) is None
    assert merge({1: 9, 2: 5, None: 2}, [1, 2]) == {1: 1, 2: REST, None: REST}


def test_the_page_shows_groups_and_no_name_of_those_who_declared(app, harvest):
    client = app.test_client()
    client.login("lucia")
    page = client.get("/d/harvest/participation")
    assert page.status_code == 200
    text = page.text
    assert "People who declared “Male ally” (5) wrote 42%" in text
    assert "wrote 50% of the answers to question 1.2" in text
    assert "<svg" in text and "<script" not in text and 'style="' not in text
    assert text.count('<th scope="col">') >= 10 and "<caption>" in text
    for username in DECLARING:
        assert username not in text.lower() and display_name(username) not in text
    dialogue = client.get("/d/harvest").text
    assert 'href="/d/harvest/participation"' in dialogue


def test_days_are_the_readers_days(app, harvest):
    with app.app_context():
        late = db.session.scalars(db.select(Post).order_by(Post.id.desc())).first()
        late.created_at, late.removed_at = datetime(2026, 3, 3, 23, 30), None
        db.session.commit()
    assert figures(app, zone="Europe/Paris").days == [DAY_1, DAY_2, date(2026, 3, 4)]
    assert figures(app, zone="America/Bogota").days == [DAY_1, DAY_2]
    assert figures(app, zone="Asia/Kathmandu").days[-1] == date(2026, 3, 4)  # UTC+05:45
    # Paris moves to summer time at 01:00 UTC on 29 March 2026: 22:30 UTC is midnight past.
    with app.app_context():
        late = db.session.scalars(db.select(Post).order_by(Post.id.desc())).first()
        late.created_at = datetime(2026, 3, 29, 22, 30)
        db.session.commit()
    assert figures(app, zone="Europe/Paris").days[-1] == date(2026, 3, 30)
    assert figures(app, zone="UTC").days[-1] == date(2026, 3, 29)


def test_labels_are_escaped(app, harvest):
    with app.app_context():
        from forum.accounts.models import ProfileChoice

        db.session.get(ProfileChoice, harvest.ids["Male ally"]).label = "<script>x</script>"
        db.session.commit()
    client = app.test_client()
    client.login("lucia")
    text = client.get("/d/harvest/participation").text
    assert "<script>" not in text and "&lt;script&gt;x&lt;/script&gt;" in text


@pytest.mark.parametrize(("state", "readers_may_export", "reader_sees"), [
    (DialogueState.archived, True, True),
    (DialogueState.archived, False, False),
    (DialogueState.closed, True, False),
])  # fmt: skip
def test_readers_see_it_once_the_dialogue_is_archived_if_allowed(
    app, harvest, state, readers_may_export, reader_sees
):
    with app.app_context():
        dialogue = db.session.get(Dialogue, harvest.dialogue.id)
        dialogue.state, dialogue.readers_may_export = state, readers_may_export
        db.session.commit()
    page = app.test_client().get("/d/harvest/participation")
    assert (page.status_code == 200) is reader_sees
    dialogue_page = app.test_client().get("/d/harvest").text
    assert ('href="/d/harvest/participation"' in dialogue_page) is reader_sees


def test_an_empty_dialogue_says_so(app, create_user, create_dialogue):
    create_user("lucia")
    create_dialogue("quiet", facilitators=["lucia"])
    client = app.test_client()
    client.login("lucia")
    assert "Nobody has posted in this dialogue yet." in client.get("/d/quiet/participation").text


def test_the_picture_costs_the_same_queries_whatever_the_posts(app, harvest, create_post, queries):
    with queries() as before:
        figures(app)
    for username in DECLARING:
        create_post(harvest.topic, by=username, prompt_id=harvest.questions[2])
    with queries() as after:
        assert figures(app).posts == 36 + len(DECLARING)
    assert len(after.statements) == len(before.statements) <= 10


def test_the_page_is_kept_until_the_dialogue_changes_or_a_minute_passes(
    app, harvest, create_post, monkeypatch
):
    client = app.test_client()
    client.login("lucia")
    monkeypatch.setattr(views, "_period", lambda: 1)
    assert "<dt>Posts</dt><dd>36</dd>" in client.get("/d/harvest/participation").text
    with app.app_context():
        for username in ALLIES:
            find_by_username(username).declared_role_id = None
        db.session.commit()
    kept = client.get("/d/harvest/participation").text
    assert "People who declared “Male ally” (5)" in kept  # declarations show within a minute
    monkeypatch.setattr(views, "_period", lambda: 2)
    assert "People who declared “Male ally”" not in client.get("/d/harvest/participation").text
    create_post(harvest.topic, by="quiet2")  # a post shows at once
    assert "<dt>Posts</dt><dd>37</dd>" in client.get("/d/harvest/participation").text
