"""The pages of search, mail and harvest answer "not modified", and never for a stale page.

The search page, the notifications page and a dialogue's participation picture send an ETag
built from what they show (forum.kept.conditional) and answer 304 to it; they are not kept for
readers without an account (test_kept_pages.py covers the pages that are). Each test reads the
page, checks that its ETag brings a 304, then makes a change the page shows and checks that the
same ETag now brings the page as it is.
"""

import pytest

from forum.accounts import services as accounts
from forum.accounts.models import ChoiceKind
from forum.dialogues import services as dialogues
from forum.dialogues.models import Dialogue, DialogueState
from forum.extensions import db
from forum.mail.delivery import drain
from forum.moderation import services as moderation
from forum.participation import choices
from forum.participation import views as participation_views
from forum.posts.models import Post
from forum.search import indexing
from forum.search.models import SearchEntry

SEARCH = "/search?q=listening"
PARTICIPATION = "/d/men-as-allies/participation"


def person(username: str):
    return accounts.find_by_username(username)


def act(app, do) -> None:
    with app.app_context():
        do()
        db.session.commit()


def again(client, url: str, etag: str):
    return client.get(url, headers={"If-None-Match": etag})


def seen_then_304(client, url: str) -> str:
    """Read the page; its ETag must bring a 304. Returns the ETag."""
    first = client.get(url)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    repeat = again(client, url, etag)
    assert repeat.status_code == 304 and repeat.data == b""
    return etag


@pytest.fixture
def post(dialogue_setup, create_post):
    post = create_post(dialogue_setup.topic, by="amina", body="Listening to each other first.")
    post.topic = dialogue_setup.topic
    return post


# Search


def test_a_search_seen_before_is_a_304_and_not_kept(app, client, post, queries):
    kept = app.extensions["pages"].weight  # the bytes of the pages kept
    first = client.get(SEARCH)
    assert "to each other first" in first.text
    assert first.headers["Cache-Control"] == "public, no-cache"
    with queries() as log:
        assert again(client, SEARCH, first.headers["ETag"]).status_code == 304
    assert len(log.statements) == 1 and log.writes == []
    assert app.extensions["pages"].weight == kept  # a search is not kept: it is built each time
    other = client.get("/search?q=listening&sort=newest")
    assert other.headers["ETag"] != first.headers["ETag"]  # each query its own version


def _hide():
    moderation.hide_post(db.session.get(Post, 1), by=person("nadia"), reason="Off topic.")


@pytest.mark.parametrize(
    ("change", "url", "shown", "gone"),
    [
        ("a new post", SEARCH, "again, and better", None),
        ("a hide", SEARCH, None, "to each other first"),
        ("a new account", "/search?q=listening&author=zora", None, "Nobody has this username"),
        ("a reindex", SEARCH, "to each other first", None),
        ("a dialogue renamed", "/search", "Allies, renamed", None),
    ],
)
def test_no_search_304_outlives_a_change(app, client, create_user, create_post, post, change,
                                         url, shown, gone):  # fmt: skip
    if change == "a reindex":  # found before, as an index restored from an old backup would
        act(app, lambda: db.session.execute(db.delete(SearchEntry)))
    etag = seen_then_304(client, url)
    if change == "a new post":
        create_post(post.topic, by="babar", body="Listening again, and better.")
    elif change == "a hide":
        act(app, _hide)
    elif change == "a new account":
        create_user("zora", display_name="Zora")  # no post: only the filter's answer changes
    elif change == "a reindex":
        act(app, indexing.reindex)
    else:
        act(
            app,
            lambda: dialogues.update_dialogue(
                db.session.get(Dialogue, 1), title="Allies, renamed", description="Words.",
                state=DialogueState.open, allow_participant_topics=False,
                by=person("nadia"),
            ),
        )  # fmt: skip
    now = again(client, url, etag)
    assert now.status_code == 200
    if shown:
        assert shown in now.text
    if gone:
        assert gone not in now.text


