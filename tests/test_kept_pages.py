"""Pages answered "not modified" and pages kept for readers without an account (forum.kept).

Every way a kept page or a 304 could show a reader something stale, or another reader's page:

- what the forum holds changes: a new post, an edit, a hide and a restore, a lock and an
  unlock, a summary, a conclusion, a dialogue's edit and its facilitators, a rename, an
  organisation, a deleted account, a pseudonym chosen, a re-rendered text (test_fragments.py);
- time passes: a slow mode or a scheduled close ends, with nobody acting;
- the reader differs: another language (Accept-Language or the language cookie), a time zone, a
  logged-in reader (never an anonymous page, nor the reverse), their read position, follows and
  unread notifications, a flash message waiting for them.

Each test reads the page first, so that it is kept, and checks what a reader then gets: the
page as it is now, and a 200 (not a 304) for the ETag they hold.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest

from forum import changes, people
from forum.accounts import deletion
from forum.accounts import services as accounts
from forum.clock import utcnow
from forum.conclusions.services import save_conclusion
from forum.dialogues import models as dialogue_models
from forum.dialogues import services as dialogues
from forum.dialogues.models import Dialogue, DialogueState
from forum.extensions import db
from forum.fragments import Kept
from forum.moderation import services as moderation
from forum.notifications import services as notifications
from forum.posts import services as posts
from forum.posts.models import Post
from forum.summaries.services import save_summary
from forum.topics import models as topic_models
from forum.topics.models import Topic

FRONT, DIALOGUE = "/", "/d/men-as-allies"


@pytest.fixture
def forum(dialogue_setup, create_post):
    """The dialogue, its topic with one post by Amina, and the three pages anyone reads."""
    post = create_post(dialogue_setup.topic, by="amina", body="Listening *first*.")
    topic = dialogue_setup.topic
    return SimpleNamespace(
        topic=topic, post=post, pages={"topic": topic.url, "dialogue": DIALOGUE, "front": FRONT}
    )


def person(username: str):
    return accounts.find_by_username(username)


def etag_of(response) -> str:
    return response.headers["ETag"]


def again(client, url: str, etag: str, **headers):
    return client.get(url, headers={"If-None-Match": etag, **headers})


@pytest.mark.parametrize(
    "url",
    [FRONT, DIALOGUE, "{topic}", "{topic}?view=flat", "{topic}?prompt={question}",
     "{topic}?page=1", "/t/1/questions/{question}/conclusion/history"],
)  # fmt: skip
def test_a_repeat_visit_is_a_304_whether_the_etag_comes_back_weak_or_strong(
    app, client, forum, url
):
    _act(app, lambda: save_conclusion(_topic().questions[0], source="Yes.", by=person("lucia")))
    url = url.format(topic=forum.topic.url, question=forum.topic.question_ids[0])
    first = client.get(url)
    assert first.status_code == 200
    etag = etag_of(first)
    assert etag.startswith('"') and first.headers["Cache-Control"] == "public, no-cache"
    assert {"Cookie", "Accept-Language"} <= set(first.headers["Vary"].replace(" ", "").split(","))
    for sent in (etag, f"W/{etag}", f'"other", W/{etag}'):
        repeat = again(client, url, sent)
        assert repeat.status_code == 304 and repeat.data == b""
        assert etag_of(repeat) == etag and repeat.headers["Cache-Control"] == "public, no-cache"
        assert repeat.headers["X-Frame-Options"] == "DENY"  # the headers of every answer
    for sent in ('"other"', 'W/"other"', "*"):  # "*" would make a 304 of any address
        assert again(client, url, sent).status_code == 200
    assert client.head(url, headers={"If-None-Match": etag}).status_code == 304


def test_a_304_and_a_kept_page_cost_one_statement_and_write_nothing(
    app, client, forum, create_post, queries
):
    for url in forum.pages.values():
        etag = etag_of(client.get(url))
        with queries() as log:
            assert again(client, url, etag).status_code == 304
            kept = client.get(url)
        assert kept.status_code == 200 and etag_of(kept) == etag
        assert len(log.statements) == 2 and log.writes == []
    create_post(forum.topic, by="babar", body="A reply.")  # a changed validator: a new page
    changed = again(client, forum.topic.url, etag_of(kept))
    assert changed.status_code == 200 and "A reply." in changed.text


def _act(app, do) -> None:
    with app.app_context():
        do()
        db.session.commit()


def _topic():
    return db.session.get(Topic, 1)


def _post():
    return db.session.get(Post, 1)


def _hide():
    moderation.hide_post(_post(), by=person("nadia"), reason="Off topic.")


def _lock():
    moderation.lock_topic(_topic(), by=person("lucia"), reason="Cooling down.")


GONE = "gone: "  # what a page shows until the change, and no longer after it
CHANGES = {
    "a new post": (
        None,
        lambda: posts.reply(_topic(), by=person("babar"), body="A new voice."),
        {"topic": "A new voice.", "dialogue": "2 posts", "front": "2 posts"},
    ),
    "an edit": (
        None,
        lambda: posts.edit_post(_post(), by=person("amina"), body="Listening, then acting."),
        {"topic": "Listening, then acting."},
    ),
    "a hide": (None, _hide, {"topic": "hidden by the moderators: Off topic."}),
    "a restore": (
        _hide,
        lambda: moderation.restore_post(_post(), by=person("nadia"), reason="It was fine."),
        {"topic": "Listening <em>first</em>."},
    ),
    "a lock": (None, _lock, {"topic": "Cooling down.", "dialogue": '"badge">Locked'}),
    "an unlock": (
        _lock,
        lambda: moderation.unlock_topic(_topic(), by=person("lucia")),
        {"topic": GONE + "Cooling down.", "dialogue": GONE + '"badge">Locked'},
    ),
    "a summary": (
        None,
        lambda: save_summary(_topic(), source="We *agree*.", pinned=True, by=person("lucia")),
        {"topic": "We <em>agree</em>.", "dialogue": ">Summary</a>"},
    ),
    "a conclusion": (
        None,
        lambda: save_conclusion(_topic().questions[0], source="Concluded.", by=person("lucia")),
        {"topic": "Concluded.", "dialogue": "Concluded."},
    ),
    "a dialogue's edit": (
        None,
        lambda: dialogues.update_dialogue(
            db.session.get(Dialogue, 1),
            title="Allies, renamed",
            description="New words.",
            state=DialogueState.open,
            allow_participant_topics=False,
            by=person("nadia"),
        ),
        {"topic": "Allies, renamed", "dialogue": "New words.", "front": "Allies, renamed"},
    ),
    "a facilitator assigned": (
        None,
        lambda: dialogues.assign_facilitator(
            db.session.get(Dialogue, 1), person("babar"), by=person("nadia")
        ),
        {"dialogue": "Babar Khan"},
    ),
    "a rename": (
        None,
        lambda: accounts.update_profile(person("amina"), display_name="Amina D."),
        {"topic": "Amina D.", "front": "last post by Amina D."},
    ),
    "an organisation": (
        None,
        lambda: accounts.update_profile(person("amina"), organisation="Women Mediators"),
        {"topic": "Amina Diallo</a>, Women Mediators"},
    ),
    "a deleted account": (
        None,
        lambda: deletion.delete_account(person("amina"), posts=deletion.Posts.keep),
        {"topic": "A former participant", "front": "last post by A former participant"},
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_no_kept_page_and_no_304_outlives_a_change(app, client, forum, change):
    before, act, shown = CHANGES[change]
    if before:
        _act(app, before)
    etags = {}
    for name, text in shown.items():
        url = forum.pages[name]
        etags[name] = etag_of(client.get(url))
        gone = text.startswith(GONE)
        assert (text.removeprefix(GONE) in client.get(url).text) == gone  # now served kept
    _act(app, act)
    for name, text in shown.items():
        gone, text = text.startswith(GONE), text.removeprefix(GONE)
        response = again(client, forum.pages[name], etags[name])
        assert response.status_code == 200, f"{change}: the {name} page answered 304"
        assert (text in response.text) != gone, f"{change}: the {name} page is stale"
        assert (text in client.get(forum.pages[name]).text) != gone


def test_a_pseudonym_chosen_shows_on_kept_pages(app, client, create_user, create_dialogue,
                                                 create_topic, create_post):  # fmt: skip
    create_user("lucia", display_name="Lucía Pérez")
    create_user("amina", display_name="Amina Diallo")
    dialogue = create_dialogue("safe", pseudonymous=True, facilitators=["lucia"])
    topic = create_topic(dialogue)
    create_post(topic, by="amina", body="Hello.")
    first = client.get(topic.url)
    assert "Participant 2" in first.text and "Dove" not in client.get(topic.url).text
    with app.app_context():
        people.choose(db.session.get(Dialogue, dialogue.id), person("amina"), "Dove")
        db.session.commit()
    response = again(client, topic.url, etag_of(first))
    assert response.status_code == 200 and "Dove" in response.text
    assert "Last post by Dove" in client.get("/d/safe").text


@pytest.fixture
def later(monkeypatch):
    """Move the clock on: later(hours) is what every time comparison of the pages sees."""

    def move(hours: float) -> None:
        moved = utcnow() + timedelta(hours=hours)
        for module in (changes, topic_models, dialogue_models):
            monkeypatch.setattr(module, "utcnow", lambda: moved)

    return move


def test_a_slow_mode_that_ends_by_time_leaves_the_page(app, client, forum, later):
    _act(app, lambda: moderation.set_slow_mode(
        _topic(), by=person("lucia"), minutes=10, until=utcnow() + timedelta(hours=1),
        reason="Breathe.",
    ))  # fmt: skip
    first = client.get(forum.topic.url)
    assert "Slow mode" in first.text and "Breathe." in client.get(forum.topic.url).text
    later(2)
    response = again(client, forum.topic.url, etag_of(first))
    assert response.status_code == 200 and "Breathe." not in response.text
    assert "Breathe." not in client.get(forum.topic.url).text


def test_a_scheduled_close_shows_when_its_time_comes(app, client, forum, later):
    def schedule():
        db.session.get(Dialogue, 1).closes_at = utcnow() + timedelta(hours=1)
        changes.mark_changed(dialogue_id=1)  # as the dialogue's edit does

    _act(app, schedule)
    seen = {url: client.get(url) for url in (FRONT, DIALOGUE)}
    assert "Closes on" in seen[DIALOGUE].text and "state-open" in seen[FRONT].text
    client.login("babar")
    assert "Reply to the topic" in client.get(forum.topic.url).text
    logged_in = etag_of(client.get(forum.topic.url))
    later(2)
    response = again(client, forum.topic.url, logged_in)
    assert response.status_code == 200 and "This dialogue is closed" in response.text
    client.post("/logout", data={"csrf_token": client.csrf_token(DIALOGUE)})
    client.get(FRONT)  # the logout's flash
    for url, text in ((DIALOGUE, "Closed on"), (FRONT, "state-closed")):
        response = again(client, url, etag_of(seen[url]))
        assert response.status_code == 200 and text in response.text


def test_each_language_has_its_own_page(client, forum):
    english = client.get(FRONT)
    french = client.get(FRONT, headers={"Accept-Language": "fr-CH, fr;q=0.9"})
    assert "Log in" in english.text and "Se connecter" in french.text
    assert etag_of(english) != etag_of(french)
    assert "Se connecter" not in client.get(FRONT).text  # each kept apart
    assert "Se connecter" in client.get(FRONT, headers={"Accept-Language": "fr"}).text
    assert again(client, FRONT, etag_of(english), **{"Accept-Language": "fr"}).status_code == 200
    client.set_cookie("lang", "es")  # chosen in the footer: wins over Accept-Language
    spanish = client.get(FRONT, headers={"Accept-Language": "fr"})
    assert "Se connecter" not in spanish.text and etag_of(spanish) not in (etag_of(french),)
    assert spanish.headers["Cache-Control"] == "public, no-cache"  # no session: still public
    assert again(client, FRONT, etag_of(spanish)).status_code == 304


def test_a_logged_in_reader_never_gets_an_anonymous_page_nor_the_reverse(
    app, client, forum, create_post
):
    anonymous = client.get(forum.topic.url)
    assert "Log in to reply" in anonymous.text
    client.login("babar")
    client.get(forum.topic.url)  # Amina's post, new to Babar, is read now
    mine = client.get(forum.topic.url)
    assert "Babar Khan" in mine.text and "Log in to reply" not in mine.text
    assert 'name="csrf_token"' in mine.text
    assert mine.headers["Cache-Control"] == "private, no-cache"
    assert etag_of(mine).startswith('W/"') and etag_of(mine)[2:] != etag_of(anonymous)
    assert again(client, forum.topic.url, etag_of(anonymous)).status_code == 200
    assert again(client, forum.topic.url, etag_of(mine)).status_code == 304
    other = app.test_client()
    other.login("amina")
    assert again(other, forum.topic.url, etag_of(mine)).status_code == 200  # another person
    stranger = app.test_client()
    response = again(stranger, forum.topic.url, etag_of(mine))
    assert response.status_code == 200 and "Log in to reply" in response.text
    assert "Babar Khan" not in stranger.get(forum.topic.url).text


def test_what_a_logged_in_reader_sees_of_their_own_moves_the_etag(
    app, client, forum, create_post, create_user
):
    client.login("babar")
    url = forum.topic.url
    assert "new" in client.get(url).text  # Amina's post, new to Babar, now read
    read = client.get(url)
    assert '<strong class="badge new">' not in read.text
    assert again(client, url, etag_of(read)).status_code == 304
    create_post(forum.topic, by="amina", body="Another one.")
    unread = again(client, url, etag_of(read))
    assert unread.status_code == 200 and '<strong class="badge new">' in unread.text
    assert again(client, url, etag_of(unread)).status_code == 200  # now read: no longer new
    seen = etag_of(client.get(url))
    _act(app, lambda: notifications.follow(_topic(), by=person("babar")))
    assert "Unfollow" in again(client, url, seen).text
    header = client.get(DIALOGUE)
    own = create_post(forum.topic, by="babar", body="My point.")
    create_post(forum.topic, by="amina", body="Answering Babar.", parent_id=own.id)
    assert "Notifications (1 unread)" in again(client, DIALOGUE, etag_of(header)).text
    header = client.get(DIALOGUE)
    _act(app, lambda: accounts.update_profile(person("babar"), timezone="Asia/Kabul"))
    zoned = again(client, DIALOGUE, etag_of(header))
    assert zoned.status_code == 200 and "Asia/Kabul (UTC+04:30)" in zoned.text


def test_a_flash_message_is_never_a_304_nor_kept(app, client, forum):
    anonymous = etag_of(client.get(FRONT))
    client.login("babar")
    client.post("/logout", data={"csrf_token": client.csrf_token(FRONT)})
    flashed = again(client, FRONT, anonymous)
    assert flashed.status_code == 200 and "You have logged out." in flashed.text
    assert flashed.headers["Cache-Control"] == "private, no-cache"
    assert "ETag" not in flashed.headers
    assert "You have logged out." not in app.test_client().get(FRONT).text
    after = again(client, FRONT, anonymous)  # a session without a flash: the anonymous page
    assert after.status_code == 304 and after.headers["Cache-Control"] == "private, no-cache"


def test_an_anonymous_reader_with_a_session_gets_the_kept_page_privately(client, forum):
    client.get("/login")  # a login form: the session holds a CSRF token now
    response = client.get(forum.topic.url)
    assert response.headers["Cache-Control"] == "private, no-cache"
    fresh = etag_of(response)
    assert again(client, forum.topic.url, fresh).status_code == 304
    client.delete_cookie("session")
    assert etag_of(client.get(forum.topic.url)) == fresh  # the same page for everyone


def test_kept_pages_are_bounded_in_number_and_in_bytes(app, client, forum, create_topic):
    app.extensions["pages"] = store = Kept(2, budget=200_000)
    for n in range(3):
        create_topic(SimpleNamespace(id=1), title=f"Topic {n}")
    for topic_id in (2, 3, 4, 2):
        client.get(f"/t/{topic_id}")  # a redirect: never kept
        client.get(client.get(f"/t/{topic_id}").location)
    assert len(store._items) == 2 and store.weight <= 200_000
    app.extensions["pages"] = store = Kept(10, budget=1)
    client.get(FRONT)
    assert len(store._items) == 0  # a page bigger than the budget is not kept
