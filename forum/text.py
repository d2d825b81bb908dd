"""The one text pipeline: Markdown in, cleaned HTML out. The only code that marks HTML safe."""

from functools import partial
from xml.etree.ElementTree import Element

import bleach
import markdown
from bleach.linkifier import LinkifyFilter
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

# Bump when the Markdown options or the allowlist change; stored HTML is then out of date.
RENDER_VERSION = 1

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre",
        "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "th": ["align"],
    "td": ["align"],
    "ol": ["start"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
HEADINGS = {"h1": "h3", "h2": "h4", "h3": "h5", "h4": "h6", "h5": "h6"}


class _ForumTree(Treeprocessor):
    """Fit Markdown's output to a post: headings start at h3, images become links."""

    def run(self, root: Element) -> None:
        for element in root.iter():
            if element.tag in HEADINGS:
                element.tag = HEADINGS[element.tag]
            elif element.tag == "img":
                src, alt = element.get("src", ""), element.get("alt", "")
                element.attrib.clear()
                element.tag = "a"
                element.set("href", src)
                element.text = alt or src


class _ForumExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Raw HTML is then escaped by Markdown itself and shows as the text the person typed.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_ForumTree(md), "forum", 0)


def _set_rel(attrs: dict, new: bool = False) -> dict:
    attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_set_rel], skip_tags={"pre", "code"})],
)


def render(source: str) -> str:
    """Render Markdown and clean it against the allowlist; the result is safe to store."""
    md = markdown.Markdown(
        extensions=["sane_lists", "fenced_code", "tables", "nl2br", _ForumExtension()],
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
    return _cleaner.clean(md.convert(source))


def cleaned(html: str) -> Markup:
    """Mark HTML that render() produced (and the database stored) as safe for templates."""
    return Markup(html)  # noqa: S704 (the input is render()'s output)
