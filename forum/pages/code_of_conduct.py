"""The code of conduct: Markdown shipped with the forum, replaceable by the admins."""

from pathlib import Path

from flask import current_app

from forum import text

SHIPPED = Path(__file__).resolve().parent.parent / "content"
_cache: dict[Path, tuple[float, str]] = {}


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


def code_of_conduct_html(language: str) -> str:
    """The code of conduct as cleaned HTML, rendered again only when its file changes."""
    path = source_path(language)
    mtime = path.stat().st_mtime
    cached = _cache.get(path)
    if cached is None or cached[0] != mtime:
        cached = _cache[path] = (mtime, text.render(path.read_text(encoding="utf-8")))
    return cached[1]
