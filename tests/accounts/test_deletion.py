"""Deleting one's account: nothing personal left in any table, what they wrote kept or removed.

The world below gives the person a trace in every table that can hold one (a post and its
revision, a quote of them by someone else, a pseudonym they chose and a post under it, a
report, an appeal, follows, notifications, a login, queued mail, a facilitator's role, a
summary and a conclusion citing them); after the deletion every text column of every table is
read back.
"""

import pytest
from sqlalchemy import JSON, String, Text, func, select

from forum.accounts.deletion import HANDLED, Posts, delete_account
from forum.accounts.models import User, UserSession
from forum.accounts.services import find_by_username
from forum.dialogues.models import Facilitator
from forum.extensions import db
from forum.mail.models import OutboxMessage
from forum.moderation.models import LogEntry, Report
from forum.notifications.models import Follow, Notification
from forum.posts.models import Post, PostRevision
from tests.conftest import PASSWORD

# What the person gave the forum about themselves: none of it may stay anywhere.
PERSONAL = [
    "zqxperson",
    "Zoraida Quillfeather",
    "Quillfeather Collective",
    "Known for quillwork",
    "Moonflower",
    "Zq appeal statement",
    "Zq report note",
]
# What they wrote in the dialogues: gone too when they remove their posts.
WRITTEN = ["Zq words about the river", "Zq secret words", "Zq subject", "Zq before the edit"]


def _user_columns() -> set[tuple[str, str]]:
    return {
        (table.name, column.name)
        for table in db.metadata.sorted_tables
        for column in table.columns
        for key in column.foreign_keys
        if key.column.table.name == "user"
    }


def test_every_column_holding_a_user_id_is_handled_by_deletion(app):
    with app.app_context():
        handled = {(model.__table__.name, column) for model, column in HANDLED}
        assert _user_columns() - handled == set(), "a new column holds a user id: handle it"
        assert handled - _user_columns() == set()


def _texts() -> list[tuple[str, str]]:
    """Every text value of every table, with where it is."""
    found = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
        for row in db.session.execute(select(*columns)) if columns else ():
            for column, value in zip(columns, row, strict=True):
                if value is not None:
                    found.append((f"{table.name}.{column.name}", str(value)))
    return found


def _delete(app, choice: str):
    client = app.test_client()
    client.login("zqxperson")
    page = client.submit(
        "/profile/delete",
        {"posts": choice, "current_password": PASSWORD},
        follow_redirects=True,
    )
    return client, page


@pytest.mark.parametrize("choice", ["keep", "remove"])
def test_a_deleted_account_leaves_nothing_personal_in_any_table(app, world, choice):
    with app.app_context():
        uid = find_by_username("zqxperson").id
        log_entries = db.session.scalar(select(func.count()).select_from(LogEntry))
    client, page = _delete(app, choice)
    assert "Your account is deleted" in page.text
    with app.app_context():
        traces = PERSONAL + (WRITTEN if choice == "remove" else [])
        left = [(where, t) for where, value in _texts() for t in traces if t in value]
        assert left == []
        for model, column in HANDLED:
            if HANDLED[model, column] == "erase":
                rows = select(func.count()).where(getattr(model, column) == uid)
                assert db.session.scalar(rows) == 0, (model, column)
        # The decisions and the numbers stay: the log, the report, the appeal's outcome.
        assert db.session.scalar(select(func.count()).select_from(LogEntry)) == log_entries
        assert db.session.scalar(select(func.count()).select_from(Report)) == 1
        gone = db.session.get(User, uid)
        assert gone.deleted_at is not None and gone.display_name == ""
        kept = db.session.get(Post, world.words.id)
        if choice == "keep":
            assert kept.body_source == "Zq words about the river." and kept.removed_at is None
        else:
            assert kept.body_source == "" and kept.removed_at is not None
            assert db.session.scalar(select(func.count()).select_from(PostRevision)) == 0
    # Logged out here, and the password opens nothing.
    assert "Log in" in client.get("/").text
    assert app.test_client().login("zqxperson").status_code != 302


