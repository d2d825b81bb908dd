"""Search on SQLite: an FTS5 table of words stemmed in Python, each entry in its own language.

SQLite's tokenizers do not stem (and Python's sqlite3 cannot give FTS5 one), so the entry's
words go in already folded and stemmed by Snowball (forum/search/words.py): its subject, its
text, and its words as written that their stem differs from (see forum/search/postgres.py for
why). The FTS5 table keeps these stems as its content: they exist nowhere else, and a stored
text could not be stemmed again to delete its row. A query is stemmed the same way in every
language; snippets are made here from the text itself, since FTS5's would show stems.
"""

from sqlalchemy import column, func, insert, literal_column, select, table, text

from forum import text as texts
from forum.extensions import db
from forum.search import words
from forum.search.models import ENTRY_COLUMNS, SearchEntry
from forum.search.query import Query

FTS = table("search_text", column("rowid"))
FTS_WRITE = text(
    "INSERT INTO search_text (rowid, subject, body, words) VALUES (:id, :subject, :body, :words)"
)
# The weight of a matched word in the subject, the text and the words as written.
WEIGHTS = (4.0, 1.0, 0.5)
SNIPPET_WORDS = 32


def plain(html: str) -> str:
    """The text of stored HTML, as a reader reads it."""
    return texts.cleaned(html).striptags()


def terms(language: str, subject: str, html: str) -> dict[str, str]:
    """What the FTS5 table indexes of an entry: its columns' stems."""
    language = words.language_of(language)
    stops = words.stop_words(language)
    said = {"subject": words.words(subject), "body": words.words(plain(html))}
    found = {name: " ".join(words.stem(w, language) for w in said[name] if w not in stops)
             for name in said}  # fmt: skip
    written = dict.fromkeys(
        w for w in said["subject"] + said["body"] if w not in stops and words.stem(w, language) != w
    )
    return {**found, "words": " ".join(written)}


def insert_entries(source) -> None:
    """Index the rows of a source query (forum.search.indexing.source)."""
    rows = db.session.execute(source).all()
    if not rows:
        return
    ids = db.session.scalars(
        insert(SearchEntry).returning(SearchEntry.id, sort_by_parameter_order=True),
        [{name: getattr(row, name) for name in ENTRY_COLUMNS} for row in rows],
    ).all()
    stems = [terms(row.language, row.subject, row.html) for row in rows]
    db.session.execute(FTS_WRITE, [{"id": i, **s} for i, s in zip(ids, stems, strict=True)])


def _string(stems) -> str:
    return '"' + " ".join(stems) + '"'


def _piece(piece) -> str:
    return "(" + " OR ".join(_string(stems) for stems in piece.alternatives()) + ")"


def expression(query: Query) -> str:
    """The FTS5 query: every piece in any of its forms, none of the excluded ones."""
    found = "(" + " AND ".join(_piece(piece) for piece in query.required) + ")"
    for piece in query.excluded:
        found = f"{found} NOT {_piece(piece)}"
    return found


def hits(query: Query):
    """A select of the entries that match: the caller adds the filters, order and page."""
    rank = -func.bm25(literal_column("search_text"), *WEIGHTS)
    return (
        select(SearchEntry.id, SearchEntry.created_at, rank.label("rank"))
        .select_from(FTS)
        .join(SearchEntry, SearchEntry.id == FTS.c.rowid)
        .where(text("search_text MATCH :found").bindparams(found=expression(query)))
    )


def headline(query: Query, language, html):
    """No column: snippets are made in Python."""
    return None


def snippet(row, query: Query) -> list[tuple[str, bool]]:
    """A passage of the row's text around its first matched words, those words marked."""
    said = plain(row.html)
    stems = query.stems()
    language = words.language_of(row.language)
    found = list(words.WORD.finditer(said))
    marked = [
        (w := words.fold(m.group())) in stems or words.stem(w, language) in stems for m in found
    ]
    first = marked.index(True) if True in marked else 0
    start = max(0, first - SNIPPET_WORDS // 4)
    end = min(len(found), start + SNIPPET_WORDS)
    if not found:
        return [(said[:200], False)] if said else []
    pieces: list[tuple[str, bool]] = []
    at = found[start].start()
    if start > 0:
        pieces.append(("… ", False))
    for m, hit in zip(found[start:end], marked[start:end], strict=True):
        if hit:
            pieces.append((said[at : m.start()], False))
            pieces.append((m.group(), True))
            at = m.end()
    stop = found[end - 1].end() if end < len(found) else len(said)
    pieces.append((said[at:stop], False))
    if end < len(found):
        pieces.append((" …", False))
    return [piece for piece in pieces if piece[0]]
