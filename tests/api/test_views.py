"""The JSON API: what the pages show everyone, as data; pages by cursor; 304s; limits; leaks."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from forum import text
from forum.accounts.deletion import Posts, delete_account
from forum.accounts.models import Role
from forum.accounts.services import find_by_username, update_profile
from forum.clock import utcnow
from forum.conclusions.models import Conclusion
from forum.dialogues import services as dialogues
from forum.dialogues.models import Dialogue
from forum.extensions import db
from forum.moderation.services import hide_post, lock_topic
from forum.posts.models import Post
from forum.summaries.services import save_summary
from forum.topics.models import Topic

API = "/api/v1"


def get(client, url: str, status: int = 200, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == status, (url, response.status_code, response.text)
    assert response.mimetype == "application/json"
    return response.json


def error(client, url: str, status: int) -> str:
    """The message of the JSON error the API answers at url."""
    body = get(client, url, status)
    assert body["error"]["status"] == status
    return body["error"]["message"]


@pytest.fixture
def forum(app, dialogue_setup, create_user, create_post):
    """A topic with answers, a reply, a hidden post (subject, note), a removed post, a pinned
    summary citing a post, a conclusion under question 1 and a lock."""
    create_user("grace", role=Role.moderator, display_name="Grace Mutesi")
    create_user("leaver", display_name="Leaving Soon")
    topic = dialogue_setup.topic
    first = create_post(topic, by="amina", subject="Open the door", body="**Then** step back.",
                        prompt_id=topic.question_ids[0])  # fmt: skip
    reply = create_post(topic, by="babar", body="Agreed.", parent_id=first.id)
    hidden = create_post(topic, by="babar", subject="Rude subject", body="Rude words",
                         content_note="rude note")  # fmt: skip
    removed = create_post(topic, by="leaver", body="Words taken back.")
    with app.app_context():
        grace, lucia = find_by_username("grace"), find_by_username("lucia")
        hide_post(db.session.get(Post, hidden.id), by=grace, reason="Against the code.")
        delete_account(find_by_username("leaver"), posts=Posts.remove)
        row = db.session.get(Topic, topic.id)
        save_summary(row, source=f"As #p{first.id} said.", pinned=True, by=lucia)
        save_summary(row.dialogue, source="A first round.", pinned=True, by=lucia)
        source = f"Step back, #p{first.id}."
        db.session.add(
            Conclusion(question_id=topic.question_ids[0], topic_id=topic.id, source=source,
                       html=text.render(source), cited_post_ids=[first.id], author_id=lucia.id)
        )  # fmt: skip
        lock_topic(row, by=lucia, reason="Time for the summary.")
        db.session.commit()
    return SimpleNamespace(
        topic=topic, dialogue=dialogue_setup.dialogue, first=first, reply=reply, hidden=hidden,
        removed=removed,
    )  # fmt: skip


def test_dialogues_topics_and_a_topic_as_the_database_holds_them(client, forum):
    [listed] = get(client, f"{API}/dialogues")["dialogues"]
    assert listed["slug"] == "men-as-allies" and listed["state"] == "open"
    assert listed["url"] == "http://localhost/d/men-as-allies"
    assert listed["topic_count"] == 1 and listed["post_count"] == 4

    dialogue = get(client, listed["api_url"])
    assert dialogue["description_html"] == "<p>A dialogue about <strong>support</strong>.</p>"
    assert dialogue["facilitators"] == [
        {"name": "Lucía Pérez", "organisation": None, "profile_url": "http://localhost/u/lucia"}
    ]
    assert dialogue["summary"]["html"] == "<p>A first round.</p>"
    assert dialogue["summary"]["author"]["name"] == "Lucía Pérez"

    [card] = get(client, dialogue["topics_url"])["topics"]
    assert card["id"] == forum.topic.id and card["is_locked"] and card["post_count"] == 4
    topic = get(client, card["api_url"])
    assert topic["url"] == f"http://localhost{forum.topic.url}"
    assert topic["framing_html"] == "<p>Tell us about <em>your</em> experience.</p>"
    assert topic["lock"]["reason"] == "Time for the summary."
    assert topic["lock"]["by"]["name"] == "Lucía Pérez"
    assert [(q["id"], q["number"], q["text"], q["answer_count"]) for q in topic["questions"]] == [
        (forum.topic.question_ids[0], 1, "What helps?", 1),
        (forum.topic.question_ids[1], 2, "What does not?", 0),
        (forum.topic.question_ids[2], 3, "Who decides?", 0),
    ]
    conclusion = topic["questions"][0]["conclusion"]
    assert conclusion["cited_post_ids"] == [forum.first.id]
    assert f'href="/p/{forum.first.id}"' in conclusion["html"]
    assert conclusion["author"]["name"] == "Lucía Pérez"
    assert topic["questions"][1]["conclusion"] is None
    assert topic["summary"]["cited_post_ids"] == [forum.first.id]
    assert topic["summary"]["history_url"].endswith(f"/t/{forum.topic.id}/summary/history")

    answers = get(client, topic["questions"][0]["posts_url"])["posts"]
    assert [post["id"] for post in answers] == [forum.first.id]


def test_posts_as_the_topic_page_shows_them_to_anyone(app, client, forum):
    posts = {
        post["id"]: post for post in get(client, f"{API}/topics/{forum.topic.id}/posts")["posts"]
    }
    first = posts[forum.first.id]
    assert first["subject"] == "Open the door"
    assert first["body_html"] == "<p><strong>Then</strong> step back.</p>"
    assert first["author"] == {
        "name": "Amina Diallo", "organisation": None, "profile_url": "http://localhost/u/amina"
    }  # fmt: skip
    assert first["question_id"] == forum.topic.question_ids[0] and first["parent_id"] is None
    assert first["url"] == f"http://localhost/p/{forum.first.id}"
    assert posts[forum.reply.id]["parent_id"] == forum.first.id
    removed = posts[forum.removed.id]
    assert removed["removed"] and removed["body_html"] == "" and removed["subject"] == ""
    assert removed["author"]["name"] == "A former participant"
    assert removed["author"]["profile_url"] is None
    assert get(client, f"{API}/posts/{forum.first.id}")["body_html"] == first["body_html"]


@pytest.mark.parametrize("reader", [None, "babar", "grace", "nadia"])
def test_a_hidden_post_says_nothing_whoever_asks(app, forum, reader):
    client = app.test_client()
    if reader:
        client.login(reader)
    placeholder = {
        "id": forum.hidden.id, "number": 3, "url": f"http://localhost/p/{forum.hidden.id}",
        "parent_id": None, "depth": 0, "hidden": True, "hidden_reason": "Against the code.",
    }  # fmt: skip
    posts = get(client, f"{API}/topics/{forum.topic.id}/posts")["posts"]
    assert [post for post in posts if post["id"] == forum.hidden.id] == [placeholder]
    single = get(client, f"{API}/posts/{forum.hidden.id}")
    assert single.pop("topic")["id"] == forum.topic.id and single == placeholder
    for url in (f"{API}/topics/{forum.topic.id}/posts", f"{API}/posts/{forum.hidden.id}",
                f"{API}/topics/{forum.topic.id}", f"{API}/dialogues/men-as-allies"):  # fmt: skip
        body = client.get(url).text
        assert "Rude" not in body and "rude note" not in body


def test_paging_through_every_post_by_cursor_gives_each_once(app, client, dialogue_setup,
                                                             create_post):  # fmt: skip
    topic = dialogue_setup.topic
    for n in range(7):
        create_post(topic, by=("amina", "babar")[n % 2], body=f"Post {n}",
                    prompt_id=topic.question_ids[n % 2])  # fmt: skip
    with app.app_context():
        every = db.session.scalars(
            select(Post.id).where(Post.topic_id == topic.id).order_by(Post.number)
        ).all()
    for query, expected in [("", every), (f"&question={topic.question_ids[0]}", every[::2])]:
        seen, url, pages = [], f"{API}/topics/{topic.id}/posts?limit=2{query}", 0
        while url:
            page = get(client, url)
            seen += [post["id"] for post in page["posts"]]
            url, pages = page["next"], pages + 1
        assert seen == expected and pages == (len(expected) + 1) // 2


def test_bad_cursors_and_parameters_are_refused_with_a_message(client, forum, create_topic):
    posts = f"{API}/topics/{forum.topic.id}/posts"
    cursor = get(client, f"{posts}?limit=1")["next_cursor"]
    tampered = cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB")
    forged = cursor.split(".")[0][:-2] + "x." + cursor.split(".")[1]
    for bad in (tampered, forged, "abc", "W10", "%00abc", "é"):
        assert "was not given by the API, or was altered" in error(
            client, f"{posts}?cursor={bad}", 400
        )
    other = create_topic(forum.dialogue, title="Another topic")
    message = error(client, f"{API}/topics/{other.id}/posts?cursor={cursor}", 400)
    assert "belongs to another list" in message
    log = get(client, f"{API}/moderation/log?limit=1")["next_cursor"]
    assert "belongs to another list" in error(client, f"{posts}?cursor={log}", 400)
    for size in ("0", "101", "-1", "ten", "1e2"):
        assert "limit is a whole number from 1 to 100" in error(
            client, f"{posts}?limit={size}", 400
        )
    assert "prompt questions" in error(client, f"{posts}?question=x", 400)
    assert "no prompt question" in error(client, f"{posts}?question={other.id + 999}", 404)


def test_what_is_not_there_is_a_json_404(client, forum):
    assert "no dialogue" in error(client, f"{API}/dialogues/nowhere", 404)
    assert "no dialogue" in error(client, f"{API}/dialogues/nowhere/topics", 404)
    assert "no dialogue" in error(client, f"{API}/moderation/log?dialogue=nowhere", 404)
    assert "no topic" in error(client, f"{API}/topics/999", 404)
    assert "no topic" in error(client, f"{API}/topics/999/posts", 404)
    assert "no post" in error(client, f"{API}/posts/999", 404)
    assert "nothing at this address" in error(client, f"{API}/topics/{2**40}", 404)
    assert "nothing at this address" in error(client, f"{API}/nothing", 404)
    refused = client.post(f"{API}/dialogues")
    assert refused.status_code == 405 and "only answers GET" in refused.json["error"]["message"]


def test_the_moderation_log_shows_what_its_page_shows(client, forum):
    page = get(client, f"{API}/moderation/log?dialogue=men-as-allies")
    actions = [entry["action"] for entry in page["entries"]]
    assert actions == ["lock", "pin", "pin", "hide"]
    hide = page["entries"][-1]
    assert hide["actor"]["name"] == "Grace Mutesi" and hide["reason"] == "Against the code."
    assert hide["post"] == {"id": forum.hidden.id, "url": f"http://localhost/p/{forum.hidden.id}",
                            "author": {"name": "Babar Khan", "organisation": None,
                                       "profile_url": "http://localhost/u/babar"}}  # fmt: skip
    assert hide["topic"]["id"] == forum.topic.id and hide["dialogue"]["slug"] == "men-as-allies"
    seen, url = [], f"{API}/moderation/log?limit=3"
    while url:
        page = get(client, url)
        seen += [entry["id"] for entry in page["entries"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 4 and seen == sorted(seen, reverse=True)


def test_a_second_read_gets_304_in_one_query_until_something_shown_changes(
    app, client, forum, create_post, queries
):
    topic = forum.topic
    urls = [f"{API}/dialogues", f"{API}/dialogues/men-as-allies",
            f"{API}/dialogues/men-as-allies/topics", f"{API}/topics/{topic.id}",
            f"{API}/topics/{topic.id}/posts?limit=2", f"{API}/posts/{forum.first.id}",
            f"{API}/moderation/log"]  # fmt: skip
    tags = {}
    for url in urls:
        first = client.get(url)
        tags[url] = first.headers["ETag"]
        assert first.headers["Last-Modified"] and "max-age" in first.headers["Cache-Control"]
        with queries() as log:
            again = client.get(url, headers={"If-None-Match": tags[url]})
        assert again.status_code == 304 and again.data == b"" and len(log.statements) <= 1, url
        since = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
        assert since.status_code == 304, url
        assert client.get(url, headers={"If-None-Match": f"W/{tags[url]}"}).status_code == 304
    assert client.get(urls[4]).headers["ETag"] != client.get(urls[4][:-1] + "3").headers["ETag"]

    def changed() -> set[str]:
        return {url for url in urls if client.get(url).headers["ETag"] != tags[url]}

    with app.app_context():  # the person who wrote a post changes their name
        update_profile(find_by_username("amina"), display_name="Amina D.")
        db.session.commit()
    assert changed() >= set(urls[:6])
    assert get(client, urls[5])["author"]["name"] == "Amina D."
    tags = {url: client.get(url).headers["ETag"] for url in urls}
    with app.app_context():  # an admin edits the dialogue's title
        dialogue = db.session.get(Dialogue, forum.dialogue.id)
        dialogues.update_dialogue(dialogue, title="Men as allies, again", description="",
                                  state=dialogue.state, allow_participant_topics=False,
                                  by=find_by_username("nadia"))  # fmt: skip
        db.session.commit()
    assert changed() >= set(urls[:3])
    assert get(client, urls[1])["title"] == "Men as allies, again"


def test_a_dialogue_past_its_closing_time_reads_as_closed(app, client, forum):
    url = f"{API}/dialogues/men-as-allies"
    with app.app_context():
        dialogue = db.session.get(Dialogue, forum.dialogue.id)
        dialogue.changed_at = utcnow() - timedelta(hours=2)
        dialogue.closes_at = utcnow() + timedelta(hours=1)
        db.session.commit()
    before = client.get(url)
    assert before.json["state"] == "open"
    with app.app_context():  # an hour passes: nobody acts, nothing is marked changed
        db.session.get(Dialogue, forum.dialogue.id).closes_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.json["state"] == "closed"
    assert get(client, f"{API}/dialogues")["dialogues"][0]["state"] == "closed"


def test_the_api_is_rate_limited_per_address_with_a_json_429(app, forum):
    app.config["RATELIMIT_API"] = "3 per minute"
    client, neighbour = app.test_client(), app.test_client()
    neighbour.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    for url in (f"{API}/dialogues", f"{API}/topics/{forum.topic.id}", f"{API}/moderation/log"):
        assert client.get(url).status_code == 200
    refused = client.get(f"{API}/posts/{forum.first.id}")
    assert refused.status_code == 429 and refused.mimetype == "application/json"
    assert "at most 3 per 1 minute" in refused.json["error"]["message"]
    assert int(refused.headers["Retry-After"]) > 0
    assert neighbour.get(f"{API}/dialogues").status_code == 200
    assert client.get("/").status_code == 200  # the pages are not counted


@pytest.fixture
def pseudonymous(app, create_user, create_dialogue, create_topic, create_post):
    """A pseudonymous dialogue: a topic, answers, a pinned summary, a lock."""
    for username, name in (("nadia", "Nadia Haddad"), ("luciap", "Lucía Pérez"),
                           ("zeynep", "Zeynep Arslan"), ("tomas", "Tomás Okafor")):  # fmt: skip
        create_user(username, display_name=name, organisation=f"{name}'s NGO")
    dialogue = create_dialogue("safe-space", pseudonymous=True, facilitators=["luciap"])
    topic = create_topic(dialogue, by="luciap")
    first = create_post(topic, by="zeynep", body="We met in secret.")
    create_post(topic, by="tomas", body="So did we.", parent_id=first.id)
    with app.app_context():
        lucia, row = find_by_username("luciap"), db.session.get(Topic, topic.id)
        save_summary(row, source=f"As #p{first.id} said.", pinned=True, by=lucia)
        lock_topic(row, by=lucia, reason="Time for the summary.")
        db.session.commit()
    return SimpleNamespace(dialogue=dialogue, topic=topic)


def test_a_pseudonymous_dialogue_shows_pseudonyms_only(client, pseudonymous):
    topic = pseudonymous.topic
    dialogue = get(client, f"{API}/dialogues/safe-space")
    assert dialogue["pseudonymous"] and dialogue["facilitators"] == []
    shown = get(client, f"{API}/topics/{topic.id}")
    posts = get(client, f"{API}/topics/{topic.id}/posts")["posts"]
    log = get(client, f"{API}/moderation/log?dialogue=safe-space")["entries"]
    people = [shown["author"], shown["lock"]["by"], shown["summary"]["author"],
              *(post["author"] for post in posts), *(entry["actor"] for entry in log)]  # fmt: skip
    assert [person["name"] for person in people] == [
        "Participant 1", "Participant 1", "Participant 1", "Participant 2", "Participant 3",
        "Participant 1", "Participant 1",
    ]  # fmt: skip
    assert all(p["profile_url"] is None and p["organisation"] is None for p in people)
    body = "".join(client.get(url).text for url in (
        f"{API}/dialogues", f"{API}/dialogues/safe-space", f"{API}/dialogues/safe-space/topics",
        f"{API}/topics/{topic.id}", f"{API}/topics/{topic.id}/posts", f"{API}/moderation/log",
    ))  # fmt: skip
    for trace in ("luciap", "zeynep", "tomas", "Lucía", "Zeynep", "Tomás", "NGO", "/u/"):
        assert trace not in body


def test_a_chosen_pseudonym_changes_the_validators_of_its_topics(app, client, pseudonymous):
    url = f"{API}/topics/{pseudonymous.topic.id}/posts"
    before = client.get(url).headers["ETag"]
    client.login("zeynep")
    client.submit("/d/safe-space/pseudonym", {"name": "Olive Tree"}, page="/d/safe-space")
    fresh = client.get(url, headers={"If-None-Match": before})
    assert fresh.status_code == 200 and fresh.json["posts"][0]["author"]["name"] == "Olive Tree"


def test_a_page_of_posts_costs_the_same_queries_whatever_its_writers(
    app, client, pseudonymous, create_user, create_post, queries
):
    url = f"{API}/topics/{pseudonymous.topic.id}/posts"

    def count() -> int:
        with queries() as log:
            assert client.get(url).status_code == 200
        return len(log.statements)

    before = count()
    with app.app_context():
        db.session.get(Topic, pseudonymous.topic.id).locked_at = None
        db.session.commit()
    for n in range(8):
        create_user(f"writer{n}")
        create_post(pseudonymous.topic, by=f"writer{n}", body=f"Post {n}")
    assert count() == before == 2
    assert len(get(client, url)["posts"]) == 10
