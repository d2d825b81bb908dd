"""Configuration read from the environment, with safe defaults."""

import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

LANGUAGES = {"en": "English", "fr": "Français", "es": "Español"}


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def instance_path() -> str | None:
    """The instance folder from FORUM_INSTANCE_PATH, or None for Flask's default."""
    path = os.environ.get("FORUM_INSTANCE_PATH")
    return os.path.abspath(path) if path else None


def load_secret_key(folder: str) -> str:
    """Return the secret key kept in the instance folder, creating it once if missing."""
    path = Path(folder) / "secret_key"
    if not path.exists():
        Path(folder).mkdir(parents=True, exist_ok=True)
        # Write then link: several workers starting together all end up reading one key.
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".secret_key.")
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    return path.read_text().strip()


def from_environment(folder: str) -> dict:
    """Build the Flask configuration from FORUM_* environment variables."""
    database_url = os.environ.get("FORUM_DATABASE_URL") or "sqlite:///" + os.path.join(
        folder, "forum.sqlite"
    )
    base_url = os.environ.get("FORUM_BASE_URL", "").rstrip("/")
    return {
        "SECRET_KEY": os.environ.get("FORUM_SECRET_KEY") or None,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "BASE_URL": base_url,
        "PROXIES": int(os.environ.get("FORUM_PROXIES", "0")),
        "SESSION_COOKIE_SECURE": _flag("FORUM_SECURE_COOKIES", base_url.startswith("https:")),
        "RATELIMIT_STORAGE_URI": os.environ.get("FORUM_RATELIMIT_STORAGE_URL", "memory://"),
        "RATELIMIT_ENABLED": _flag("FORUM_RATELIMIT_ENABLED", True),
        "RATELIMIT_LOGIN": os.environ.get("FORUM_RATELIMIT_LOGIN", "30 per minute"),
        "RATELIMIT_LOGIN_ACCOUNT": os.environ.get(
            "FORUM_RATELIMIT_LOGIN_ACCOUNT", "5 per minute; 30 per hour"
        ),
        # A report or export reads a whole dialogue: a few per minute for each address.
        "RATELIMIT_EXPORT": os.environ.get("FORUM_RATELIMIT_EXPORT", "20 per minute"),
        "RATELIMIT_REGISTER": os.environ.get("FORUM_RATELIMIT_REGISTER", "20 per hour"),
        # Requests to the JSON API per client address, all its addresses together.
        "RATELIMIT_API": os.environ.get("FORUM_RATELIMIT_API", "300 per minute"),
        # smtp://user:password@host:587 (STARTTLS) or smtps://...:465; empty: .eml files.
        "MAIL_URL": os.environ.get("FORUM_MAIL_URL", ""),
        "MAIL_FROM": os.environ.get("FORUM_MAIL_FROM")
        or "Dialogue Forum <forum@" + (urlsplit(base_url).hostname or "localhost") + ">",
        # Days a sent (or given up) message stays in the outbox, for the admins' outbox page.
        "MAIL_KEEP_DAYS": int(os.environ.get("FORUM_MAIL_KEEP_DAYS", "30")),
        "RATELIMIT_RESET": os.environ.get("FORUM_RATELIMIT_RESET", "20 per hour"),
        "RATELIMIT_RESET_ADDRESS": os.environ.get("FORUM_RATELIMIT_RESET_ADDRESS", "5 per hour"),
        "MAX_CONTENT_LENGTH": int(os.environ.get("FORUM_MAX_CONTENT_LENGTH", 1024 * 1024)),
    }


DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    # HttpOnly, SameSite and Secure: one rule for every cookie, in forum/security.py.
    "REMEMBER_COOKIE_DURATION": 60 * 60 * 24 * 30,
    # A reply typed slowly on a phone must not fail because a token aged; the session bounds it.
    "WTF_CSRF_TIME_LIMIT": None,
    "PASSWORD_HASH_METHOD": "scrypt",
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_DEFAULT_TIMEZONE": "UTC",
    "RATELIMIT_HEADERS_ENABLED": True,
    # Redis unreachable: count in this process and log it, rather than refuse every login.
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "RATELIMIT_SWALLOW_ERRORS": True,
    "LANGUAGES": LANGUAGES,
}
