"""Dialogue Forum: facilitated dialogue on gender-sensitive peacebuilding."""

import logging
from pathlib import Path

from flask import Flask
from flask.logging import default_handler
from werkzeug.middleware.proxy_fix import ProxyFix

from forum import config as settings
from forum.extensions import babel, csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, errors, commands."""
    app = Flask(
        __name__,
        instance_path=settings.instance_path() or str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(settings.DEFAULTS)
    app.config.update(settings.from_environment(app.instance_path))
    app.config.update(config or {})
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = settings.load_secret_key(app.instance_path)

    from forum import database, errors, i18n, inputs, kept, security, templating

    inputs.init_app(app)
    security.init_app(app)
    database.init_app(app)
    db.init_app(app)
    from forum.search.models import in_models

    migrate.init_app(
        app, db, directory=str(ROOT / "migrations"), render_as_batch=True, include_name=in_models
    )
    csrf.init_app(app)
    security.check_csrf(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    limiter.init_app(app)
    # Flask-Limiter warns when its storage (Redis) is unreachable and it counts in memory
    # instead; its logger has only a NullHandler, so give it the app's log (the server's errors).
    logging.getLogger("flask-limiter").addHandler(default_handler)
    login_manager.init_app(app)

    from forum.accounts.cli import user_cli
    from forum.accounts.views import bp as accounts_bp
    from forum.api.views import bp as api_bp
    from forum.backups.cli import backup_command, restore_command
    from forum.conclusions.views import bp as conclusions_bp
    from forum.demo import demo_command
    from forum.dialogues.cli import dialogue_cli
    from forum.dialogues.views import bp as dialogues_bp
    from forum.exports.cli import export_cli
    from forum.exports.views import bp as exports_bp
    from forum.feeds.views import bp as feeds_bp
    from forum.mail import delivery as mail_delivery
    from forum.mail.cli import mail_cli
    from forum.mail.views import bp as mail_bp
    from forum.moderation.views import bp as moderation_bp
    from forum.notifications import mailing, notices, spreading  # noqa: F401 (producers, receivers)
    from forum.notifications.views import bp as notifications_bp
    from forum.pages.views import bp as pages_bp
    from forum.participation.views import bp as participation_bp
    from forum.posts.cli import posts_cli
    from forum.posts.views import bp as posts_bp
    from forum.search import indexing  # noqa: F401 (receivers: the index follows the acts)
    from forum.search.cli import search_cli
    from forum.search.views import bp as search_bp
    from forum.summaries.views import bp as summaries_bp
    from forum.topics.views import bp as topics_bp

    app.register_blueprint(pages_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(dialogues_bp)
    app.register_blueprint(topics_bp)
    app.register_blueprint(posts_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(summaries_bp)
    app.register_blueprint(conclusions_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(mail_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(participation_bp)
    limiter.exempt(feeds_bp)  # feed readers poll; feeds are cheap and cacheable
    security.limit_only_where_limited(app)
    app.register_blueprint(i18n.bp)
    errors.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    kept.init_app(app)
    mail_delivery.init_app(app)
    app.cli.add_command(user_cli)
    app.cli.add_command(dialogue_cli)
    app.cli.add_command(posts_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(export_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(i18n.i18n_cli)
    if app.config["PROXIES"]:  # outermost: every middleware sees the client's address and host
        n = app.config["PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n, x_prefix=n)
    return app
