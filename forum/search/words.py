"""Words as search sees them: split, folded (case and accents), stop words, Snowball stems.

The SQLite index and the query parser use these; PostgreSQL does the same with its own
text-search configurations (forum_english, ... : unaccent, then the Snowball stemmer), whose
stop words are the lists in stopwords/ (PostgreSQL ships the same Snowball lists).
"""

import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

import snowballstemmer

# The languages a post can be written in that have a stemmer here: their Snowball names, which
# are also PostgreSQL's. A post in another language is indexed word for word.
STEMMED = {"en": "english", "fr": "french", "es": "spanish"}
# What a query is matched in: a French query finds French posts stemmed as French.
QUERY_LANGUAGES = tuple(STEMMED)

WORD = re.compile(r"[^\W_]+")
# Letters that no decomposition takes apart, as PostgreSQL's unaccent writes them.
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O"})


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """The word without case or accents: 'Mediación' -> 'mediacion', 'cœur' -> 'coeur'."""
    decomposed = unicodedata.normalize("NFKD", word.translate(LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """The words of a text, folded, in order."""
    return [fold(word) for word in WORD.findall(text)]


@cache
def stop_words(language: str) -> frozenset[str]:
    """The language's stop words, folded (none for a language without a list)."""
    name = STEMMED.get(language)
    if name is None:
        return frozenset()
    path = Path(__file__).with_name("stopwords") / f"{name}.txt"
    return frozenset(fold(line.strip()) for line in path.read_text().splitlines() if line.strip())


def is_stop_word(word: str) -> bool:
    """Whether a folded word is a stop word in any language a query is matched in."""
    return any(word in stop_words(language) for language in QUERY_LANGUAGES)


@cache
def _stemmer(language: str):
    return snowballstemmer.stemmer(STEMMED[language])


@lru_cache(maxsize=262144)
def stem(word: str, language: str) -> str:
    """The Snowball stem of a folded word in a language (the word itself without a stemmer)."""
    if language not in STEMMED:
        return word
    return _stemmer(language).stemWord(word)


def language_of(code: str | None) -> str:
    """The language a text is indexed in: its own if stemmed here, else none ('simple')."""
    return code if code in STEMMED else "simple"
