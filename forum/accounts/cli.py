"""`forum user ...`: manage accounts from the command line, without mail."""

import secrets
from datetime import datetime

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from forum.accounts import services
from forum.accounts.models import Role, User
from forum.extensions import db

ROLES = click.Choice([role.value for role in Role])


def _read_password(path: str | None) -> tuple[str, bool]:
    """Read a password from a file ('-' for standard input), or generate one."""
    if path is None:
        return secrets.token_urlsafe(12), True
    with click.open_file(path) as handle:
        return handle.readline().rstrip("\r\n"), False


def _get_user(username: str) -> User:
    user = services.find_by_username(username)
    if user is None:
        raise click.ClickException(f"No user is called {username!r}.")
    return user


def _run(action):
    """Run a service call, turning AccountError into a clean command-line error."""
    try:
        return action()
    except services.AccountError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc


@click.group("user")
def user_cli():
    """Create users, change roles, suspend and restore, reset passwords."""


@user_cli.command("create")
@click.option("--username", required=True)
@click.option("--email", required=True)
@click.option("--display-name", default="", help="Defaults to the username.")
@click.option(
    "--password-file",
    type=click.Path(allow_dash=True),
    help="A file whose first line is the password ('-' reads standard input). "
    "Without it a password is generated and printed.",
)
@click.option("--role", type=ROLES, default=Role.participant.value, show_default=True)
@with_appcontext
def create(username, email, display_name, password_file, role):
    """Create a user."""
    password, generated = _read_password(password_file)
    user = _run(
        lambda: services.create_user(
            username=username,
            email=email,
            password=password,
            display_name=display_name,
            role=Role(role),
        )
    )
    db.session.commit()
    click.echo(f"Created {user.username} ({user.role.value}).")
    look_alikes = services.staff_look_alikes(user.display_name, user=user)
    if look_alikes:
        click.echo(
            f"Warning: readers could take {user.display_name!r} for {', '.join(look_alikes)}."
        )
    if generated:
        click.echo(f"Password: {password}")


@user_cli.command("role")
@click.argument("username")
@click.argument("role", type=ROLES)
@with_appcontext
def change_role(username, role):
    """Change a user's site role (participant, moderator, admin)."""
    user = _get_user(username)
    services.set_role(user, Role(role))
    db.session.commit()
    click.echo(f"{user.username} is now {user.role.value}.")


@user_cli.command("suspend")
@click.argument("username")
@click.option("--reason", required=True, help="Why, in a sentence; the person is told.")
@click.option(
    "--until",
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]),
    help="End of the suspension (UTC); without it the suspension lasts until restored.",
)
@with_appcontext
def suspend(username, reason, until: datetime | None):
    """Suspend a user: they are logged out and cannot log in."""
    user = _get_user(username)
    _run(lambda: services.suspend_user(user, reason=reason, until=until))
    db.session.commit()
    end = f" until {user.suspended_until:%Y-%m-%d %H:%M} UTC" if user.suspended_until else ""
    click.echo(f"{user.username} is suspended{end}.")


@user_cli.command("restore")
@click.argument("username")
@with_appcontext
def restore(username):
    """Lift a user's suspension."""
    user = _get_user(username)
    _run(lambda: services.restore_user(user))
    db.session.commit()
    click.echo(f"{user.username} is restored.")


@user_cli.command("password")
@click.argument("username")
@click.option(
    "--password-file",
    type=click.Path(allow_dash=True),
    help="A file whose first line is the new password ('-' reads standard input). "
    "Without it a password is generated and printed.",
)
@with_appcontext
def reset_password(username, password_file):
    """Set a new password for a user who forgot theirs; their sessions end."""
    user = _get_user(username)
    password, generated = _read_password(password_file)
    _run(lambda: services.set_password(user, password))
    db.session.commit()
    click.echo(f"Password of {user.username} changed.")
    if generated:
        click.echo(f"New password: {password}")


@user_cli.command("list")
@with_appcontext
def list_users():
    """List users with their role and state."""
    for user in db.session.scalars(select(User).order_by(User.username_key)):
        state = "suspended" if user.is_suspended else "active"
        click.echo(f"{user.username:<30} {user.role.value:<12} {state:<10} {user.email}")
