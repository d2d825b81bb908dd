"""Pseudonymous dialogues: everyone appears under a pseudonym of the dialogue, everywhere.

The leak test builds a pseudonymous dialogue with posts, replies, quotes, an edit, a summary
(its facilitator sees beside it the people it does not cite yet), an edited conclusion, a lock,
a hidden post, a report, follows and mail at once, then reads every GET route of the app (from
its URL map, so a new route is read without a line here), every feed and every mail, as each
kind of person, and fails on any trace of the accounts of those who took part.
"""

import io
import re
import zipfile
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from forum import people
from forum.accounts.models import MailMode, Role
from forum.accounts.services import find_by_username
from forum.clock import utcnow
from forum.conclusions.services import save_conclusion
from forum.dialogues.models import Dialogue, Pseudonym
from forum.extensions import db
from forum.mail import delivery
from forum.moderation.models import Action, LogEntry, ReportReason, Reveal
from forum.moderation.reports import report_post
from forum.moderation.services import hide_post, lock_topic
from forum.notifications.services import follow
from forum.posts.models import Post
from forum.posts.services import edit_post, quotation
from forum.summaries.services import save_summary
from forum.topics.models import PromptQuestion, Topic

# Those who take part in the dialogue: none of this may show beside its content.
WRITERS = {
    "zeynep": ("Zeynep Arslan", "Kigali Women Mediators"),
    "tomas": ("Tomás Okafor", "Peshawar Youth Forum"),
    "luciap": ("Lucía Pérez", "Mesa de Paz Cauca"),
    "grace": ("Grace Mutesi", "Forum Safety Team"),
}
READER = "cora"  # follows the dialogue, writes nothing: the participant who reads
ROLES = {
    "anonymous": None,
    "participant": READER,
    "facilitator": "luciap",
    "moderator": "grace",
    "admin": "nadia",
}
# Pages that exist to show an account, to the one person entitled to see it.
SHOWS_ACCOUNTS = {
    ("admin", "/admin/reveals"),  # the record of every reveal
    ("admin", "/d/<slug>/facilitators"),  # assigning facilitators is done by account
}


def traces(username: str) -> list[str]:
    name, organisation = WRITERS[username]
    return [username, name, organisation, f"{username}@example.org", f"/u/{username}"]


@pytest.fixture
def pseudonymous(app, create_user, create_dialogue, create_topic, create_post):
    """A pseudonymous dialogue with everything that shows people in it."""
    create_user("nadia", role=Role.admin, display_name="Nadia Haddad")
    create_user(READER, display_name="Cora Reader")
    for username, (name, organisation) in WRITERS.items():
        role = Role.moderator if username == "grace" else Role.participant
        create_user(username, role=role, display_name=name, organisation=organisation)
    dialogue = create_dialogue("safe-space", pseudonymous=True, facilitators=["luciap"])
    topic = create_topic(dialogue, by="luciap")
    first = create_post(
        topic, by="zeynep", body="We met in secret.", prompt_id=topic.question_ids[0]
    )
    with app.app_context():
        for username in (READER, "zeynep", "tomas", "luciap"):
            person = find_by_username(username)
            person.mail_mode, person.email_confirmed_at = MailMode.instant, utcnow()
            follow(db.session.get(Topic, topic.id), by=person)
        follow(db.session.get(Dialogue, dialogue.id), by=find_by_username(READER))
        quoted = quotation(db.session.get(Post, first.id))
        db.session.commit()
    reply = create_post(topic, by="tomas", body=quoted + "So did we.", parent_id=first.id)
    answer = create_post(topic, by="zeynep", body="Thank you.", parent_id=reply.id)
    hidden = create_post(topic, by="tomas", body="Something unkind.")
    with app.app_context():
        zeynep, grace, lucia = (find_by_username(n) for n in ("zeynep", "grace", "luciap"))
        edit_post(db.session.get(Post, answer.id), by=zeynep, body="Thank you, truly.")
        report_post(
            db.session.get(Post, hidden.id),
            by=find_by_username(READER),
            reason=ReportReason.harassment,
        )
        hide_post(db.session.get(Post, hidden.id), by=grace, reason="Unkind.")
        topic_row = db.session.get(Topic, topic.id)
        save_summary(topic_row, source=f"As #p{first.id} said.", pinned=True, by=lucia)
        save_summary(topic_row.dialogue, source="A first round.", pinned=True, by=lucia)
        question = db.session.get(PromptQuestion, topic.question_ids[0])
        save_conclusion(question, source=f"Heard: #p{first.id}.", by=lucia)
        save_conclusion(question, source=f"Heard first: #p{first.id}.", by=lucia)
        lock_topic(topic_row, by=lucia, reason="Time for the summary.")
        db.session.commit()
    return SimpleNamespace(
        dialogue=dialogue, topic=topic, posts=[first, reply, answer, hidden], first=first
    )