def test_a_moderator_and_an_anonymous_reader_never_share_a_search(app, client, post):
    act(app, _hide)
    anonymous = client.get(SEARCH)
    assert "to each other first" not in anonymous.text
    moderator = app.test_client()
    moderator.login("nadia")
    hidden = moderator.get(SEARCH + "&hidden=y")
    assert "to each other first" in hidden.text
    assert hidden.headers["Cache-Control"] == "private, no-cache"
    assert again(client, SEARCH + "&hidden=y", hidden.headers["ETag"]).status_code == 200
    assert again(moderator, SEARCH, anonymous.headers["ETag"]).status_code == 200


# Notifications


@pytest.fixture
def notified(app, dialogue_setup, create_post, post):
    """Babar has one unread notification: Lucía's reply (post 3) to his post (post 2)."""
    mine = create_post(dialogue_setup.topic, by="babar", body="My point.")
    create_post(dialogue_setup.topic, by="lucia", body="A facilitator's reply.", parent_id=mine.id)
    act(app, drain)  # the mail worker's pass spreads the notifications
    dialogue_setup.mine = mine
    return dialogue_setup


def test_the_notifications_page_is_a_304_until_something_new(app, client, notified, create_post,
                                                             queries):  # fmt: skip
    client.login("babar")
    etag = seen_then_304(client, "/notifications")
    assert etag.startswith('W/"')
    with queries() as log:
        assert again(client, "/notifications", etag).status_code == 304
    assert log.writes == []
    create_post(notified.topic, by="amina", body="One more voice.", parent_id=notified.mine.id)
    act(app, drain)
    newer = again(client, "/notifications", etag)
    assert newer.status_code == 200 and "Notifications (2 unread)" in newer.text


@pytest.mark.parametrize("change", ["marked read", "the post hidden", "its author renamed"])
def test_no_notifications_304_outlives_a_change(app, client, notified, change):
    client.login("babar")
    etag = seen_then_304(client, "/notifications")
    if change == "marked read":
        client.post("/notifications/read", data={"csrf_token": client.csrf_token()})
        assert "Mark all read" not in again(client, "/notifications", etag).text
    elif change == "the post hidden":
        act(app, lambda: moderation.hide_post(db.session.get(Post, 3), by=person("nadia"),
                                              reason="Off topic."))  # fmt: skip
        assert "This post is hidden." in again(client, "/notifications", etag).text
    else:
        act(app, lambda: accounts.update_profile(person("lucia"), display_name="Lucía P."))
        assert "Lucía P." in again(client, "/notifications", etag).text


def test_a_reader_without_an_account_is_asked_to_log_in_whatever_etag_they_send(
    app, client, notified
):
    babar = app.test_client()
    babar.login("babar")
    etag = babar.get("/notifications").headers["ETag"]
    response = again(client, "/notifications", etag)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    amina = app.test_client()
    amina.login("amina")
    theirs = again(amina, "/notifications", etag)  # Babar's ETag: Amina's page, built
    assert theirs.status_code == 200 and "Amina Diallo" in theirs.text


# Participation


def _lucia_no_longer_facilitates():
    dialogues.remove_facilitator(db.session.get(Dialogue, 1), person("lucia"), by=person("nadia"))


@pytest.mark.parametrize(
    "change", ["a new post", "a choice renamed", "a minute passed", "the facilitator removed"]
)
def test_no_participation_304_outlives_a_change(app, client, post, create_post, monkeypatch,
                                               change):  # fmt: skip
    monkeypatch.setattr(participation_views, "_period", lambda: 1)
    with app.app_context():
        role = choices.add_choice(ChoiceKind.role, "Male ally", by=person("nadia")).id
        db.session.commit()
    client.login("lucia")
    etag = seen_then_304(client, PARTICIPATION)
    if change == "a new post":
        create_post(post.topic, by="babar", body="Another voice.")
        assert "<dt>Posts</dt><dd>2</dd>" in again(client, PARTICIPATION, etag).text
    elif change == "a choice renamed":
        act(app, lambda: choices.rename_choice(choices.find_choice(role), "Ally",
                                               by=person("nadia")))  # fmt: skip
        assert again(client, PARTICIPATION, etag).status_code == 200
        assert etag != client.get(PARTICIPATION).headers["ETag"]
    elif change == "a minute passed":
        monkeypatch.setattr(participation_views, "_period", lambda: 2)
        assert again(client, PARTICIPATION, etag).status_code == 200
    else:
        act(app, _lucia_no_longer_facilitates)
        assert again(client, PARTICIPATION, etag).status_code == 403
