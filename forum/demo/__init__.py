"""`forum demo`: load demonstration content into an empty forum."""

import secrets

import click
from flask.cli import with_appcontext
from sqlalchemy import inspect, select

from forum.accounts import services
from forum.accounts.models import Role, User
from forum.extensions import db

PEOPLE = [
    # username, display name, organisation, country, role
    ("admin", "Nadia Haddad", "Dialogue Forum", "LB", Role.admin),
    ("moderator", "Grace Mutesi", "Women Peacemakers Network", "RW", Role.moderator),
    ("facilitator", "Lucía Pérez", "Red de Mujeres Mediadoras", "CO", Role.participant),
    ("amina", "Amina Diallo", "Femmes pour la Paix", "ML", Role.participant),
    ("babar", "Babar Khan", "Men for Gender Justice", "PK", Role.participant),
    ("jean", "Jean-Baptiste Nkurunziza", "", "BI", Role.participant),
]


@click.command("demo")
@with_appcontext
def demo_command():
    """Load demo users (one of every role) into an empty forum, and print their passwords."""
    if not inspect(db.engine).has_table(User.__tablename__):
        raise click.ClickException("The database has no tables yet: run `forum db upgrade` first.")
    if db.session.scalar(select(User.id).limit(1)) is not None:
        click.echo("The forum already has content: the demo was not loaded.")
        click.echo("Reset a password with `forum user password USERNAME`.")
        return
    passwords = {}
    for username, name, organisation, country, role in PEOPLE:
        passwords[username] = secrets.token_urlsafe(12)
        user = services.create_user(
            username=username,
            email=f"{username}@example.org",
            password=passwords[username],
            display_name=name,
            role=role,
        )
        services.update_profile(user, organisation=organisation, country=country)
    db.session.commit()
    click.echo("Demo content loaded. Log in at /login with:")
    for username, *_, role in PEOPLE:
        click.echo(f"  {username:<12} {passwords[username]:<20} ({role.value})")
    click.echo("These passwords are shown once; `forum user password USERNAME` sets a new one.")
