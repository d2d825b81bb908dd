"""Search on PostgreSQL: a tsvector per entry, a GIN index, websearch_to_tsquery, ts_headline.

An entry's vector holds its subject (weight A) and text stemmed by its language's
configuration (forum_english, forum_french, forum_spanish: unaccent, then Snowball; other
languages forum_simple: unaccent only), and its words as written without accents (less their
language's stop words), so that a query stem finds a word the stemmer cut shorter ("mujeres"
is stemmed "mujer", which is the word "mujer", stemmed "muj"). A query is read by
websearch_to_tsquery in every configuration, piece by piece, any of them matching.
"""

import html as entities

from flask import g
from sqlalchemy import (
    ARRAY,
    Text,
    case,
    cast,
    column,
    func,
    insert,
    literal,
    literal_column,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import REGCONFIG, TSQUERY, TSVECTOR

from forum.extensions import db
from forum.search import words
from forum.search.models import ENTRY_COLUMNS, SearchEntry
from forum.search.query import Query

CONFIGURATIONS = {"en": "forum_english", "fr": "forum_french", "es": "forum_spanish"}
SIMPLE = "forum_simple"
ENTRY = table("search_entry", *(column(name) for name in ENTRY_COLUMNS), column("vector"))
VECTOR = literal_column("search_entry.vector", TSVECTOR)
# Marks around the words ts_headline highlights: characters no stored text contains.
START, STOP = "\x02", "\x03"
HEADLINE = f"StartSel={START}, StopSel={STOP}, MaxWords=35, MinWords=15"


def configuration(language):
    """The text-search configuration of a language column."""
    return cast(case(CONFIGURATIONS, value=language, else_=literal(SIMPLE)), REGCONFIG)


def _named(name: str):
    return cast(literal(name), REGCONFIG)


def _plain(html):
    return func.regexp_replace(html, "<[^>]*>", " ", "g")


def _stop_words(language):
    lists = {code: literal(sorted(words.stop_words(code)), ARRAY(Text)) for code in CONFIGURATIONS}
    return case(lists, value=language, else_=literal([], ARRAY(Text)))


def vector(language, subject, html):
    """An entry's tsvector, from its language, subject and stored HTML."""
    config, text = configuration(language), _plain(html)
    as_written = func.to_tsvector(_named(SIMPLE), subject + " " + text)
    written = func.ts_delete(as_written, _stop_words(language))
    return (
        func.setweight(func.to_tsvector(config, subject), literal_column("'A'"))
        .op("||")(func.setweight(func.to_tsvector(config, text), literal_column("'D'")))
        .op("||")(func.setweight(written, literal_column("'D'")))
    )


def insert_entries(source) -> None:
    """Index the rows of a source query (forum.search.indexing.source)."""
    rows = source.subquery()
    made = select(*(rows.c[name] for name in ENTRY_COLUMNS),
                  vector(rows.c.language, rows.c.subject, rows.c.html))  # fmt: skip
    db.session.execute(insert(ENTRY).from_select([*ENTRY_COLUMNS, "vector"], made))


def _piece(piece):
    text = literal(piece.text)
    found = [func.websearch_to_tsquery(_named(name), text)
             for name in (*CONFIGURATIONS.values(), SIMPLE)]  # fmt: skip
    either = found[0]
    for other in found[1:]:
        either = func.tsquery_or(either, other)
    return either


def tsquery(query: Query):
    """The tsquery of a parsed query: every piece to find, in any language, and none excluded.

    Worked out by PostgreSQL once, then written into the statement as a constant: the planner
    then knows how common its words are (from the vector column's statistics), and reads a
    rare word through the GIN index but a common one through the newest entries first.
    """
    worked_out = _worked_out(query).replace("'", "''")  # standard_conforming_strings: on
    return literal_column(f"CAST('{worked_out}' AS tsquery)", TSQUERY)


def _worked_out(query: Query) -> str:
    """The tsquery of a parsed query, as PostgreSQL writes it: one statement per search (kept
    for the rest of the request, which asks again for the snippets)."""
    known = g.setdefault("search_tsqueries", {})
    if query not in known:
        known[query] = _ask(query)
    return known[query]


def _ask(query: Query) -> str:
    result = _piece(query.required[0])
    for piece in query.required[1:]:
        result = func.tsquery_and(result, _piece(piece))
    for piece in query.excluded:
        result = func.tsquery_and(result, func.tsquery_not(_piece(piece)))
    return db.session.scalar(select(cast(result, Text)))


def matches(query: Query):
    """The condition on an entry that it matches the query, and its relevance."""
    found = tsquery(query)
    return VECTOR.bool_op("@@")(found), func.ts_rank(VECTOR, found)


def hits(query: Query):
    """A select of the entries that match: the caller adds the filters, order and page."""
    condition, rank = matches(query)
    return select(SearchEntry.id, SearchEntry.created_at, rank.label("rank")).where(condition)


def headline(query: Query, language, html):
    """A column of the snippet of an entry's text, its matched words between START and STOP."""
    return func.ts_headline(configuration(language), _plain(html), tsquery(query), HEADLINE)


def snippet(row, query: Query) -> list[tuple[str, bool]]:
    """The snippet of a result row read with `headline`: passages, each marked or not."""
    pieces = []
    for i, part in enumerate(row.headline.strip().replace(STOP, START).split(START)):
        if part:
            pieces.append((entities.unescape(part), i % 2 == 1))
    return pieces
