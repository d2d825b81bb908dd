"""What a person types into the search box, read as words to find, phrases and words to leave out.

`land disputes` finds texts with both words, `"land disputes"` the phrase, `-water` leaves out
texts with the word. Case and accents do not count; words common in any of the forum's
languages ("the", "de", "la") are left out and said so.
"""

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from forum.search import words as w

MAX_LENGTH = 300
MAX_PIECES = 12
TOO_LONG = _l("A search has at most %(n)d characters.", n=MAX_LENGTH)
# A word, "a phrase" (an unclosed quote runs to the end), either with a minus before it.
TOKEN = re.compile(r'(-?)(?:"([^"]*)"?|([^\s"]+))')


class QueryRefused(ValueError):
    """A query that cannot be searched, with a message for the person."""


@dataclass(frozen=True)
class Piece:
    """One thing to find or leave out: a word, or the words of a phrase, folded."""

    words: tuple[str, ...]

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    @property
    def text(self) -> str:
        """As PostgreSQL's websearch_to_tsquery reads it."""
        return f'"{" ".join(self.words)}"' if self.is_phrase else self.words[0]

    def alternatives(self) -> list[tuple[str, ...]]:
        """The piece stemmed in each language a query is matched in, and word for word."""
        seen: list[tuple[str, ...]] = []
        for language in (*w.QUERY_LANGUAGES, "simple"):
            stops = w.stop_words(language)
            stems = tuple(w.stem(word, language) for word in self.words if word not in stops)
            if stems and stems not in seen:
                seen.append(stems)
        if not self.is_phrase and self.words not in seen:
            seen.append(self.words)
        return seen


@dataclass(frozen=True)
class Query:
    required: tuple[Piece, ...]
    excluded: tuple[Piece, ...]
    ignored: tuple[str, ...]  # common words left out, as typed

    def stems(self) -> frozenset[str]:
        """Every form of every word to find: what a snippet highlights."""
        return frozenset(
            stem
            for piece in self.required
            for alternative in piece.alternatives()
            for stem in alternative
        )


def parse(raw: str) -> Query:
    """Read a query; QueryRefused says why one cannot be searched."""
    raw = (raw or "").strip()
    if not raw:
        raise QueryRefused(_l("Type a few words to look for."))
    if len(raw) > MAX_LENGTH:
        raise QueryRefused(TOO_LONG)
    required: list[Piece] = []
    excluded: list[Piece] = []
    ignored: list[str] = []
    for minus, phrase, word in TOKEN.findall(raw):
        typed = phrase if phrase else word
        found = w.words(typed)
        kept = tuple(x for x in found if not w.is_stop_word(x))
        if not kept:
            ignored.extend(w.WORD.findall(typed))
            continue
        # A phrase keeps its common words ("the rule of law"); each language drops its own.
        (excluded if minus else required).append(Piece(tuple(found)))
    if len(required) + len(excluded) > MAX_PIECES:
        raise QueryRefused(_l("Search for at most %(n)d words or phrases.", n=MAX_PIECES))
    if not required:
        if excluded:
            raise QueryRefused(_l("Say what to look for, not only what to leave out."))
        if ignored:
            raise QueryRefused(
                _l("These words are too common to search for: try more specific ones.")
            )
        raise QueryRefused(_l("Type words to look for: letters or numbers."))
    return Query(tuple(required), tuple(excluded), tuple(dict.fromkeys(ignored)))
