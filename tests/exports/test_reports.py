"""A dialogue's report: the printable page and its Markdown, JSON and CSV exports, checked
against the database, for who may have them, and for what must never be in them."""

import csv
import io
import json
import zipfile
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from forum import text
from forum.accounts.models import ChoiceKind, ProfileChoice
from forum.accounts.services import find_by_username
from forum.conclusions.models import Conclusion
from forum.dialogues.models import Dialogue, DialogueState
from forum.extensions import db
from forum.moderation.models import ReportReason
from forum.moderation.reports import report_post
from forum.moderation.services import hide_post, lock_topic
from forum.posts.models import Post
from forum.summaries.services import save_summary
from forum.topics.models import Topic

HIDDEN = ("SUBJECT-OF-THE-HIDDEN", "WORDS-OF-THE-HIDDEN", "NOTE-OF-THE-HIDDEN")
REPORTER_NOTE = "REPORTER-NOTE-PRIVATE"
DECLARED = "Male ally of the north"


@pytest.fixture
def harvest(app, dialogue_setup, create_user, create_post):
    """A topic with two answered questions, a conclusion and a summary citing posts, a reply, a
    hidden post, a report, a lock and a person who declared a role."""
    create_user("cora", display_name="Cora Reader")
    topic = dialogue_setup.topic
    q1, q2 = topic.question_ids[:2]
    first = create_post(topic, by="amina", body="Listening **first**.", prompt_id=q1)
    second = create_post(topic, by="babar", body="Money for travel.", prompt_id=q2)
    reply = create_post(topic, by="amina", body="Yes, and visas.", parent_id=second.id)
    hidden = create_post(
        topic, by="babar", body=HIDDEN[1], subject=HIDDEN[0], content_note=HIDDEN[2]
    )
    with app.app_context():
        lucia, babar = find_by_username("lucia"), find_by_username("babar")
        role = ProfileChoice(kind=ChoiceKind.role, label=DECLARED)
        db.session.add(role)
        db.session.flush()
        babar.declared_role_id = role.id
        report_post(
            db.session.get(Post, hidden.id),
            by=find_by_username("cora"),
            reason=ReportReason.harassment,
            note=REPORTER_NOTE,
        )
        hide_post(db.session.get(Post, hidden.id), by=find_by_username("nadia"), reason="Rude.")
        row = db.session.get(Topic, topic.id)
        save_summary(row, source=f"Two needs: #p{first.id} and #p{second.id}.", pinned=True,
                     by=lucia)  # fmt: skip
        source = f"Listen before acting, as #p{first.id} put it."
        db.session.add(
            Conclusion(question_id=q1, topic_id=topic.id, source=source,
                       html=text.render(source), cited_post_ids=[first.id], author_id=lucia.id)
        )  # fmt: skip
        lock_topic(row, by=lucia, reason="Time to write the conclusions.")
        db.session.commit()
    return SimpleNamespace(
        topic=topic, slug=dialogue_setup.dialogue.slug, first=first, second=second,
        reply=reply, hidden=hidden, questions=(q1, q2),
    )  # fmt: skip


def _as(app, username):
    client = app.test_client()
    assert client.login(username).status_code == 302
    return client


def _unzip(response) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        return {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}


def test_the_report_page_holds_each_question_with_its_conclusion_answers_and_citations(
    app, harvest
):
    page = _as(app, "lucia").get(f"/d/{harvest.slug}/report")
    assert page.status_code == 200
    html = page.text
    assert "Question 1: What helps?" in html and "Question 2: What does not?" in html
    # The conclusion sits under its question, before the question's answers.
    q1 = html.index("Question 1: What helps?")
    assert q1 < html.index("Listen before acting") < html.index("Listening <strong>first")
    assert html.index("Listening <strong>first") < html.index("Question 2: What does not?")
    # Citations resolved: who wrote the cited post, and what it says.
    assert f'<a href="#p{harvest.first.id}">#p{harvest.first.id}</a> · Amina Diallo' in html
    assert "<q>Listening first.</q>" in html
    # The reply, the lock, the log, the data card.
    assert "Yes, and visas." in html and "in reply to #2" in html
    assert "Time to write the conclusions." in html
    assert "Licence" in html and "None set" in html
    assert "report.css" in html


