"""The outbox and its worker, against a real SMTP server on a loopback port."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.clock import utcnow
from forum.extensions import db
from forum.mail import delivery
from forum.mail.models import MailState, OutboxMessage
from forum.mail.services import enqueue, outbox_status
from tests.conftest import MailSink


def queue(app, to="amina@example.org", **fields) -> str:
    """Queue a message and commit it, as an act's transaction would; return its Message-ID."""
    with app.app_context():
        message = enqueue(
            to=to,
            subject=fields.pop("subject", "A reply to your post"),
            text=fields.pop("text", "Babar answered you.\n"),
            **fields,
        )
        db.session.commit()
        return message.message_id


def run_worker(app) -> None:
    with app.app_context():
        delivery.run_worker(once=True)


def states(app) -> list[MailState]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage.state).order_by(OutboxMessage.id)))


def test_a_queued_message_is_delivered_once_with_its_headers(app, smtp):
    message_id = queue(
        app,
        html="<p>Babar answered you.</p>",
        language="fr",
        headers={"In-Reply-To": "<topic-1@forum>", "List-Unsubscribe": "<https://forum/u>"},
    )
    run_worker(app)
    run_worker(app)

    [mail] = smtp.received
    assert mail["Message-ID"] == message_id
    assert mail["To"] == "amina@example.org"
    assert mail["Subject"] == "A reply to your post"
    assert mail["In-Reply-To"] == "<topic-1@forum>"
    assert mail["List-Unsubscribe"] == "<https://forum/u>"
    assert mail["Content-Language"] == "fr"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail.get_body(("plain",)).get_content().strip() == "Babar answered you."
    assert "<p>Babar answered you.</p>" in mail.get_body(("html",)).get_content()
    assert states(app) == [MailState.sent]


def test_mail_of_a_rolled_back_act_is_never_sent(app, smtp):
    with app.app_context():
        enqueue(to="amina@example.org", subject="Never", text="Never.")
        db.session.rollback()
    run_worker(app)
    assert smtp.received == []


def test_mail_waits_while_the_server_is_down_then_goes_exactly_once(app, monkeypatch):
    down = MailSink()  # not started: nothing listens on its port yet
    app.config["MAIL_URL"] = down.url
    message_id = queue(app)
    run_worker(app)
    with app.app_context():
        status = outbox_status()
        assert (status["queued"], status["sent"]) == (1, 0)
        assert "connection" in db.session.scalar(select(OutboxMessage.last_error))

    down.start()
    try:
        run_worker(app)  # the backoff has not run out: nothing is tried yet
        assert down.received == []
        later = utcnow() + timedelta(hours=1)
        monkeypatch.setattr(delivery, "utcnow", lambda: later)
        run_worker(app)
        run_worker(app)
    finally:
        down.stop()
    assert [mail["Message-ID"] for mail in down.received] == [message_id]
    assert states(app) == [MailState.sent]


def test_a_permanent_refusal_fails_the_message_and_the_rest_go(app, smtp, runner_status):
    smtp.refused.add("gone@example.org")
    queue(app, to="gone@example.org")
    queue(app, to="amina@example.org")
    run_worker(app)
    run_worker(app)

    assert [mail["To"] for mail in smtp.received] == ["amina@example.org"]
    assert states(app) == [MailState.failed, MailState.sent]
    output = runner_status()
    assert "failed: 1" in output
    assert "gone@example.org: 550" in output


def test_an_address_that_is_not_one_fails_without_a_try(app, smtp):
    queue(app, to="not an address")
    run_worker(app)
    assert smtp.received == []
    assert states(app) == [MailState.failed]


def test_a_killed_worker_resends_only_after_its_claim_lapses(app, smtp, monkeypatch):
    """Killed after the claim: the message waits CLAIM_FOR, then goes with its one Message-ID."""
    message_id = queue(app)
    with app.app_context():
        delivery.claim(db.session)  # the worker dies here, before sending
    run_worker(app)
    assert smtp.received == []
    later = utcnow() + delivery.CLAIM_FOR + timedelta(seconds=1)
    monkeypatch.setattr(delivery, "utcnow", lambda: later)
    run_worker(app)
    assert [mail["Message-ID"] for mail in smtp.received] == [message_id]


def test_without_a_mail_url_a_request_writes_its_mail_to_files(app, tmp_path):
    app.config["MAIL_URL"] = ""

    @app.post("/test-enqueue")
    def test_enqueue():
        enqueue(to="amina@example.org", subject="Written", text="To a file.")
        db.session.commit()
        return "ok"

    app.config["WTF_CSRF_ENABLED"] = False
    assert app.test_client().post("/test-enqueue").status_code == 200
    [eml] = (tmp_path / "instance" / "mail").glob("*.eml")
    assert "Subject: Written" in eml.read_text()
    assert states(app) == [MailState.sent]


@pytest.fixture
def runner_status(app):
    return lambda: app.test_cli_runner().invoke(args=["mail", "status"]).output


def test_two_workers_on_postgresql_send_nothing_twice(app, smtp):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("several workers run on PostgreSQL only")
        for number in range(60):
            enqueue(to=f"person{number}@example.org", subject=f"Message {number}", text="Hello.")
        db.session.commit()

    def work():
        with app.app_context():
            delivery.run_worker(once=True, batch=4)  # small batches: the workers interleave

    workers = [threading.Thread(target=work) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    sent = [mail["Message-ID"] for mail in smtp.received]
    assert len(sent) == 60
    assert len(set(sent)) == 60
    assert set(states(app)) == {MailState.sent}


def test_sent_and_given_up_mail_is_forgotten_after_the_days_kept(app, smtp):
    for n in range(4):
        queue(app, to=f"person{n}@example.org")
    run_worker(app)
    with app.app_context():
        messages = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        long_ago = utcnow() - timedelta(days=app.config["MAIL_KEEP_DAYS"] + 1)
        messages[0].sent_at = long_ago  # sent long ago: forgotten
        messages[1].state, messages[1].created_at = MailState.failed, long_ago  # given up
        messages[2].sent_at = utcnow() - timedelta(days=app.config["MAIL_KEEP_DAYS"] - 1)
        db.session.commit()
    queue(app, to="person4@example.org")  # queued: kept until sent
    with app.app_context():
        db.session.execute(
            db.update(OutboxMessage)
            .where(OutboxMessage.recipient == "person4@example.org")
            .values(created_at=long_ago, due_at=utcnow() + timedelta(hours=1))
        )
        db.session.commit()
        delivery.drain()
        left = db.session.scalars(select(OutboxMessage.recipient).order_by(OutboxMessage.id))
        assert list(left) == ["person2@example.org", "person3@example.org", "person4@example.org"]
