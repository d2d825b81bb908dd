"""Readable, stable address parts made from titles."""

import re
import unicodedata

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(title: str, *, max_length: int = 80) -> str:
    """Make a lowercase ASCII slug from a title, e.g. 'Qué apoyo?' -> 'que-apoyo'."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:max_length].rstrip("-")
