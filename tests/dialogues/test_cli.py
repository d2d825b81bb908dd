"""`forum dialogue ...` creates dialogues and assigns facilitators without the web UI."""

from datetime import datetime

from sqlalchemy import update

from forum.dialogues.models import Dialogue
from forum.dialogues.services import find_dialogue
from forum.extensions import db


def test_dialogue_create_with_facilitators_from_the_command_line(app, create_user, tmp_path):
    create_user("lucia")
    description = tmp_path / "about.md"
    description.write_text("Three weeks, *three questions*.", encoding="utf-8")
    result = app.test_cli_runner().invoke(
        args=[
            "dialogue", "create", "--slug", "allies", "--title", "Allies",
            "--description-file", str(description), "--facilitator", "lucia",
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Facilitators: lucia" in result.output
    with app.app_context():
        dialogue = find_dialogue("allies")
        assert "<em>three questions</em>" in dialogue.description_html
        assert [p.username for p in dialogue.facilitators] == ["lucia"]


def test_dialogue_create_makes_a_pseudonymous_dialogue(app, client):
    result = app.test_cli_runner().invoke(
        args=["dialogue", "create", "--slug", "quiet", "--title", "Quiet", "--pseudonymous"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert find_dialogue("quiet").pseudonymous
    assert "A pseudonymous dialogue" in client.get("/d/quiet").text


def test_dialogue_commands_refuse_unknown_people_and_bad_slugs(app, create_user):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["dialogue", "create", "--slug", "x y", "--title", "T", "--facilitator", "ghost"]
    )
    assert result.exit_code == 1
    assert "No user is called 'ghost'" in result.output
    result = runner.invoke(args=["dialogue", "create", "--slug", "Bad Slug", "--title", "T"])
    assert result.exit_code == 1
    assert "lowercase" in result.output


def test_facilitate_assigns_and_removes(app, create_user, create_dialogue):
    create_user("lucia")
    create_dialogue("allies")
    runner = app.test_cli_runner()
    assert (
        "facilitated by: lucia"
        in runner.invoke(args=["dialogue", "facilitate", "allies", "lucia"]).output
    )
    result = runner.invoke(args=["dialogue", "facilitate", "allies", "lucia", "--remove"])
    assert "facilitated by: nobody" in result.output
    assert "allies" in runner.invoke(args=["dialogue", "list"]).output


def test_list_shows_the_state_readers_see_and_counts_in_words(
    app, create_user, create_dialogue, create_topic, create_post
):
    create_user("lucia")
    create_user("amina")
    past = datetime(2020, 1, 1)
    closed = create_dialogue("closed-on-schedule", closes_at=past, facilitators=["lucia"])
    create_topic(closed)
    with app.app_context():
        db.session.execute(update(Dialogue).values(closes_at=None))  # to post in it
        db.session.commit()
    topic = create_topic(closed, title="Second")
    create_post(topic)
    with app.app_context():
        db.session.execute(update(Dialogue).values(closes_at=past))
        db.session.commit()
    create_dialogue("still-open")
    output = app.test_cli_runner().invoke(args=["dialogue", "list"]).output
    closed_line, open_line = output.splitlines()
    assert closed_line.split()[:6] == ["closed-on-schedule", "closed", "2", "topics", "1", "post"]
    assert open_line.split()[:6] == ["still-open", "open", "0", "topics", "0", "posts"]
