"""The administrators' outbox page: what failed and why, and sending it again."""

from datetime import datetime

import pytest
from sqlalchemy import select

from forum.accounts.models import Role
from forum.clock import utcnow
from forum.extensions import db
from forum.mail.models import MailState, OutboxMessage
from forum.mail.services import enqueue
from tests.mail.test_delivery import queue, run_worker

OUTBOX = "/admin/mail"
REFUSAL = "550 5.1.1 No such mailbox"


@pytest.fixture
def people(create_user):
    create_user("nadia", role=Role.admin, display_name="Nadia Haddad", timezone="Europe/Paris")
    create_user("grace", role=Role.moderator, display_name="Grace Mutesi")
    create_user("amina", display_name="Amina Diallo")


def admin(app):
    client = app.test_client()
    assert client.login("nadia").status_code == 302
    return client


def failed(app, count: int = 1, *, to: str = "gone@example.org") -> list[int]:
    """Messages given up on after a refusal, as the worker leaves them; their ids, oldest first."""
    with app.app_context():
        messages = [
            enqueue(to=to, subject=f"Welcome {number}", text="Welcome.")
            for number in range(1, count + 1)
        ]
        for message in messages:
            message.state, message.attempts, message.last_error = MailState.failed, 1, REFUSAL
        db.session.commit()
        return [message.id for message in messages]


def message(app, message_id: int) -> OutboxMessage:
    with app.app_context():
        found = db.session.get(OutboxMessage, message_id)
        db.session.expunge(found)
        return found


def retry(client, message_id: int, page: int = 1):
    return client.submit(f"{OUTBOX}/{message_id}/retry?page={page}", page=OUTBOX)


def test_an_admin_sees_a_refused_message_with_its_error_and_the_counts(app, people, smtp):
    smtp.refused.add("gone@example.org")
    queue(app, to="gone@example.org", subject="Confirm your address")
    queue(app, to="amina@example.org")
    run_worker(app)
    queue(app, to="lucia@example.org")  # the worker has not run since
    with app.app_context():
        waiting = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()[-1]
        waiting.created_at = datetime(2026, 1, 15, 9, 30)
        db.session.commit()

    page = admin(app).get(OUTBOX)
    assert page.status_code == 200
    text = page.text
    for fact in (
        "<dt>Queued</dt><dd>1</dd>",
        "<dt>Sent</dt><dd>1</dd>",
        "<dt>Failed</dt><dd>1</dd>",
    ):
        assert fact in text
    # The oldest queued message, in Nadia's zone: 9:30 UTC is 10:30 in Paris in January.
    assert '<time datetime="2026-01-15T09:30:00Z">Jan 15, 2026, 10:30' in text
    assert "Confirm your address" in text
    assert "<dd>gone@example.org</dd>" in text
    assert f"<code>{REFUSAL}</code>" in text
    assert "<dt>Attempts</dt><dd>1</dd>" in text
    assert "amina@example.org" not in text  # sent, so not listed
    assert 'href="/admin/mail"' in text  # the administrators' way in, in the header


@pytest.mark.parametrize("username", ["grace", "amina"])
def test_moderators_and_members_are_refused_and_change_nothing(app, people, username):
    [message_id] = failed(app)
    client = app.test_client()
    client.login(username)
    assert client.get(OUTBOX).status_code == 403
    token = client.csrf_token("/profile")
    refused = client.post(f"{OUTBOX}/{message_id}/retry", data={"csrf_token": token})
    assert refused.status_code == 403
    assert message(app, message_id).state == MailState.failed
    assert 'href="/admin/mail"' not in client.get("/").text


def test_anonymous_readers_are_sent_to_log_in(app, people):
    [message_id] = failed(app)
    client = app.test_client()
    page = client.get(OUTBOX)
    assert page.status_code == 302
    assert page.location.startswith("/login")
    token = client.csrf_token("/login")
    refused = client.post(f"{OUTBOX}/{message_id}/retry", data={"csrf_token": token})
    assert refused.status_code == 302 and refused.location.startswith("/login")
    assert message(app, message_id).state == MailState.failed


def test_a_retry_queues_the_message_due_now_and_the_worker_sends_it(app, people, smtp):
    smtp.refused.add("gone@example.org")
    message_id = queue(app, to="gone@example.org")
    run_worker(app)
    smtp.refused.clear()  # the mailbox exists again
    with app.app_context():
        failed_id = db.session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.state == MailState.failed)
        )
    client = admin(app)

    done = retry(client, failed_id)
    assert done.status_code == 302
    again = message(app, failed_id)
    assert (again.state, again.attempts) == (MailState.queued, 0)
    assert again.due_at <= utcnow()
    assert smtp.received == []  # the worker sends it, not the request
    page = client.get(done.location).text
    assert "The message to gone@example.org is queued again." in page
    assert "No message has failed." in page

    run_worker(app)
    assert [mail["Message-ID"] for mail in smtp.received] == [message_id]
    assert message(app, failed_id).state == MailState.sent


def test_without_a_mail_server_a_retry_writes_the_message_at_once(app, people, tmp_path):
    app.config["MAIL_URL"] = ""
    [message_id] = failed(app)
    client = admin(app)
    retry(client, message_id)
    [eml] = (tmp_path / "instance" / "mail").glob("*.eml")
    assert "To: gone@example.org" in eml.read_text()
    assert message(app, message_id).state == MailState.sent
    assert "<dt>Sent</dt><dd>1</dd>" in client.get(OUTBOX).text


def test_a_second_retry_changes_nothing(app, people, smtp):
    [message_id] = failed(app)
    client = admin(app)
    retry(client, message_id)
    second = retry(client, message_id)
    assert "has not failed" in client.get(second.location).text
    assert (message(app, message_id).state, message(app, message_id).attempts) == (
        MailState.queued,
        0,
    )
    assert retry(client, message_id + 1).status_code == 404


def test_a_retry_without_the_form_token_is_refused(app, people, smtp):
    [message_id] = failed(app)
    client = admin(app)
    assert client.post(f"{OUTBOX}/{message_id}/retry").status_code == 400
    assert message(app, message_id).state == MailState.failed


def test_many_failed_messages_are_paged_newest_first(app, people, smtp):
    ids = failed(app, 21)
    client = admin(app)
    first = client.get(OUTBOX).text
    assert "Welcome 21" in first and "Welcome 2<" in first
    assert "Welcome 1<" not in first
    assert f'href="{OUTBOX}?page=2"' in first
    second = client.get(f"{OUTBOX}?page=2").text
    assert "Welcome 1<" in second and "Welcome 21" not in second
    assert client.get(f"{OUTBOX}?page=3").status_code == 404
    assert client.get(f"{OUTBOX}?page=x").status_code == 404

    # Sending the only message of page 2 again leaves one page: the admin lands on it.
    done = retry(client, ids[0], page=2)
    assert done.location == f"{OUTBOX}?page=1"
