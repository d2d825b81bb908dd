"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import flask_migrate
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
