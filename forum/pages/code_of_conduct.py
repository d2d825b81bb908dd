"""The code of conduct: Markdown shipped with the forum, edited by the admins in the database."""

from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum import text
from forum.accounts.models import User
from forum.clock import utcnow
from forum.extensions import db
from forum.moderation.models import Action
from forum.moderation.services import ModerationError, check_reason, record
from forum.pages.models import ConductRevision, ConductText

SHIPPED = Path(__file__).resolve().parent.parent / "content"
_cache: dict[Path, tuple[float, str, str]] = {}


def source_path(language: str) -> Path:
    """Find the code of conduct: the instance folder's own first, then the shipped one."""
    instance = Path(current_app.instance_path)
    for path in (
        instance / f"code_of_conduct.{language}.md",
        instance / "code_of_conduct.md",
        SHIPPED / f"code_of_conduct.{language}.md",
    ):
        if path.is_file():
            return path
    return SHIPPED / "code_of_conduct.en.md"


def split_title(source: str) -> tuple[str, str]:
    """Separate a leading '# Title' line from the rest of a Markdown text."""
    source = source.lstrip()
    if source.startswith("# "):
        first, _, rest = source.partition("\n")
        return first[2:].strip(), rest
    return "", source


def code_of_conduct(language: str) -> tuple[str, str]:
    """The code of conduct's title and body as cleaned HTML: the admins' text, else the file."""
    edited = db.session.get(ConductText, language)
    if edited is not None:
        return edited.title, edited.html
    return shipped(language)


def shipped(language: str) -> tuple[str, str]:
    """The code of conduct from its file, rendered again only when the file changes."""
    path = source_path(language)
    mtime = path.stat().st_mtime
    cached = _cache.get(path)
    if cached is None or cached[0] != mtime:
        title, source = split_title(path.read_text(encoding="utf-8"))
        cached = _cache[path] = (mtime, title, text.render_stored(source))
    return cached[1], cached[2]


def current_source(language: str) -> tuple[str, str]:
    """The title and Markdown an admin starts editing from."""
    edited = db.session.get(ConductText, language)
    if edited is not None:
        return edited.title, edited.source
    return split_title(source_path(language).read_text(encoding="utf-8"))


def edit_code_of_conduct(
    language: str, *, title: str, source: str, by: User, reason: str = ""
) -> ConductText:
    """Replace the code of conduct in one language; the old text is kept and the change logged."""
    title = " ".join(title.split())
    if not title or not source.strip():
        raise ModerationError(_l("The code of conduct needs a title and a text."))
    reason = check_reason(reason, required=False)
    old_title, old_source = current_source(language)
    edited = db.session.get(ConductText, language)
    if edited is None:
        edited = ConductText(language=language, updated_by_id=by.id)
        db.session.add(edited)
    db.session.add(
        ConductRevision(language=language, editor_id=by.id, title=old_title, source=old_source)
    )
    edited.title, edited.source = title, source
    try:
        edited.html = text.render(source)
    except text.TextRefused as exc:
        raise ModerationError(*exc.args) from exc
    edited.render_version = text.RENDER_VERSION
    edited.updated_at, edited.updated_by_id = utcnow(), by.id
    record(Action.conduct, by=by, reason=f"[{language}] {reason}".strip())
    db.session.flush()
    return edited


def conduct_revisions(language: str) -> list[ConductRevision]:
    """Earlier versions of the code of conduct in one language, newest first."""
    return list(
        db.session.scalars(
            select(ConductRevision)
            .options(selectinload(ConductRevision.editor))
            .where(ConductRevision.language == language)
            .order_by(ConductRevision.id.desc())
        )
    )
