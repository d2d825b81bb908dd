"""Texts built to make a Markdown renderer slow, each as long as the forms accept.

Shared by tests/test_text_limits.py and bench/markdown.py.
"""

import random

from forum.text import MAX_LENGTH


def repeat(unit: str, prefix: str = "", suffix: str = "") -> str:
    """unit repeated to fill the longest text a form accepts, between prefix and suffix."""
    room = MAX_LENGTH - len(prefix) - len(suffix)
    return prefix + unit * (room // len(unit)) + suffix


def nested(opening: str, middle: str, closing: str) -> str:
    """opening ... middle ... closing, as deep as the longest text allows."""
    depth = (MAX_LENGTH - len(middle)) // (len(opening) + len(closing))
    return opening * depth + middle + closing * depth


def soup(alphabet: str, seed: int = 12) -> str:
    """Random characters from alphabet, always the same for a seed."""
    rng = random.Random(seed)
    return "".join(rng.choice(alphabet) for _ in range(MAX_LENGTH))


def indented_list(marker: str) -> str:
    """A list nested one level deeper on each line."""
    lines, depth = [], 0
    while sum(map(len, lines)) < MAX_LENGTH - 4 * depth - 10:
        lines.append("    " * depth + marker + " a\n")
        depth += 1
    return "".join(lines)


def table(columns: int) -> str:
    """A table with this many columns and as many rows as fit."""
    head = "|" + "a|" * columns + "\n" + "|" + "-|" * columns + "\n"
    return repeat("|" + "1|" * columns + "\n", prefix=head)


FAMILIES = {
    # The five the hardening issue found, then more of the same kind.
    "open brackets [": repeat("["),
    "image openers ![": repeat("!["),
    "link openers [a](": repeat("[a]("),
    "nested brackets [[[x]]]": repeat("[[[x]]]"),
    "setext headings": repeat("a\n=\n"),
    "one deep bracket nest": nested("[", "x", "]"),
    "deep link nest": nested("[", "x", "](y)"),
    "close-and-open ](": repeat("]("),
    "empty links []": repeat("[]"),
    "empty full links [](": repeat("[]("),
    "references [a][b]": repeat("[a][b]"),
    "reference definitions": repeat("[a]: http://a.co\n"),
    "defined and used": repeat("[a]\n", prefix="[a]: http://a.co\n\n"),
    "paren soup (": repeat("(", prefix="[a]"),
    "link with open title": repeat("'", prefix='[a](b "'),
    "bracket soup": soup("[]()!<>:\"' a\n"),
    "emphasis *": repeat("*"),
    "emphasis _": repeat("_"),
    "emphasis runs *a": repeat("*a"),
    "strong runs **a": repeat("**a"),
    "mixed emphasis *_": soup("*_a "),
    "deep emphasis": nested("*", "a", "*"),
    "backticks `": repeat("`"),
    "backtick runs `a": repeat("`a"),
    "code fences": repeat("```\n"),
    "indented code": repeat("    a\n"),
    "autolink openers <": repeat("<"),
    "autolink bait <http://": repeat("<http://a"),
    "mail bait <a@": repeat("<a@b"),
    "entities &": repeat("&"),
    "entity bait &#": repeat("&#1"),
    "named entities &amp;": repeat("&amp;"),
    "raw html": repeat("<b>"),
    "html comments": repeat("<!--"),
    "blockquote markers >": repeat(">"),
    "deep blockquotes": repeat(">", suffix=" a"),
    "blockquote lines": repeat("> a\n"),
    "nested lists": indented_list("-"),
    "nested ordered lists": indented_list("1."),
    "list markers - - -": repeat("- "),
    "list lines": repeat("- a\n"),
    "ordered list lines": repeat("1. a\n"),
    "wide table": table(MAX_LENGTH // 10),
    "tall table": table(2),
    "pipes |": repeat("|"),
    "pipe lines": repeat("|\n"),
    "hashes #": repeat("#", suffix="a"),
    "heading lines": repeat("# a\n"),
    "rules ---": repeat("-", suffix="a"),
    "spaced rules - - -": repeat("- ", suffix="a"),
    "backslashes": repeat("\\"),
    "escapes \\[": repeat("\\["),
    "line breaks": repeat("a\n"),
    "blank lines": repeat("\n"),
    "spaces": repeat(" "),
    "linkify bait www": repeat("www.a.co "),
    "linkify bait mail": repeat("a@b.co "),
    "one long url": repeat("a", prefix="https://example.org/"),
    "one long word": repeat("a"),
    "citations #p": repeat("#p1 "),
    "citation links": repeat("[a](#p1) "),
    "one huge citation": repeat("9", prefix="#p"),
    "huge permalinks": repeat("9", prefix="/p/"),
}
