"""The one text pipeline: Markdown in, cleaned HTML out. The only code that marks HTML safe."""

import gc
import re
import threading
import time
from functools import lru_cache, partial, wraps
from xml.etree.ElementTree import Element

import bleach
import markdown
from flask_babel import lazy_gettext as _l
from html5lib.filters.base import Filter
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor, LinkInlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString
from markupsafe import Markup, escape
from wtforms.validators import Length, ValidationError

# Bump when the Markdown options or the allowlist change; stored HTML is then out of date.
RENDER_VERSION = 2

# The longest Markdown any form accepts (posts, framings, descriptions, summaries, the code of
# conduct): some 3,000 words, far beyond a real post, and short enough that no single step of
# the pipeline below (one regular expression, the cleaner) takes long on it.
MAX_LENGTH = 20_000
# CPU time of the rendering thread one text may take, so that load elsewhere on the machine
# does not refuse a normal post; checked between the steps of Python-Markdown and the cleaner.
BUDGET_SECONDS = 0.5
# bleach parses the whole of Markdown's output before it can be stopped, at some 10 to 50 us a
# tag: more tags than this (a real 20,000-character post has about 1,000) is refused unparsed.
MAX_TAGS = 5_000

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
# "#p123" cites post 123, in any text; so does a link to "#p123". Post ids are 32-bit on every
# database: a number of more than ten digits names no post (and int() refuses thousands).
CITATION = r"(?<![\w/&#])#p(\d{1,10})\b"
CITED_ANCHOR = re.compile(r"#p(\d{1,10})")
POST_ID_MAX = 2**31 - 1
# A web address written out in the text becomes a link: from its scheme or "www." to the first
# space, less the punctuation that ends a sentence. Linear: nothing in it can backtrack far.
BARE_URL = r"(?<![\w/@.-])(?:https?://|www\.)[^\s<>\"\x02\x03]*[^\s<>\"\x02\x03.,;:!?'*_~\]}]"


class TextRefused(ValueError):
    """A text the pipeline will not render, with a message for its writer."""


class TextTooLong(TextRefused):
    """A text longer than MAX_LENGTH."""


class TextTooComplex(TextRefused):
    """A text whose formatting would take longer than the budget to work out."""


class MissingPost(TextRefused):
    """A text that cites a post which does not exist."""


# What Python-Markdown (and its tables) let a backslash escape; not '.', which only matters
# after a number at the start of a line, and would split a web address in a name.
MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()>#+\-!|])")


def literal(plain: str) -> str:
    """Plain text (a name) written into Markdown so that it renders as itself and nothing more."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(plain.split()))


def permalink(post_id: int) -> str:
    """A post's permanent address, which redirects to wherever the post is shown."""
    return f"/p/{post_id}"


class _Citation(InlineProcessor):
    """'#p123' becomes a link to post 123."""

    ANCESTOR_EXCLUDES = ("a",)

    def handleMatch(self, m: re.Match, data: str):
        link = Element("a", {"href": f"#p{m.group(1)}"})
        link.text = AtomicString(m.group(0))
        return link, m.start(0), m.end(0)


class _BareUrl(InlineProcessor):
    """A web address written out becomes a link (a ')' ends it unless it closes a '(' in it)."""

    ANCESTOR_EXCLUDES = ("a",)

    def handleMatch(self, m: re.Match, data: str):
        url = m.group(0)
        unopened = url.count(")") - url.count("(")
        if unopened > 0:
            url = url[: len(url) - min(unopened, len(url) - len(url.rstrip(")")))]
        link = Element("a", {"href": url if "://" in url else "https://" + url})
        link.text = AtomicString(url)
        return link, m.start(0), m.start(0) + len(url)


