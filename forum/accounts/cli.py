"""`forum user ...`: manage accounts from the command line, without mail.

An act the web writes to the public moderation log (a role, a suspension, its end) is done here
through the same service, in the name of the person given by --by, who needs the same rights
as on the web: the log says who did it, wherever they did it from.
"""

import secrets
from datetime import datetime

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from forum.accounts import archive, deletion, services
from forum.accounts.models import Role, User
from forum.extensions import db
from forum.moderation import people
from forum.moderation.services import ModerationError
from forum.permissions import can

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
    """Run a service call, turning its refusal into a clean command-line error."""
    try:
        return action()
    except (services.AccountError, ModerationError) as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc


def _actor(username: str, right: str) -> User:
    """The person the public log names for this act, if they have the right to do it."""
    actor = _get_user(username)
    if not can(right, user=actor):
        needed = "an administrator" if right == "administer" else "a moderator or administrator"
        raise click.ClickException(f"{actor.username} is not {needed}: --by names who acts.")
    return actor


def _by_option(help: str):
    """The --by option: who acts, as the public log will name them."""
    return click.option("--by", "by", required=True, metavar="USERNAME", help=help)


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
@_by_option("The administrator changing it, named in the public log.")
@click.option("--reason", default="", help="Why, in a sentence; shown in the public log.")
@with_appcontext
def change_role(username, role, by, reason):
    """Change a user's site role (participant, moderator, admin)."""
    user = _get_user(username)
    actor = _actor(by, "administer")
    _run(lambda: people.change_role(user, Role(role), by=actor, reason=reason))
    db.session.commit()
    click.echo(f"{user.username} is now {user.role.value}.")


@user_cli.command("suspend")
@click.argument("username")
@click.option(
    "--reason", required=True, help="Why, in a sentence; the person is told, the log shows it."
)
@click.option(
    "--until",
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]),
    help="End of the suspension (UTC); without it the suspension lasts until restored.",
)
@_by_option("The moderator or administrator suspending, named in the public log.")
@with_appcontext
def suspend(username, reason, until: datetime | None, by):
    """Suspend a user: they are logged out and cannot log in."""
    user = _get_user(username)
    actor = _actor(by, "moderate")
    _run(lambda: people.suspend(user, by=actor, reason=reason, until=until))
    db.session.commit()
    end = f" until {user.suspended_until:%Y-%m-%d %H:%M} UTC" if user.suspended_until else ""
    click.echo(f"{user.username} is suspended{end}.")


@user_cli.command("restore")
@click.argument("username")
@click.option("--reason", required=True, help="Why, in a sentence; shown in the public log.")
@_by_option("The moderator or administrator lifting it, named in the public log.")
@with_appcontext
def restore(username, reason, by):
    """Lift a user's suspension."""
    user = _get_user(username)
    actor = _actor(by, "moderate")
    _run(lambda: people.unsuspend(user, by=actor, reason=reason))
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
    for user in db.session.scalars(
        select(User).where(User.deleted_at.is_(None)).order_by(User.username_key)
    ):
        state = "suspended" if user.is_suspended else "active"
        click.echo(f"{user.username:<30} {user.role.value:<12} {state:<10} {user.email}")


@user_cli.command("export")
@click.argument("username")
@click.option(
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
    help="The zip file to write (data.json and posts.md), as the person downloads it.",
)
@with_appcontext
def export(username, output):
    """Write everything the forum holds about a person to a zip, as they would download it."""
    user = _get_user(username)
    with open(output, "wb") as handle:
        handle.write(archive.archive(user))
    click.echo(f"The data of {user.username} is in {output}.")


@user_cli.command("delete")
@click.argument("username")
@click.option(
    "--posts",
    type=click.Choice([choice.value for choice in deletion.Posts]),
    required=True,
    help="keep: their posts' text stays under 'A former participant'; remove: it is removed, "
    "a placeholder keeps the replies in their threads.",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def delete(username, posts, yes):
    """Delete a person's account at their request, as they can on the web; cannot be undone."""
    user = _get_user(username)
    if not yes:
        click.confirm(
            f"Delete the account of {user.username} ({user.email}) and {posts} their posts' "
            "text? This cannot be undone",
            abort=True,
        )
    try:
        deletion.delete_account(user, posts=deletion.Posts(posts))
    except deletion.DeletionRefused as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"The account of {username} is deleted.")
