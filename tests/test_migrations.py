"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from datetime import datetime

import flask_migrate
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from forum import create_app
from forum.extensions import db
from tests.conftest import app_config
from tests.databases import fresh_database


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        options = app.extensions["migrate"].configure_args  # as `forum db migrate` compares
        context = MigrationContext.configure(connection, opts=options)
        assert compare_metadata(context, db.metadata) == []


def test_migrations_upgrade_from_empty_and_downgrade_to_empty(tmp_path):
    with fresh_database(tmp_path) as url:
        app = create_app(app_config(url))
        with app.app_context():
            flask_migrate.upgrade()
            assert set(db.metadata.tables) <= set(inspect(db.engine).get_table_names())
            flask_migrate.downgrade(revision="base")
            assert inspect(db.engine).get_table_names() == ["alembic_version"]
            flask_migrate.upgrade()
            assert "user" in inspect(db.engine).get_table_names()
            db.engine.dispose()


def _fill(connection, table: str, **values) -> None:
    """Insert a row with the given values and a plain value in every other required column."""
    plain = {sa.Integer: 1, sa.String: "x", sa.DateTime: datetime(2026, 1, 1), sa.Boolean: False,
             sa.JSON: "[]", sa.Text: "x"}  # fmt: skip
    for column in inspect(connection).get_columns(table):
        if column["nullable"] or column.get("default") is not None or column["name"] in values:
            continue
        if column.get("autoincrement") is True or column["name"] == "id":
            continue
        kind = next(k for k in plain if isinstance(column["type"], k))
        values[column["name"]] = plain[kind]
    names = ", ".join(f'"{name}"' for name in values)
    marks = ", ".join(f":{name}" for name in values)
    connection.execute(sa.text(f'INSERT INTO "{table}" ({names}) VALUES ({marks})'), values)


def test_existing_posts_take_their_authors_language(tmp_path):
    with fresh_database(tmp_path) as url:
        app = create_app(app_config(url))
        with app.app_context():
            flask_migrate.upgrade(revision="d4b8e1f93c60")  # before search
            with db.engine.begin() as connection:
                for uid, locale in ((1, "fr"), (2, ""), (3, "es")):
                    _fill(connection, "user", id=uid, username=f"u{uid}", username_key=f"u{uid}",
                          email=f"u{uid}@example.org", locale=locale)  # fmt: skip
                _fill(connection, "dialogue", id=1, slug="d")
                _fill(connection, "topic", id=1, dialogue_id=1, author_id=1)
                for uid in (1, 2, 3):
                    _fill(connection, "post", id=uid, topic_id=1, author_id=uid, number=uid,
                          path=f"{uid:07d}", parent_id=None, prompt_id=None)  # fmt: skip
            flask_migrate.upgrade()
            with db.engine.connect() as connection:
                languages = connection.execute(sa.text("SELECT id, language FROM post ORDER BY id"))
                assert list(languages) == [(1, "fr"), (2, "en"), (3, "es")]
            db.engine.dispose()
