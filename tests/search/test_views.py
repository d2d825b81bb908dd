"""The search page: results as a reader sees them, filters, bad input, and an index that follows
every act in its transaction."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from forum.accounts.deletion import Posts, delete_account
from forum.accounts.models import Role
from forum.accounts.services import find_by_username
from forum.clock import utcnow
from forum.extensions import db
from forum.moderation.services import hide_post, restore_post
from forum.posts.models import Post
from forum.posts.services import edit_post
from forum.search.models import SearchEntry
from forum.search.services import PER_PAGE
from forum.summaries.services import save_summary, unpin_summary
from forum.topics.models import Topic
from forum.topics.services import edit_topic

RESULT = re.compile(r'<h3>.*?<a href="([^"]+)"', re.S)


def results(client, **args) -> list[str]:
    """The addresses the results of a search link to, in order."""
    response = client.get("/search", query_string=args)
    assert response.status_code == 200
    return RESULT.findall(response.text)


@pytest.fixture
def posts(dialogue_setup, create_post):
    topic = dialogue_setup.topic
    return {
        "radio": create_post(
            topic,
            by="amina",
            subject="Radio in Burundi",
            body="Our radio programmes reach rural women.",
            prompt_id=topic.question_ids[1],
        ),
        "mediacion": create_post(
            topic, by="babar", body="La mediación comunitaria funciona.", language="es"
        ),
    }


def test_a_search_is_a_plain_bookmarkable_form_and_results_say_what_where_and_who(
    client, dialogue_setup, posts
):
    page = client.get("/search").text
    assert '<form method="get" action="/search" role="search"' in page
    assert '<h2 id="results-h">' not in page
    response = client.get("/search?q=programme")
    page = response.text
    assert results(client, q="programme") == [f"/p/{posts['radio'].id}"]
    assert "<mark>programmes</mark>" in page
    assert "Radio in Burundi" in page  # subject
    assert ">Amina Diallo</a>" in page  # author, through forum.people
    assert "Men as allies" in page and "What support do you need?" in page  # dialogue, topic
    assert "Answers: What does not?" in page  # the prompt question
    assert re.search(r"<time datetime=", page)
    accentless = client.get("/search?q=mediacion").text
    assert '<p class="snippet" lang="es">La <mark>mediación</mark> comunitaria' in accentless


def test_topic_framings_and_pinned_summaries_are_found_and_marked_as_such(
    app, client, dialogue_setup, posts
):
    with app.app_context():
        topic = db.session.get(Topic, dialogue_setup.topic.id)
        lucia = find_by_username("lucia")
        save_summary(
            topic, source="Participants spoke of **radio** programmes.", pinned=True, by=lucia
        )
        save_summary(topic.dialogue, source="The radio came up everywhere.", pinned=True, by=lucia)
        edit_topic(
            topic,
            title=topic.title,
            framing="What can radio do for peace?",
            questions=["What helps?", "What does not?", "Who decides?"],
            by=lucia,
        )
        db.session.commit()
    page = client.get("/search?q=radio").text
    topic_url = dialogue_setup.topic.url
    assert set(results(client, q="radio")) == {
        f"/p/{posts['radio'].id}",
        f"{topic_url}#summary",
        "/d/men-as-allies#summary",
        topic_url,
    }
    assert "Summary of What support do you need?" in page
    assert "Summary of the dialogue" in page and '<span class="badge">Topic</span>' in page
    summaries = {f"{topic_url}#summary", "/d/men-as-allies#summary"}
    assert set(results(client, q="radio", kind="summary")) == summaries
    assert results(client, q="radio", kind="topic") == [topic_url]
    assert results(client, q="helps", kind="topic") == [topic_url]  # its prompt questions too
    with app.app_context():
        unpin_summary(db.session.get(Topic, dialogue_setup.topic.id), by=find_by_username("lucia"))
        db.session.commit()
    assert f"{topic_url}#summary" not in results(client, q="radio")


def test_the_filters_narrow_the_results(
    app, client, dialogue_setup, create_topic, create_post, create_dialogue, posts
):
    other = create_topic(dialogue_setup.dialogue, title="Another topic")
    elsewhere = create_dialogue("elsewhere", title="Elsewhere")
    far = create_post(create_topic(elsewhere, title="Far away"), by="babar", body="radio far")
    near = create_post(other, by="babar", body="radio near", language="fr")
    radio = f"/p/{posts['radio'].id}"
    everything = set(results(client, q="radio"))
    assert everything == {radio, f"/p/{far.id}", f"/p/{near.id}"}
    assert set(results(client, q="radio", dialogue="men-as-allies")) == {radio, f"/p/{near.id}"}
    assert results(client, q="radio", topic=other.id) == [f"/p/{near.id}"]
    question = dialogue_setup.topic.question_ids[1]
    assert results(client, q="radio", topic=dialogue_setup.topic.id, prompt=question) == [radio]
    assert set(results(client, q="radio", author="babar")) == {f"/p/{far.id}", f"/p/{near.id}"}
    assert results(client, q="radio", language="fr") == [f"/p/{near.id}"]
    assert results(client, q="radio", kind="summary") == []
    with app.app_context():
        db.session.get(Post, far.id).created_at = utcnow() - timedelta(days=40)
        db.session.execute(
            text("UPDATE search_entry SET created_at = :at WHERE post_id = :id"),
            {"at": utcnow() - timedelta(days=40), "id": far.id},
        )
        db.session.commit()
    day = (utcnow() - timedelta(days=40)).date().isoformat()
    assert results(client, q="radio", since=day, until=day) == [f"/p/{far.id}"]
    assert f"/p/{far.id}" not in results(client, q="radio", since=utcnow().date().isoformat())
    assert results(client, q="radio", sort="newest")[-1] == f"/p/{far.id}"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"q": ""}, "Type a few words to look for."),
        ({"q": "   "}, "Type a few words to look for."),
        ({"q": "the of and"}, "too common to search for"),
        ({"q": "-radio"}, "not only what to leave out"),
        ({"q": "!@#$%^&*()" * 25}, "Type words to look for"),
        ({"q": "!@#$%^&*()" * 100}, "at most 300 characters"),
        ({"q": "radio", "dialogue": "no-such-dialogue"}, "There is no dialogue at this address."),
        ({"q": "radio", "topic": "99999"}, "There is no such topic."),
        ({"q": "radio", "prompt": "99999"}, "This prompt question is not part of the topic."),
        ({"q": "radio", "author": "nobody"}, "Nobody has this username."),
        ({"q": "radio", "language": "xx"}, "Choose a language from the list."),
        ({"q": "radio", "kind": "everything"}, "Choose what to show from the list."),
        ({"q": "radio", "since": "yesterday"}, "Not a valid date value."),
        ({"q": "radio", "since": "0001-01-01"}, "Choose dates from 2000 to 2999."),
        ({"q": "radio", "until": "9999-12-31"}, "Choose dates from 2000 to 2999."),
    ],
)
def test_bad_input_gets_a_clear_message_never_an_error(client, posts, args, message):
    response = client.get("/search", query_string=args)
    assert response.status_code == 200
    assert message in response.text
    assert RESULT.findall(response.text) == []


@pytest.mark.parametrize(
    "query", ['"radio programmes', '"radio" "', 'radio -"', '""', "-", '"-', "radio OR", "'"]
)
def test_unbalanced_quotes_and_stray_operators_are_read_as_best_they_can(client, posts, query):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200


def test_an_unbalanced_quote_runs_to_the_end(client, posts):
    assert results(client, q='"radio programmes') == [f"/p/{posts['radio'].id}"]


def test_a_hidden_post_is_found_only_by_moderators_who_ask_for_it(
    app, client, dialogue_setup, create_user, posts
):
    create_user("grace", role=Role.moderator, display_name="Grace Mutesi")
    with app.app_context():
        hide_post(
            db.session.get(Post, posts["radio"].id),
            by=find_by_username("grace"),
            reason="Off topic.",
        )
        db.session.commit()
    for who in (None, "amina", "lucia"):
        reader = client.application.test_client()
        if who:
            reader.login(who)
        assert results(reader, q="radio programmes") == [], who
        assert results(reader, q="radio programmes", hidden="1") == [], who
        assert "Include hidden posts" not in reader.get("/search?q=radio").text
    client.login("grace")
    assert results(client, q="radio programmes") == []
    page = client.get("/search?q=radio+programmes&hidden=1").text
    assert RESULT.findall(page) == [f"/p/{posts['radio'].id}"]
    assert '<span class="badge">Hidden</span>' in page
    with app.app_context():
        restore_post(
            db.session.get(Post, posts["radio"].id),
            by=find_by_username("grace"),
            reason="On topic after all.",
        )
        db.session.commit()
    assert results(app.test_client(), q="radio programmes") == [f"/p/{posts['radio'].id}"]


def test_an_edit_changes_what_is_found_and_a_new_post_is_found_at_once(
    app, client, dialogue_setup, create_post, posts
):
    with app.app_context():
        edit_post(
            db.session.get(Post, posts["radio"].id),
            by=find_by_username("amina"),
            body="Nos émissions atteignent les femmes rurales.",
            language="fr",
        )
        db.session.commit()
    assert results(client, q="programmes") == []
    assert results(client, q="émission") == [f"/p/{posts['radio'].id}"]
    new = create_post(dialogue_setup.topic, body="A brand new word: zanzibar.")
    assert results(client, q="zanzibar") == [f"/p/{new.id}"]


def test_words_removed_with_an_account_are_not_found(
    app, client, dialogue_setup, create_post, posts
):
    quoting = create_post(
        dialogue_setup.topic,
        by="babar",
        body="> **Amina Diallo wrote:**\n>\n> rural women\n\nIndeed, xylophone.",
    )
    with app.app_context():
        delete_account(find_by_username("amina"), posts=Posts.remove)
        db.session.commit()
    assert results(client, q="programmes") == []
    assert results(client, q="rural") == []  # nor quoted in another's post
    assert results(client, q="xylophone") == [f"/p/{quoting.id}"]
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(SearchEntry)
                .where(SearchEntry.post_id == posts["radio"].id)
            )
            == 0
        )


def test_the_author_filter_finds_nothing_in_a_pseudonymous_dialogue(
    client, dialogue_setup, create_dialogue, create_topic, create_post
):
    hidden = create_dialogue("safe", title="Safe", pseudonymous=True)
    post = create_post(create_topic(hidden, title="Masked"), by="amina", body="radio masked")
    assert results(client, q="radio masked") == [f"/p/{post.id}"]
    assert results(client, q="radio masked", author="amina") == []
    page = client.get("/search?q=radio+masked").text
    assert "Amina Diallo" not in page and "Participant 2" in page  # the topic's opener is 1


def test_results_come_in_pages_of_20(client, dialogue_setup, create_post):
    for i in range(PER_PAGE + 3):
        create_post(dialogue_setup.topic, body=f"Peace number {i}")
    first = results(client, q="peace", sort="newest")
    second = results(client, q="peace", sort="newest", page=2)
    assert len(first) == PER_PAGE and len(second) == 3 and not set(first) & set(second)
    page = client.get("/search?q=peace&sort=newest").text
    assert 'rel="next" href="/search?page=2&amp;q=peace&amp;sort=newest"' in page
    assert "No more results." in client.get("/search?q=peace&page=3").text


def test_a_results_page_costs_the_same_statements_for_2_and_20_results(
    client, dialogue_setup, create_post, create_topic, queries
):
    other = create_topic(dialogue_setup.dialogue, title="Other")
    for i in range(2):
        create_post(dialogue_setup.topic, by="babar", body=f"rare word quokka {i}")
    for i in range(25):
        create_post(
            other, by="amina" if i % 2 else "babar", body=f"common word wombat {i}", prompt_id=None
        )

    def count(url):
        with queries() as log:
            assert client.get(url).status_code == 200
        return len(log.statements)

    count("/search?q=quokka")  # the first request also runs the app's one-off queries
    assert count("/search?q=quokka") == count("/search?q=wombat")
    client.login("amina")
    assert (
        count("/search?q=quokka") == count("/search?q=wombat") == count("/search?q=wombat&page=2")
    )


def test_search_boxes_on_topic_and_dialogue_pages_search_there(client, dialogue_setup):
    topic = client.get(dialogue_setup.topic.url).text
    assert f'<input type="hidden" name="topic" value="{dialogue_setup.topic.id}">' in topic
    assert "Search this topic" in topic
    dialogue = client.get("/d/men-as-allies").text
    assert '<input type="hidden" name="dialogue" value="men-as-allies">' in dialogue
    assert "Search this dialogue" in dialogue


def test_a_post_is_written_in_the_interface_language_unless_its_writer_chooses(
    app, client, dialogue_setup
):
    client.login("amina")
    client.post("/language/fr", data={"csrf_token": client.csrf_token()})
    form = client.get(dialogue_setup.topic.url).text
    assert '<option selected value="fr" lang="fr">Français</option>' in form or re.search(
        r'<option[^>]*selected[^>]*value="fr"', form
    )
    url = f"/t/{dialogue_setup.topic.id}/reply"
    client.submit(url, {"body": "Je réponds en français."}, page=dialogue_setup.topic.url)
    client.submit(url, {"body": "Y en español.", "language": "es"}, page=dialogue_setup.topic.url)
    with app.app_context():
        languages = db.session.scalars(select(Post.language).order_by(Post.id)).all()
    assert languages == ["fr", "es"]


def test_reindex_rebuilds_the_index_with_a_progress_bar(app, client, posts):
    with app.app_context():
        db.session.execute(SearchEntry.__table__.delete())
        db.session.commit()
    assert results(client, q="radio") == []
    output = app.test_cli_runner().invoke(args=["search", "reindex"]).output
    assert "Indexing" in output and "Indexed 3 posts, topics and summaries." in output
    assert results(client, q="radio") == [f"/p/{posts['radio'].id}"]
    assert results(client, q="mediacion") == [f"/p/{posts['mediacion'].id}"]