def test_the_topic_shows_a_former_participant_and_keeps_the_text_when_asked(app, world):
    _delete(app, "keep")
    page = app.test_client().get(world.topic.url).text
    assert "Zoraida" not in page and "/u/zqxperson" not in page
    mine = page.split(f'id="p{world.words.id}"')[1].split("</article>")[0]
    assert "A former participant" in mine and "Zq words about the river." in mine
    reply = page.split(f'id="p{world.reply.id}"')[1].split("</article>")[0]
    assert "A former participant wrote:" in reply and "Zq words about the river." in reply
    pseudonymous = app.test_client().get(world.hidden_topic.url).text
    assert "Moonflower" not in pseudonymous and "A former participant" in pseudonymous
    assert "Zq secret words." in pseudonymous


def test_removed_posts_leave_a_placeholder_their_replies_and_a_struck_citation(app, world):
    _delete(app, "remove")
    page = app.test_client().get(world.topic.url).text
    mine = page.split(f'id="p{world.words.id}"')[1].split("</article>")[0]
    assert "Its author removed the text of this post" in mine
    assert "Zq" not in mine and "A former participant" in mine
    reply = page.split(f'id="p{world.reply.id}"')[1].split("</article>")[0]
    assert "I agree with her." in reply and "Its author removed these words" in reply
    assert "Zq words" not in reply
    summary = page.split('id="summary"')[1].split("</section>")[0]
    assert f'<del class="removed-citation"><a href="/p/{world.words.id}"' in summary
    assert "Struck-out citations lead to posts whose authors removed" in summary
    assert '<del class="removed-citation">' not in summary.split(f"#p{world.words.id}</a>")[1]
    conclusion = page.split('class="conclusion"')[1].split("</section>")[0]
    assert f'<del class="removed-citation"><a href="/p/{world.words.id}"' in conclusion
    assert "Struck-out citations lead to posts whose authors removed" in conclusion
    assert conclusion.count('<del class="removed-citation">') == 1  # the other post's stays
    feed = app.test_client().get(f"/t/{world.topic.id}/feed.rss").text
    assert "Its author removed the text" not in feed and "Zq" not in feed
    pseudonymous = app.test_client().get(world.hidden_topic.url).text
    assert "Zq secret words" not in pseudonymous and "Same here." in pseudonymous


def test_deleting_asks_for_the_password_and_a_choice_and_keeps_the_account_otherwise(app, world):
    client = app.test_client()
    client.login("zqxperson")
    page = client.submit("/profile/delete", {"posts": "keep", "current_password": "wrong one"})
    assert page.status_code == 422 and "This is not your current password." in page.text
    page = client.submit("/profile/delete", {"current_password": PASSWORD})
    assert page.status_code == 422 and "Choose what happens to your posts." in page.text
    with app.app_context():
        assert find_by_username("zqxperson").deleted_at is None
    assert "Zoraida Quillfeather" in client.get("/profile").text


def test_the_last_administrator_cannot_delete_their_account(app, world):
    client = app.test_client()
    client.login("nadia")
    page = client.submit("/profile/delete", {"posts": "keep", "current_password": PASSWORD})
    assert page.status_code == 422 and "only administrator" in page.text
    with app.app_context():
        assert find_by_username("nadia").deleted_at is None


def test_an_admin_deletes_an_account_from_the_command_line(app, world):
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["user", "delete", "zqxperson", "--posts", "remove"], input="n\n")
    assert refused.exit_code != 0
    with app.app_context():
        assert find_by_username("zqxperson").deleted_at is None
    done = runner.invoke(args=["user", "delete", "zqxperson", "--posts", "remove", "--yes"])
    assert done.exit_code == 0, done.output
    with app.app_context():
        assert find_by_username("zqxperson") is None
        assert [t for _, value in _texts() for t in PERSONAL + WRITTEN if t in value] == []
        assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0
    users = runner.invoke(args=["user", "list"]).output
    assert "otto" in users and "deleted" not in users


def test_deletion_erases_follows_notifications_roles_and_mail(app, world):
    with app.app_context():
        person = find_by_username("zqxperson")
        uid, email = person.id, person.email
        for model in (Follow, Notification, Facilitator):
            assert db.session.scalar(select(func.count()).where(model.user_id == uid))
        assert db.session.scalar(select(func.count()).where(OutboxMessage.recipient == email))
        delete_account(person, posts=Posts.keep)
        db.session.commit()
        for model in (Follow, Notification, Facilitator):
            assert not db.session.scalar(select(func.count()).where(model.user_id == uid))
        assert not db.session.scalar(select(func.count()).where(OutboxMessage.recipient == email))
