"""The code of conduct: Markdown shipped with the forum, replaceable by the admins."""

from pathlib import Path

from flask import current_app

from forum import text

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


def code_of_conduct(language: str) -> tuple[str, str]:
    """The code of conduct's title (its leading '# ' line, if any) and body as cleaned HTML.

    Rendered again only when its file changes.
    """
    path = source_path(language)
    mtime = path.stat().st_mtime
    cached = _cache.get(path)
    if cached is None or cached[0] != mtime:
        source = path.read_text(encoding="utf-8").lstrip()
        title = ""
        if source.startswith("# "):
            first, _, source = source.partition("\n")
            title = first[2:].strip()
        cached = _cache[path] = (mtime, title, text.render(source))
    return cached[1], cached[2]