def leaks(text: str, *, viewer: str | None) -> list[str]:
    """The traces of writers' accounts in a text (the viewer's own account excepted)."""
    return [
        trace
        for username in WRITERS
        if username != viewer
        for trace in traces(username)
        if re.search(rf"(?<!\w){re.escape(trace)}(?!\w)", text, re.IGNORECASE)
    ]


PLACEHOLDER = re.compile(r"<(?:[^:>]+:)?([^>]+)>")


def urls_of(rule: str, world, viewer: str | None, notification_ids) -> list[str]:
    """The addresses to read for a rule, every value its placeholders take in the world."""
    values = {
        "filename": ["style.css"],
        "code": ["en"],
        "language": ["fr"],
        "token": ["a-link-that-expired"],
        "username": [viewer or READER],
        "slug": [world.dialogue.slug],
        "topic_id": [str(world.topic.id)],
        "question_id": [str(world.topic.question_ids[0])],
        "post_id": [str(post.id) for post in world.posts],
        "notification_id": [str(n) for n in notification_ids] or ["1"],
        "message_id": ["1"],
        "format": ["html", "md", "json", "zip"],
        "table": ["posts", "people", "questions", "summaries", "log"],
        "choice_id": ["1"],
    }
    if rule == "/t/<int:topic_id>/<slug>":
        values["slug"] = [world.topic.slug]
    urls = [rule]
    for name in PLACEHOLDER.findall(rule):
        assert name in values, f"the leak test has no value for <{name}> in {rule}"
        urls = [
            PLACEHOLDER.sub(value, url, count=1) for url in urls for value in values[name]
        ]  # fmt: skip
    return urls


def readable(response) -> str:
    """A response's text; a zip's, the text of every file in it (the CSV tables of a report)."""
    if response.mimetype != "application/zip":
        return response.get_data(as_text=True)
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        return "\n".join(archive.read(name).decode() for name in archive.namelist())


# Views of a page that show people differently from its plain address.
VARIANTS = {
    "/t/<int:topic_id>/<slug>": ["?view=flat", "?view=threaded", "?prompt=1"],
    "/t/<int:topic_id>/reply": ["?to={post}&quote=1", "?to={post}"],
    "/moderation/log": ["?dialogue={slug}"],
    "/api/v1/moderation/log": ["?dialogue={slug}", "?limit=1"],
    "/api/v1/topics/<int:topic_id>/posts": ["?limit=1", "?question={question}"],
    # What finds the dialogue's posts (quoted and edited), its summaries, its topic, and the
    # hidden post (for a moderator who asks).
    "/search": [
        "?q=secret",
        "?q=thank+truly&sort=newest",
        "?q=round",
        "?q=said",
        "?q=experience",
        "?q=unkind&hidden=1",
        "?q=secret&dialogue={slug}",
    ],
}


