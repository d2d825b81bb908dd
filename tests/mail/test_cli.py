"""`forum mail test`, `forum mail worker --once` and `forum mail status`."""

import signal


def mail(app, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["mail", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_test_message_is_queued_then_sent_by_the_worker(app, smtp):
    sigint = signal.getsignal(signal.SIGINT)
    assert "The mail worker" in mail(app, "test", "--to", "nadia@example.org")
    assert "queued: 1" in mail(app, "status")
    assert "oldest queued:" in mail(app, "status")

    output = mail(app, "worker", "--once")
    assert f"127.0.0.1:{smtp.port}" in output
    [message] = smtp.received
    assert message["To"] == "nadia@example.org"
    assert message["Subject"] == "Dialogue Forum: test message"
    status = mail(app, "status")
    assert "queued: 0" in status
    assert "sent: 1" in status
    assert signal.getsignal(signal.SIGINT) is sigint  # Ctrl-C is the caller's again


def test_the_worker_never_prints_the_mail_password(app, smtp):
    app.config["MAIL_URL"] = f"smtp://forum:s3cret@127.0.0.1:{smtp.port}"
    assert "s3cret" not in mail(app, "worker", "--once")


def test_without_a_mail_url_the_test_message_is_written_at_once(app, tmp_path):
    app.config["MAIL_URL"] = ""
    assert "Written to" in mail(app, "test", "--to", "nadia@example.org")
    [eml] = (tmp_path / "instance" / "mail").glob("*.eml")
    assert "To: nadia@example.org" in eml.read_text()
