"""`forum mail ...`: run the mail worker, see the outbox, send a test message."""

import signal
import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from forum.clock import utcnow
from forum.extensions import db
from forum.mail import delivery, services

mail_cli = click.Group("mail", help="Send the forum's mail and watch the outbox.")


@mail_cli.command("worker")
@click.option("--once", is_flag=True, help="Send what is due, then exit.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between looks.")
@with_appcontext
def worker_command(once: bool, interval: float) -> None:
    """Send queued mail until stopped (SIGTERM or Ctrl-C end it after the current message)."""
    stop = threading.Event()
    before = {
        signum: signal.signal(signum, lambda *_: stop.set())
        for signum in (signal.SIGTERM, signal.SIGINT)
    }
    where = current_app.config["MAIL_URL"] or str(delivery.mail_folder())
    click.echo(f"Mail worker sending to {_without_password(where)}")
    try:
        delivery.run_worker(once=once, interval=interval, stop=stop)
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


@mail_cli.command("status")
@with_appcontext
def status_command() -> None:
    """Show how many messages are queued, sent and failed, and the age of the oldest queued."""
    status = services.outbox_status()
    click.echo(f"queued: {status['queued']}")
    click.echo(f"sent: {status['sent']}")
    click.echo(f"failed: {status['failed']}")
    oldest = status["oldest_queued"]
    if oldest is not None:
        minutes = int((utcnow() - oldest).total_seconds() // 60)
        click.echo(f"oldest queued: {oldest:%Y-%m-%d %H:%M} UTC ({minutes} min ago)")
    for message in services.failed_messages():
        click.echo(f"failed #{message.id} to {message.recipient}: {message.last_error}")


@mail_cli.command("test")
@click.option("--to", "to", required=True, help="The address to send the test message to.")
@with_appcontext
def test_command(to: str) -> None:
    """Queue a test message (and send it at once when mail goes to .eml files)."""
    message = services.enqueue(
        to=to,
        subject="Dialogue Forum: test message",
        text="This test message from the forum's mail settings arrived.\n",
    )
    db.session.commit()
    click.echo(f"Queued {message.message_id} to {to}.")
    if not current_app.config["MAIL_URL"]:
        delivery.deliver_in_process()
        click.echo(f"Written to {delivery.mail_folder()}.")
    else:
        click.echo("The mail worker (`forum mail worker`) sends it.")


def _without_password(url: str) -> str:
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{rest.rsplit('@', 1)[1]}"