def test_nothing_ties_a_pseudonym_to_an_account_on_any_page_feed_or_mail(app, smtp, pseudonymous):
    with app.app_context():
        delivery.run_worker(once=True)
    rules = sorted(
        {rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    )  # fmt: skip
    read = 0
    for role, viewer in ROLES.items():
        client = app.test_client()
        if viewer:
            assert client.login(viewer).status_code == 302
        with app.app_context():
            own = find_by_username(viewer) if viewer else None
            from forum.notifications.models import Notification

            ids = (
                db.session.scalars(select(Notification.id).where(Notification.user_id == own.id))
                if own
                else []
            )
            ids = list(ids)
        for rule in rules:
            if rule.startswith("/logout") or (role, rule) in SHOWS_ACCOUNTS:
                continue
            for url in urls_of(rule, pseudonymous, viewer, ids):
                for variant in ["", *VARIANTS.get(rule, [])]:
                    extra = variant.format(
                        post=pseudonymous.first.id,
                        slug=pseudonymous.dialogue.slug,
                        question=pseudonymous.topic.question_ids[0],
                    )
                    response = client.get(url + extra, follow_redirects=True)
                    body = readable(response)
                    response.close()
                    assert response.status_code < 500, (role, url + extra)
                    found = leaks(body, viewer=viewer)
                    assert not found, (role, url + extra, found)
                    read += 1
    assert read > 100

    # Every mail: notifications of replies, quotes, hides, locks, summaries, new posts.
    assert len(smtp.received) >= 5
    for mail in smtp.received:
        recipient = mail["To"].split("@")[0]
        found = leaks(mail.as_string(), viewer=recipient)
        assert not found, (mail["To"], mail["Subject"], found)


def test_pseudonyms_are_numbered_in_order_of_first_appearance(app, client, pseudonymous):
    with app.app_context():
        numbers = dict(
            db.session.execute(
                select(Pseudonym.user_id, Pseudonym.number).where(
                    Pseudonym.dialogue_id == pseudonymous.dialogue.id
                )
            ).all()
        )
        order = [find_by_username(n).id for n in ("luciap", "zeynep", "tomas", "grace")]
    assert [numbers[user_id] for user_id in order] == [1, 2, 3, 4]
    page = client.get(pseudonymous.topic.url).text
    assert "Participant 2" in page and "Participant 3" in page
    post = client.get(f"{pseudonymous.topic.url}#p{pseudonymous.posts[1].id}").text
    assert "**Participant 2 wrote:**" not in post  # rendered, not raw
    assert "<strong>Participant 2 wrote:</strong>" in page
    french = app.test_client()
    french.get("/language/fr")
    assert "Participant·e 2" in french.get(pseudonymous.topic.url).text


def test_a_participant_chooses_a_name_unique_in_the_dialogue(app, client, pseudonymous):
    client.login("zeynep")
    address = f"/d/{pseudonymous.dialogue.slug}/pseudonym"
    token = client.csrf_token(f"/d/{pseudonymous.dialogue.slug}")
    client.post(address, data={"csrf_token": token, "name": "Olive Tree"})
    page = client.get(pseudonymous.topic.url).text
    first = page.split(f'id="p{pseudonymous.first.id}"')[1].split("</header>")[0]
    assert "Olive Tree" in first and "Participant 2" not in first
    assert "You appear here as Olive Tree" in client.get(f"/d/{pseudonymous.dialogue.slug}").text

    other = app.test_client()
    other.login("tomas")
    token = other.csrf_token(f"/d/{pseudonymous.dialogue.slug}")
    page = other.post(
        address, data={"csrf_token": token, "name": "olive TREE"}, follow_redirects=True
    )
    assert "already goes by this name" in page.text
    page = other.post(
        address, data={"csrf_token": token, "name": "Participant 9"}, follow_redirects=True
    )
    assert "cannot end in a number" in page.text
    assert "Participant 3" in other.get(pseudonymous.topic.url).text


def test_pseudonymity_cannot_be_switched_off_once_people_wrote(app, client, pseudonymous):
    client.login("nadia")
    edit = f"/d/{pseudonymous.dialogue.slug}/edit"
    page = client.submit(edit, {"title": "Safe space", "description": "", "state": "open"})
    assert page.status_code == 422
    assert "it stays pseudonymous" in page.text
    with app.app_context():
        assert db.session.get(Dialogue, pseudonymous.dialogue.id).pseudonymous


def test_a_new_dialogue_can_be_made_pseudonymous_and_back_while_empty(app, client, dialogue_setup):
    client.login("nadia")
    fields = {"title": "Quiet room", "slug": "quiet-room", "description": "", "state": "open"}
    client.submit("/dialogues/new", fields | {"pseudonymous": "y"}, page="/dialogues/new")
    with app.app_context():
        dialogue = db.session.scalar(select(Dialogue).where(Dialogue.slug == "quiet-room"))
        assert dialogue.pseudonymous
    fields.pop("slug")
    assert client.submit("/d/quiet-room/edit", fields).status_code == 302
    with app.app_context():
        assert not db.session.scalar(
            select(Dialogue).where(Dialogue.slug == "quiet-room")
        ).pseudonymous


def test_a_moderator_reveals_an_author_for_a_recorded_reason(app, pseudonymous):
    post = pseudonymous.posts[1]  # Tomás's
    facilitator = app.test_client()
    facilitator.login("luciap")
    assert facilitator.get(f"/p/{post.id}/reveal").status_code == 403
    assert "Who wrote this?" not in facilitator.get(pseudonymous.topic.url).text

    moderator = app.test_client()
    moderator.login("grace")
    assert "Who wrote this?" in moderator.get(pseudonymous.topic.url).text
    refused = moderator.submit(f"/p/{post.id}/reveal", {"reason": " "})
    assert refused.status_code == 422 and "Tomás" not in refused.text
    shown = moderator.submit(f"/p/{post.id}/reveal", {"reason": "Threats reported by mail."})
    assert shown.status_code == 200
    assert "Tomás Okafor" in shown.text and "/u/tomas" in shown.text

    with app.app_context():
        [look] = db.session.scalars(select(Reveal)).all()
        assert (look.moderator.username, look.person.username) == ("grace", "tomas")
        assert look.reason == "Threats reported by mail."
        entry = db.session.scalar(select(LogEntry).where(LogEntry.action == Action.reveal))
        assert entry.dialogue_id == pseudonymous.dialogue.id
        assert entry.target_user_id is None and entry.reason == ""

    log = app.test_client().get("/moderation/log").text
    assert "A pseudonym revealed to a moderator" in log
    assert "Tomás" not in log and "Threats reported" not in log
    admin = app.test_client()
    admin.login("nadia")
    record = admin.get("/admin/reveals").text
    assert "Threats reported by mail." in record and "Tomás Okafor" in record
    assert "Participant 3" in record and "Grace Mutesi" in record
    assert moderator.get("/admin/reveals").status_code == 403


def test_a_dialogue_with_names_is_unchanged(client, dialogue_setup, create_post):
    create_post(dialogue_setup.topic, by="amina", body="Hello.")
    page = client.get(dialogue_setup.topic.url).text
    assert "Amina Diallo" in page and "/u/amina" in page
    assert "Participant 1" not in page and "Who wrote this?" not in page


def test_a_pseudonymous_topic_page_costs_the_same_queries_whatever_its_writers(
    app, client, pseudonymous, create_user, create_post, queries, pages_built_each_time
):
    def count():
        with queries() as log:
            assert client.get(pseudonymous.topic.url).status_code == 200
        return len(log.statements)

    count()
    before = count()
    with app.app_context():
        db.session.get(Topic, pseudonymous.topic.id).locked_at = None
        db.session.commit()
    for n in range(12):
        create_user(f"writer{n}")
        create_post(pseudonymous.topic, by=f"writer{n}", body=f"Post {n}")
    with app.app_context():
        topic = db.session.get(Topic, pseudonymous.topic.id)
        lock_topic(topic, by=find_by_username("luciap"), reason="Again.")
        db.session.commit()
    assert count() == before
    assert "Participant 16" in client.get(pseudonymous.topic.url).text


# Choosing one's pseudonym with one's first post or topic.
FIRST_NAME = "The name you will go by in this dialogue"


@pytest.fixture
def newcomers(create_user, create_dialogue, create_topic):
    """A pseudonymous dialogue with one topic, where zeynep and tomas have not written yet."""
    for username, (name, organisation) in WRITERS.items():
        create_user(username, display_name=name, organisation=organisation)
    dialogue = create_dialogue(
        "safe-space", pseudonymous=True, facilitators=["luciap"], allow_participant_topics=True
    )
    topic = create_topic(dialogue, by="luciap")
    return SimpleNamespace(dialogue=dialogue, topic=topic)


def own_pseudonym(dialogue, username: str) -> Pseudonym | None:
    return db.session.get(Pseudonym, (dialogue.id, find_by_username(username).id))


def test_a_participant_chooses_their_name_in_their_first_reply(app, client, newcomers):
    topic = newcomers.topic
    client.login("zeynep")
    assert FIRST_NAME in client.get(topic.url).text
    assert FIRST_NAME in client.get(f"/t/{topic.id}/reply").text
    posted = client.submit(
        f"/t/{topic.id}/reply",
        {"pseudonym": "  Olive Tree ", "body": "We met in secret."},
        page=topic.url,
    )
    assert posted.status_code == 302
    page = client.get(topic.url).text
    read = app.test_client().get(topic.url).text
    assert "Olive Tree" in read and "Participant 2" not in read and "Zeynep" not in read
    with app.app_context():
        own = own_pseudonym(newcomers.dialogue, "zeynep")
        assert (own.number, own.name) == (2, "Olive Tree")
    # Their pseudonym is chosen: the field is gone, and a name sent anyway changes nothing.
    assert FIRST_NAME not in page
    assert FIRST_NAME not in client.get(f"/t/{topic.id}/reply").text
    again = client.submit(
        f"/t/{topic.id}/reply", {"pseudonym": "Fig Tree", "body": "Again."}, page=topic.url
    )
    assert again.status_code == 302
    with app.app_context():
        assert own_pseudonym(newcomers.dialogue, "zeynep").name == "Olive Tree"

    # Left empty, the first reply goes by its number.
    other = app.test_client()
    other.login("tomas")
    other.submit(f"/t/{topic.id}/reply", {"pseudonym": " ", "body": "So did we."}, page=topic.url)
    assert "Participant 3" in other.get(topic.url).text
    assert FIRST_NAME not in other.get(topic.url).text


def test_a_name_refused_in_a_first_reply_keeps_everything_typed(app, client, newcomers):
    topic = newcomers.topic
    with app.app_context():
        people.choose(
            db.session.get(Dialogue, newcomers.dialogue.id), find_by_username("tomas"), "Olive"
        )
        db.session.commit()
    client.login("zeynep")
    typed = {
        "subject": "About the meeting",
        "body": "We met *in secret*.",
        "prompt": topic.question_ids[1],
        "content_note": "describes threats",
    }
    for name, message in [
        ("olive", "Someone in this dialogue already goes by this name."),
        ("Participant 9", "A chosen name cannot end in a number, like the given ones."),
        ("x" * 81, "A name has at most 80 characters."),
    ]:
        page = client.submit(f"/t/{topic.id}/reply", typed | {"pseudonym": name}, page=topic.url)
        assert page.status_code == 422
        assert f'<p class="error" id="pseudonym-error">{message}</p>' in page.text
        assert f'name="pseudonym" type="text" value="{name}"' in page.text
        assert 'value="About the meeting"' in page.text and "We met *in secret*." in page.text
        assert 'value="describes threats"' in page.text
        assert f'<option selected value="{topic.question_ids[1]}">' in page.text
    with app.app_context():
        assert own_pseudonym(newcomers.dialogue, "zeynep") is None
        assert db.session.scalar(select(Post).where(Post.topic_id == topic.id)) is None


def test_a_name_is_chosen_in_a_first_topic_and_a_refused_one_keeps_the_topic(
    app, client, newcomers
):
    client.login("zeynep")
    new = f"/d/{newcomers.dialogue.slug}/new-topic"
    typed = {"title": "Safe routes", "framing": "Where can we *meet*?", "questions-0": "Where?"}
    page = client.submit(new, typed | {"pseudonym": "Participant 1"})
    assert page.status_code == 422
    assert 'id="pseudonym-error">A chosen name cannot end in a number' in page.text
    assert 'value="Safe routes"' in page.text and "Where can we *meet*?" in page.text
    assert "Where?</textarea>" in page.text
    assert client.submit(new, typed | {"pseudonym": "Olive Tree"}).status_code == 302
    with app.app_context():
        topic = db.session.scalar(select(Topic).where(Topic.title == "Safe routes"))
        assert own_pseudonym(newcomers.dialogue, "zeynep").name == "Olive Tree"
    feed = app.test_client().get(f"/d/{newcomers.dialogue.slug}/feed.rss").text
    assert "<title>Safe routes</title>" in feed
    assert "Olive Tree" in feed and "Zeynep" not in feed
    assert FIRST_NAME not in client.get(new).text
    assert FIRST_NAME not in client.get(f"/t/{topic.id}/edit").text


def test_no_name_is_offered_where_it_cannot_be_chosen(app, client, dialogue_setup, newcomers):
    client.login("luciap")  # went by a number when opening the topic
    assert FIRST_NAME not in client.get(newcomers.topic.url).text
    assert FIRST_NAME not in client.get(f"/d/{newcomers.dialogue.slug}/new-topic").text
    named = app.test_client()
    named.login("amina")  # a dialogue with names
    assert FIRST_NAME not in named.get(dialogue_setup.topic.url).text
    assert FIRST_NAME not in named.get(f"/t/{dialogue_setup.topic.id}/reply").text
