"""Wagtail's own search (the admin, choosers and the read API /api/v2/): its database backend,
taking any query text.

Wagtail's SQLite backend puts each word of a query inside an FTS5 string ("word") without doubling
a double quote in it, so a query with a " is an SQL error, "unterminated string"
(wagtail/wagtail#13227, open). A NUL character ends the FTS5 string too, and PostgreSQL refuses
it in any text. A text of spaces alone fails on SQLite as well, and one of a thousand words
exceeds Python's recursion limit on both (each word nests the query expression one level deeper).
These errors reached readers of the read API as 503 "the database is down" (SQLite) or 500.

A search text is never wrong. Before Wagtail builds the query, the text is cleaned as the readers'
search cleans it (control characters, NUL among them, become spaces; at most 500 characters), a "
ends a word like a space, and only the first 12 words are kept. Everything else is Wagtail's.
"""

import functools
import re

from modelsearch.backends import database
from modelsearch.query import And, Not, Or, Phrase, PlainText

from search.analysis import MAX_QUERY_TERMS, clean_query

# Words end at spaces and hyphens (as Wagtail's PostgreSQL backend splits them) and at double
# quotes, which neither FTS5 nor PostgreSQL counts as part of a word.
WORD_BREAKS = re.compile(r"[\s\-\"]+")


def query_words(text):
    """The text cleaned as the readers' search cleans it, in at most MAX_QUERY_TERMS words."""
    words = [word for word in WORD_BREAKS.split(clean_query(text)) if word]
    return " ".join(words[:MAX_QUERY_TERMS])


def _cleaned(query):
    """``query`` (a string or Wagtail's query objects) with each text in it cleaned."""
    if isinstance(query, str):
        return query_words(query)
    if isinstance(query, PlainText):
        return PlainText(query_words(query.query_string), operator=query.operator, boost=query.boost)
    if isinstance(query, Phrase):
        return Phrase(query_words(query.query_string))
    if isinstance(query, And | Or):
        return type(query)([_cleaned(subquery) for subquery in query.subqueries])
    if isinstance(query, Not):
        return Not(_cleaned(query.subquery))
    return query


class AnyQueryText:
    """Mixin for a Wagtail search backend: the query's text is cleaned before it is compiled.

    A text left empty is no search: Wagtail answers "" with no results.
    """

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        return super()._search(query_compiler_class, _cleaned(query), model_or_queryset, **kwargs)


@functools.cache
def _taking_any_text(backend_class):
    # Wagtail picks the class by the database (its SQLite module cannot even be imported on
    # PostgreSQL), so the mixin is put on whichever class it picked.
    return type(backend_class.__name__, (AnyQueryText, backend_class), {})


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    """Wagtail's database backend for the connection's database, taking any query text."""
    return _taking_any_text(type(database.SearchBackend(params)))(params)