class _Brackets:
    """Where each '[' of a text closes, worked out once per text instead of once per '['.

    Python-Markdown's links, images and references scan to the end of the text from every '['
    to find its ']', which is quadratic in the number of '['. Substituting a link changes only
    what comes before the rest of the text, so positions counted from the end stay true.
    """

    def __init__(self) -> None:
        self.data, self.closing = "", {}

    def get_text(self, data: str, index: int) -> tuple[str, int, bool]:
        """LinkInlineProcessor.getText: the text up to the ']' matching the '[' before index."""
        if data is not self.data and not self.data.endswith(data[index - 1 :]):
            self._index(data)
        end = self.closing.get(len(data) - index + 1)
        if end is None:
            return "", index, False
        end = len(data) - end
        return data[index:end], end + 1, True

    def _index(self, data: str) -> None:
        opened, closing, size = [], {}, len(data)
        for bracket in re.finditer(r"[\[\]]", data):
            if bracket.group() == "[":
                opened.append(size - bracket.start())
            elif opened:
                closing[opened.pop()] = size - bracket.start()
        self.data, self.closing = data, closing


class _ForumTree(Treeprocessor):
    """Fit Markdown's output to a post: headings start at h3, images become links, citations
    point to the post's permanent address."""

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
            if element.tag == "a":
                cited = CITED_ANCHOR.fullmatch(element.get("href", ""))
                if cited:
                    self.md.cited_posts.add(int(cited.group(1)))
                    element.set("href", permalink(int(cited.group(1))))


class _ForumExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Raw HTML is then escaped by Markdown itself and shows as the text the person typed.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        brackets = _Brackets()
        for pattern in md.inlinePatterns:
            if isinstance(pattern, LinkInlineProcessor):  # links, images and references
                pattern.getText = brackets.get_text
        md.inlinePatterns.register(_Citation(CITATION, md), "citation", 115)
        md.inlinePatterns.register(_BareUrl(BARE_URL, md), "bare_url", 105)
        md.treeprocessors.register(_ForumTree(md), "forum", 0)
        md.cited_posts = set()


_collecting = threading.local()


def _time_collections(phase: str, info: dict) -> None:
    """Add up the CPU time each thread spends collecting garbage."""
    if phase == "start":
        _collecting.started = time.thread_time()
    elif hasattr(_collecting, "started"):
        _collecting.total = getattr(_collecting, "total", 0.0) + (
            time.thread_time() - _collecting.started
        )


gc.callbacks.append(_time_collections)


def _spent() -> float:
    """This thread's CPU time, less its garbage collections.

    A full collection in a worker with a large heap can take a good part of the budget while
    rendering any text, however short: that is not the text's doing.
    """
    return time.thread_time() - getattr(_collecting, "total", 0.0)


def _within(step, deadline: float):
    """step, refusing to start once this thread has used its CPU time budget."""

    @wraps(step)
    def checked(*args, **kwargs):
        if _spent() > deadline:
            raise TextTooComplex
        return step(*args, **kwargs)

    return checked


def _budgeted(md: markdown.Markdown, deadline: float) -> None:
    """Check the budget before every step of md: each processor, block test and inline match."""
    for registry, methods in (
        (md.preprocessors, ("run",)),
        (md.parser.blockprocessors, ("test", "run")),
        (md.inlinePatterns, ("handleMatch",)),
        (md.treeprocessors, ("run",)),
        (md.postprocessors, ("run",)),
    ):
        for step in registry:
            for method in methods:
                setattr(step, method, _within(getattr(step, method), deadline))


class _LinksAndBudget(Filter):
    """The cleaner's last step: every link gets LINK_REL; no token past the budget."""

    def __init__(self, source, deadline: float) -> None:
        super().__init__(source)
        self.deadline = deadline

    def __iter__(self):
        for token in super().__iter__():
            if _spent() > self.deadline:
                raise TextTooComplex
            if token["type"] == "StartTag" and token["name"] == "a":
                token["data"][(None, "rel")] = LINK_REL
            yield token


def _cleaner(deadline: float) -> bleach.Cleaner:
    """bleach against the allowlist, within the budget of the text being rendered."""
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[partial(_LinksAndBudget, deadline=deadline)],
    )


TOO_COMPLEX = _l(
    "This text is too complex to format: it has a pattern that takes too long to work out (for "
    "example many unmatched [ brackets, or very deep quotes or lists). Please simplify it."
)


