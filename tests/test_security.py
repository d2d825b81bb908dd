"""Security headers on every page, and no markup in templates that the policy would block."""

import re
from pathlib import Path

import pytest

from forum.security import safe_next

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@pytest.mark.parametrize("url", ["/", "/login", "/register", "/code-of-conduct", "/nowhere"])
def test_every_page_sends_a_strict_content_security_policy(client, url):
    headers = client.get(url).headers
    policy = headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=str)
def test_templates_use_no_inline_script_style_or_handlers(template):
    source = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)", source)
    assert not re.search(r"\sstyle\s*=", source)
    assert not re.search(r"<style", source)
    assert not re.search(r"\son[a-z]+\s*=", source)


def test_pages_work_without_javascript(client):
    for url in ("/", "/login", "/register"):
        assert "<script" not in client.get(url).text


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/profile", "/profile"),
        ("/u/amina?tab=posts", "/u/amina?tab=posts"),
        ("https://evil.example/", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("\\\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("/\tevil", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_safe_next_keeps_redirects_on_the_site(target, expected):
    assert safe_next(target, "/") == expected