def test_every_export_matches_the_database(app, harvest):
    client = _as(app, "lucia")
    data = json.loads(client.get(f"/d/{harvest.slug}/report.json").get_data())
    with app.app_context():
        posts = db.session.scalars(
            select(Post).where(Post.topic_id == harvest.topic.id).order_by(Post.number)
        ).all()
        expected = [(p.id, p.number, p.parent_id, p.prompt_id) for p in posts]
        dialogue = db.session.get(Dialogue, db.session.get(Topic, harvest.topic.id).dialogue_id)
        assert data["dialogue"]["title"] == dialogue.title
    got = [(p["id"], p["number"], p["parent_id"], p["question_id"]) for p in data["posts"]]
    assert got == expected
    by_id = {p["id"]: p for p in data["posts"]}
    assert by_id[harvest.first.id]["author"] == "Amina Diallo"
    assert by_id[harvest.first.id]["markdown"] == "Listening **first**."
    assert by_id[harvest.hidden.id]["state"] == "hidden"
    assert by_id[harvest.hidden.id]["hidden_reason"] == "Rude."
    questions = data["topics"][0]["questions"]
    assert [q["text"] for q in questions] == ["What helps?", "What does not?", "Who decides?"]
    assert questions[0]["conclusion"]["cites"] == [harvest.first.id]
    assert data["topics"][0]["summary"]["cites"] == [harvest.first.id, harvest.second.id]
    assert data["datacard"]["contains"]["posts"] == 3  # the hidden one is not counted
    assert [e["action"] for e in data["log"]] == ["Post hidden", "Summary pinned", "Topic locked"]

    tables = _unzip(client.get(f"/d/{harvest.slug}/report.zip"))
    assert set(tables) == {"DATACARD.md", "posts.csv", "people.csv", "questions.csv",
                           "summaries.csv", "log.csv"}  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(tables["posts.csv"])))
    assert [int(r["id"]) for r in rows] == [e[0] for e in expected]
    assert rows[0]["question"] == "What helps?" and rows[0]["text"] == "Listening **first**."
    people = list(csv.DictReader(io.StringIO(tables["people.csv"])))
    assert [(p["name"], p["posts"]) for p in people] == [("Amina Diallo", "2"), ("Babar Khan", "1")]
    questions = list(csv.DictReader(io.StringIO(tables["questions.csv"])))
    assert questions[0]["conclusion"].startswith("Listen before acting")
    assert questions[0]["answers"] == "1"
    # The single table at its own address is the same table.
    alone = client.get(f"/d/{harvest.slug}/report/posts.csv")
    assert alone.mimetype == "text/csv"
    assert alone.get_data().decode("utf-8-sig") == tables["posts.csv"]

    markdown = client.get(f"/d/{harvest.slug}/report.md").text
    assert "### Question 1: What helps?" in markdown
    assert "> Listening **first**." in markdown
    assert markdown.index("Listen before acting") < markdown.index("> Listening **first**.")


def test_no_export_holds_hidden_words_reporters_addresses_or_declared_roles(app, harvest):
    client = _as(app, "nadia")  # an admin, who could see all of it on the pages
    forbidden = (*HIDDEN, REPORTER_NOTE, DECLARED, "Cora Reader", "@example.org", "/u/babar",
                 "/u/amina")  # fmt: skip
    for address in ("report", "report.md", "report.json", "report.zip",
                    *(f"report/{t}.csv" for t in ("posts", "people", "questions", "summaries",
                                                  "log"))):  # fmt: skip
        for where in (f"/d/{harvest.slug}", f"/t/{harvest.topic.id}"):
            response = client.get(f"{where}/{address}")
            assert response.status_code == 200, address
            body = (
                "\n".join(_unzip(response).values())
                if address.endswith(".zip")
                else response.get_data(as_text=True)
            )
            if address == "report":  # the page's own header names the admin reading it
                body = body.split('<main id="main">', 1)[1]
            found = [word for word in forbidden if word.lower() in body.lower()]
            assert not found, (where, address, found)


