"""SQLite's answers: FTS5 finds and ranks (BM25), facets are counted from the matches in Python."""

import collections
import heapq
import json
import operator

from django.db import connection

from search.backends.database.common import WEIGHTS, grouped_facet_counts
from search.params import OWN_COMMUNITY_BOOST, kind_weights, preferred_community
from search.queries import PREFIX_MIN

# Rows of the ranking query: (id, facet key, score).
_FACET_KEY = operator.itemgetter(1)
_RANK_THEN_ID = operator.itemgetter(2, 0)


def match_expression(parsed):
    """An FTS5 MATCH expression for a parsed query (``queries.parse``). Tokens are letters and
    digits only, and always quoted."""
    parts = []
    for concept in parsed.concepts:
        alts = []
        for alt in concept.alternatives:
            if len(alt.stems) == 1:
                alts.append(_token(alt.stems[0]))
            elif alt.all_of:
                alts.append("(" + " AND ".join(_token(token) for token in alt.stems) + ")")
            else:
                alts.append('"' + " ".join(alt.stems) + '"')
            if alt.prefix:
                alts.append(f'"{alt.prefix}"*')
        if concept is parsed.claimed_whole:
            # The words of the phrase the whole query was claimed by, each anywhere: BM25 scores a
            # page with the phrase for its words as well, so it comes first.
            alts.append("(" + " AND ".join(_token(token) for token in concept.loose.stems) + ")")
        parts.append("(" + " OR ".join(alts) + ")")
    if parsed.phrase_stems:
        parts.append('"' + " ".join(parsed.phrase_stems) + '"')
    return " OR ".join(parts)


def _token(token):
    return f'"{token}"*' if len(token) >= PREFIX_MIN else f'"{token}"'


def title_prefixes(alternatives):
    """An FTS5 MATCH expression for autocomplete: for each typed word, one of its alternatives
    (the word, its stem) as a prefix of a title word."""
    return (
        "{title} : ("
        + " AND ".join("(" + " OR ".join(f'"{a}"*' for a in sorted(alts)) + ")" for alts in alternatives)
        + ")"
    )


def answer(match, filters, scope, offset, limit):
    with connection.cursor() as cursor:
        if match is None:
            cursor.execute("SELECT facet_key, COUNT(*) FROM search_searchdocument GROUP BY facet_key")
            groups = dict(cursor.fetchall())
        else:
            # One pass over the matches gives the ranking and every facet count: FTS5 evaluates
            # the MATCH once, not once for the hits and again for each facet.
            weights = ", ".join(str(w) for w in WEIGHTS)
            # BM25 is better the lower it is: the scope's own community's pages are multiplied by
            # the boost, so that they come before shared pages that answer as well.
            # Other kinds than the guidance are multiplied by their weight (params.kind_weights).
            kinds = kind_weights()
            kind_factor = "".join(" WHEN %s THEN %s" for _ in kinds)
            kind_factor = f" * (CASE d.kind{kind_factor} ELSE 1.0 END)" if kinds else ""
            cursor.execute(
                f"SELECT d.id, d.facet_key, bm25(search_fts, {weights})"
                f" * (CASE WHEN d.community = %s THEN %s ELSE 1.0 END){kind_factor} FROM search_fts"
                " JOIN search_searchdocument d ON d.id = search_fts.rowid WHERE search_fts MATCH %s",
                [
                    preferred_community(scope),  # None: no page is the preferred one
                    OWN_COMMUNITY_BOOST,
                    *(value for pair in kinds.items() for value in pair),
                    match,
                ],
            )
            rows = cursor.fetchall()
            # map and itemgetter, not generator expressions: a common word matches most pages
            # (17,000 rows of 20,000), where this loop in Python was a fifth of the search.
            groups = collections.Counter(map(_FACET_KEY, rows))
        facets, allowed = grouped_facet_counts(groups, filters, scope)
        total = sum(n for key, n in groups.items() if key in allowed)
        ids = []
        if total and offset < total:
            if match is None:
                cursor.execute(
                    "SELECT d.id FROM search_searchdocument d WHERE d.facet_key IN (SELECT value FROM json_each(%s))"
                    " ORDER BY d.title, d.id LIMIT %s OFFSET %s",
                    [json.dumps(sorted(allowed)), limit, offset],
                )
                ids = [row[0] for row in cursor.fetchall()]
            else:
                passing = rows if allowed.issuperset(groups) else [row for row in rows if row[1] in allowed]
                best = heapq.nsmallest(offset + limit, passing, key=_RANK_THEN_ID)
                ids = [row[0] for row in best[offset:]]
    return {"ids": ids, "total": total, "facets": facets}