@lru_cache(maxsize=16)  # a form's check and its service render the same text in one request
def _convert(source: str) -> tuple[str, frozenset[int]]:
    """Markdown to clean HTML within the budget, and the posts the text cites."""
    md = markdown.Markdown(
        extensions=["sane_lists", "fenced_code", "tables", "nl2br", _ForumExtension()],
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
    deadline = _spent() + BUDGET_SECONDS
    _budgeted(md, deadline)
    try:
        html = md.convert(source)
    except (TextTooComplex, RecursionError):  # the parser recurses once per level of nesting
        raise TextTooComplex(TOO_COMPLEX) from None
    if html.count("<") > MAX_TAGS:
        raise TextTooComplex(TOO_COMPLEX)
    try:
        html = _cleaner(deadline).clean(html)
    except TextTooComplex:
        raise TextTooComplex(TOO_COMPLEX) from None
    return html, frozenset(md.cited_posts)


def _cited_posts(post_ids: frozenset[int]) -> tuple[list[int], set[int]]:
    """The cited posts that do not exist, and those whose author removed what they said."""
    # Imported here: the posts package renders its texts through this module.
    from forum.extensions import db
    from forum.posts.models import Post

    possible = [n for n in post_ids if n <= POST_ID_MAX]
    found = db.session.execute(
        db.select(Post.id, Post.removed_at).where(Post.id.in_(possible))
    ).all()
    removed = {post_id for post_id, removed_at in found if removed_at is not None}
    return sorted(post_ids - {post_id for post_id, _ in found}), removed


REMOVED_CITATION = '<del class="removed-citation">'


def strike_removed(html: str, removed: set[int]) -> str:
    """Strike out the citations of posts whose text their author removed (the page says why)."""
    if not removed:
        return html

    def strike(link: re.Match) -> str:
        if int(link.group(1)) not in removed:
            return link.group(0)
        return f"{REMOVED_CITATION}{link.group(0)}</del>"

    return re.sub(r'(?<!removed-citation">)<a href="/p/(\d+)"[^>]*>.*?</a>', strike, html)


def render(source: str) -> str:
    """Render Markdown and clean it against the allowlist; the result is safe to store.

    Raises TextRefused, with a message for the writer, for a text that is too long, too complex
    to format within the budget, or that cites a post that does not exist.
    """
    if len(source) > MAX_LENGTH:
        raise TextTooLong(
            _l(
                "A text has at most %(n)d characters; this one has %(length)d.",
                n=MAX_LENGTH,
                length=len(source),
            )
        )
    html, cited = _convert(source)
    missing, removed = _cited_posts(cited) if cited else ([], set())
    if missing:
        raise MissingPost(
            _l(
                "There is no post %(posts)s: check the number after #p.",
                posts=", ".join(f"#p{n}" for n in missing[:5]),
            )
        )
    return strike_removed(html, removed)


class Renders(Length):
    """A form field's check: at most MAX_LENGTH characters and Markdown that renders, else the
    pipeline's message for the writer. A Length, so the field's limit is known like any other."""

    def __init__(self) -> None:
        super().__init__(max=MAX_LENGTH)
        # No maxlength in the page: a browser would cut a long paste short without a word;
        # the server refuses it with a message and gives the whole text back.
        self.field_flags = {}

    def __call__(self, form, field) -> None:
        try:
            render(field.data or "")
        except TextRefused as exc:
            raise ValidationError(exc.args[0]) from exc


def render_stored(source: str) -> str:
    """Render a text that is already stored, never refusing it.

    A text the pipeline would refuse now (written before a limit existed) shows as plain,
    escaped paragraphs, so that it stays readable and re-rendering everything never stops.
    """
    try:
        return _convert(source)[0]
    except TextTooComplex:
        paragraphs = re.split(r"\n\s*\n", source)
        return "\n".join(
            f"<p>{escape(p.strip())}</p>".replace("\n", "<br>\n") for p in paragraphs if p.strip()
        )


def cleaned(html: str) -> Markup:
    """Mark HTML that render() produced (and the database stored) as safe for templates."""
    return Markup(html)  # noqa: S704 (the input is render()'s output)


def highlighted(pieces) -> Markup:
    """Plain text in passages, (passage, marked), escaped, the marked ones in <mark> (search
    results' snippets)."""
    return Markup("").join(
        Markup("<mark>%s</mark>") % passage if marked else escape(passage)
        for passage, marked in pieces
    )