def test_only_facilitators_and_moderators_export_unless_an_archived_dialogue_allows_readers(
    app, harvest
):
    anonymous = app.test_client()
    assert anonymous.get(f"/d/{harvest.slug}/report.json").status_code == 302  # to log in
    assert _as(app, "cora").get(f"/d/{harvest.slug}/report").status_code == 403
    assert "report" not in _as(app, "cora").get(f"/d/{harvest.slug}").text.split("<main")[1]
    with app.app_context():
        dialogue = db.session.scalar(select(Dialogue).where(Dialogue.slug == harvest.slug))
        dialogue.readers_may_export = True  # not archived yet: still only facilitators
        db.session.commit()
        assert anonymous.get(f"/d/{harvest.slug}/report.json").status_code == 302
        dialogue.state = DialogueState.archived
        db.session.commit()
    assert anonymous.get(f"/d/{harvest.slug}/report.json").status_code == 200
    assert "The dialogue's report" in anonymous.get(f"/d/{harvest.slug}").text


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("/d/{slug}/report.pdf", "There is no report as pdf"),
        ("/d/{slug}/report/emails.csv", "There is no such table"),
        ("/d/no-such-dialogue/report.json", "There is no page at this address"),
        ("/t/999999/report", "There is no page at this address"),
    ],
)
def test_a_wrong_address_is_a_404_that_says_what_exists(app, harvest, address, message):
    response = _as(app, "lucia").get(address.format(slug=harvest.slug))
    assert response.status_code == 404 and message in response.text


def test_the_command_writes_each_format_to_a_file(app, harvest, tmp_path):
    runner = app.test_cli_runner()
    for kind, check in (
        ("json", lambda path: json.loads(path.read_text())["datacard"]["contains"]["posts"] == 3),
        ("md", lambda path: "### Question 1: What helps?" in path.read_text()),
        ("html", lambda path: "Listen before acting" in path.read_text()),
        ("csv", lambda path: "posts.csv" in zipfile.ZipFile(path).namelist()),
    ):
        path = tmp_path / f"report.{kind}"
        result = runner.invoke(
            args=["export", "dialogue", harvest.slug, "--format", kind, "--output", str(path)]
        )
        assert result.exit_code == 0, result.output
        assert check(path), kind
    missing = runner.invoke(args=["export", "dialogue", "nowhere", "--output", "x.json"])
    assert missing.exit_code != 0 and "There is no dialogue 'nowhere'" in missing.output


def test_the_licence_an_admin_sets_is_on_every_export(app, harvest):
    admin = _as(app, "nadia")
    form = {"title": "Men as allies", "description": "About support.", "state": "open"}
    edit = f"/d/{harvest.slug}/edit"
    too_long = admin.submit(edit, {**form, "licence": "x" * 201})
    assert too_long.status_code == 422
    assert "Field cannot be longer than 200 characters." in too_long.text
    assert "About support.</textarea>" in too_long.text  # nothing typed is lost
    assert admin.submit(edit, {**form, "licence": "CC BY 4.0"}).status_code == 302
    client = _as(app, "lucia")
    assert (
        json.loads(client.get(f"/d/{harvest.slug}/report.json").data)["datacard"]["licence"]
        == "CC BY 4.0"
    )
    assert "- **Licence**: CC BY 4.0" in client.get(f"/d/{harvest.slug}/report.md").text
    assert (
        'licence: "CC BY 4.0"' in _unzip(client.get(f"/d/{harvest.slug}/report.zip"))["DATACARD.md"]
    )
