"""Display names: refusing those that reorder text or show nothing, spotting look-alikes."""

import unicodedata
from functools import cache

# Embeddings, overrides and isolates: they reorder the text around a name on the page.
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
# Letters and signs that draw nothing: Hangul fillers, the blank Braille pattern.
BLANKS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def has_bidi_controls(name: str) -> bool:
    """Say whether name holds a character that overrides or isolates the text's direction."""
    return not BIDI_CONTROLS.isdisjoint(name)


def is_drawn(char: str) -> bool:
    """Say whether a character shows something: a letter, digit, punctuation or symbol."""
    return unicodedata.category(char)[0] in "LNPS" and char not in BLANKS


def shows_nothing(name: str) -> bool:
    """Say whether name is only spaces and invisible characters."""
    return not any(is_drawn(char) for char in name)


@cache
def _homoglyphs() -> dict:
    # Imported on first use: the table is large and only saving a name needs it.
    from confusable_homoglyphs.confusables import confusables_data

    return confusables_data


def _near(char: str) -> set[str]:
    return {glyph["c"] for glyph in _homoglyphs().get(char, ()) if len(glyph["c"]) == 1}


@cache
def _prototype(char: str) -> str:
    # Unicode lists each look-alike against one prototype, and the prototype against all its
    # look-alikes: two steps reach the whole group, whose smallest member stands for it.
    group = {char} | _near(char)
    for other in list(group):
        group |= _near(other)
    return min(group)


def _mapped(text: str) -> str:
    return "".join(_prototype(char) for char in text)


def skeletons(name: str) -> set[str]:
    """What a name looks like: compatibility forms, case, accents, invisibles and look-alikes
    folded away (mapped before and after casefolding, as 'O'/'0' differ from 'o')."""
    drawn = "".join(c for c in unicodedata.normalize("NFKD", name) if is_drawn(c))
    return {_mapped(drawn).casefold(), _mapped(drawn.casefold())}


def confusable(name: str, other: str) -> bool:
    """Say whether a reader could mistake one display name for the other."""
    return not skeletons(name).isdisjoint(skeletons(other))
