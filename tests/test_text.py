"""The text pipeline: Markdown in, clean HTML out, whatever people paste into it."""

import os
import re
from pathlib import Path

import html5lib
import pytest

from forum import text
from forum.accounts import services
from forum.accounts.models import User
from forum.extensions import db
from tests.databases import same_on_every_database

# CI has shared/ beside the checkout; elsewhere FORUM_XSS_CORPUS names the file.
CORPUS = Path(
    os.environ.get("FORUM_XSS_CORPUS")
    or Path(__file__).resolve().parents[2] / "shared" / "security" / "xss-payloads.txt"
)
FORBIDDEN_ELEMENTS = {
    "script",
    "iframe",
    "object",
    "embed",
    "form",
    "svg",
    "style",
    "math",
    "img",
    "video",
    "audio",
    "frame",
    "frameset",
    "base",
    "link",
    "meta",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background"}


SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")


def payloads() -> list[str]:
    if not CORPUS.exists():
        if os.environ.get("CI"):
            pytest.fail(f"the XSS corpus is not at {CORPUS}")
        pytest.skip(f"the XSS corpus is not at {CORPUS}")
    return CORPUS.read_text(encoding="utf-8").split("\n")


def dangers(html: str) -> list[str]:
    """Everything in html that could run script or restyle the page."""
    tree = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.split("}")[-1].lower()
        if tag in FORBIDDEN_ELEMENTS:
            found.append(f"<{tag}>")
        for name, value in element.attrib.items():
            name = name.split("}")[-1].lower()
            if name.startswith("on") or name == "style":
                found.append(f"{tag}[{name}]")
            if name in URL_ATTRIBUTES:
                # A scheme is letters before the first ":" (RFC 3986); "/search?q=a:b" has none.
                # Browsers drop control characters and spaces around and tabs in a URL.
                scheme = SCHEME.match(re.sub(r"[\x00-\x20]", "", value).lower())
                if scheme and scheme.group(1) not in {"http", "https", "mailto"}:
                    found.append(f"{tag}[{name}={value[:40]}]")
    return found


def test_markdown_renders_what_a_forum_needs():
    html = text.render(
        "# Heading\n\n**bold** _em_ `code`\n\n> quoted\n\n- a\n- b\n\nline one\nline two\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n```\nfenced <b>\n```\n\nhttps://example.org/x"
    )
    for fragment in (
        "<h3>Heading</h3>",
        "<strong>bold</strong>",
        "<em>em</em>",
        "<code>code</code>",
        "<blockquote>",
        "<li>a</li>",
        "line one<br>",
        "<table>",
        "&lt;b&gt;",
        '<a href="https://example.org/x" rel="nofollow ugc noopener">',
    ):
        assert fragment in html


def test_raw_html_shows_as_the_text_typed():
    html = text.render("I <3 this <b>very</b> much <script>alert(1)</script>")
    assert "&lt;3" in html
    assert "&lt;b&gt;very&lt;/b&gt;" in html
    assert "<script" not in html


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](data:text/html,hi)",
        "[x](vbscript:msgbox)",
        "[x](JaVaScRiPt:alert(1))",
        "<javascript:alert(1)>",
    ],
)
def test_only_web_and_mail_links_survive(source):
    assert dangers(text.render(source)) == []
    assert "href=" not in text.render(source)


@same_on_every_database
def test_every_corpus_payload_comes_out_harmless_as_markdown():
    for payload in payloads():
        html = text.render(payload)
        assert dangers(html) == [], payload


@same_on_every_database
def test_every_corpus_payload_is_escaped_in_profile_fields(app, client, user):
    baseline = dangers(client.get("/u/amina").text)  # the layout's own <meta> and <link>
    with app.app_context():
        member = db.session.get(User, user.id)
        for payload in payloads():
            services.update_profile(
                member,
                display_name=payload[:80] or "x",
                organisation=payload[:120],
                bio=payload[:500],
            )
            db.session.commit()
            page = client.get("/u/amina").text
            assert dangers(page) == baseline, payload
