"""SQLite's answers: FTS5 finds and ranks (BM25), facets are counted from the matches in Python."""

import collections
import hashlib
import heapq
import json
import operator

from django.core.cache import cache
from django.db import connection

from search.backends.database.common import WEIGHTS, grouped_facet_counts
from search.backends.database.versions import CACHE_SECONDS, index_version
from search.params import COUNTS_SECONDS, OWN_COMMUNITY_BOOST, kind_weights, preferred_community
from search.queries import PREFIX_MIN

# Rows of the ranking query: (id, facet key, score).
_FACET_KEY = operator.itemgetter(1)
_RANK_THEN_ID = operator.itemgetter(2, 0)


def match_expression(parsed, absent=frozenset()):
    """An FTS5 MATCH expression for a parsed query (``queries.parse``). Tokens are letters and
    digits only, and always quoted.

    An alternative with a term in ``absent`` (``absent_terms``: on no page) is left out: it would
    find nothing, and BM25 gives a phrase no page has nothing, but works it out for every match
    all the same.
    """
    parts = []
    for alternatives in _parts(parsed):
        kept = [text for text, terms in alternatives if absent.isdisjoint(terms)]
        if kept:
            parts.append("(" + " OR ".join(kept) + ")")
    return " OR ".join(parts)


def _parts(parsed):
    """The parts of the query's MATCH expression, any of which finds a page: one per concept, and
    the query's words as a phrase. Each is a list of alternatives, (FTS5 text, the terms it needs:
    {(token, whether a prefix)})."""
    parts = []
    for concept in parsed.concepts:
        alternatives = []
        for alt in concept.alternatives:
            if len(alt.stems) == 1:
                alternatives.append(_all_of(alt.stems[:1]))
            elif alt.all_of:
                alternatives.append(_all_of(alt.stems))
            else:
                alternatives.append(_phrase(alt.stems))
            if alt.prefix:
                alternatives.append((f'"{alt.prefix}"*', {(alt.prefix, True)}))
        if concept is parsed.claimed_whole:
            # The words of the phrase the whole query was claimed by, each anywhere: BM25 scores a
            # page with the phrase for its words as well, so it comes first.
            alternatives.append(_all_of(concept.loose.stems))
        parts.append(alternatives)
    if parsed.phrase_stems:
        parts.append([_phrase(parsed.phrase_stems)])
    return parts


def _all_of(tokens):
    """Each of ``tokens`` anywhere (one token: the token), as (FTS5 text, its terms)."""
    texts = [f'"{token}"*' if len(token) >= PREFIX_MIN else f'"{token}"' for token in tokens]
    text = texts[0] if len(texts) == 1 else "(" + " AND ".join(texts) + ")"
    return text, {(token, len(token) >= PREFIX_MIN) for token in tokens}


def _phrase(tokens):
    """``tokens`` together, each as it is, as (FTS5 text, its terms)."""
    return '"' + " ".join(tokens) + '"', {(token, False) for token in tokens}


def _terms(parsed):
    """Every term ``match_expression`` may write for ``parsed``: {(token, whether a prefix)}."""
    return {term for alternatives in _parts(parsed) for _, terms in alternatives for term in terms}


def absent_terms(parsed):
    """The terms of the query (``_terms``) that no page has: the ones ``match_expression`` leaves out.

    Synonyms give a query terms that few or no pages use (the lay words, the brand names): the long
    query «eldre pasient skrives ut, legemidler, multidose, hjemmesykepleien og fastlegen følger
    opp» had 37 terms, 21 of them on no page of 20,000 generated ones; its MATCH with BM25 took
    47 ms with them, 42 without (docs/benchmarks.md). FTS5's own vocabulary
    (the ``fts5vocab`` table ``search_fts_vocab``, migration 0021) says which terms it has. A term
    found is remembered ``params.COUNTS_SECONDS`` (kept in the expression when its pages are
    gone, it only costs time); one not found, only until the index changes, so that a page
    published with it is found at once.
    """
    terms = sorted(_terms(parsed))
    if not terms:
        return frozenset()
    version = index_version()
    names = {term: _vocabulary_key(term) for term in terms}
    kept = cache.get_many(list(names.values()))
    state = {term: kept.get(names[term]) for term in terms}
    unknown = [term for term, seen in state.items() if seen not in (_FOUND, version)]
    absent = {term for term, seen in state.items() if seen == version}
    if unknown:
        found = _found(unknown)
        cache.set_many({names[term]: _FOUND for term in found}, COUNTS_SECONDS)
        cache.set_many({names[term]: version for term in unknown if term not in found}, CACHE_SECONDS)
        absent.update(term for term in unknown if term not in found)
    return frozenset(absent)


# What the cache keeps for a term FTS5 has; for one it has not, the index version it was asked in.
_FOUND = "found"


def _vocabulary_key(term):
    # Hashed: a cache key of letters such as «æ» or of any length is not one every cache takes.
    return "fts-term:" + hashlib.sha256(repr((connection.settings_dict["NAME"], term)).encode()).hexdigest()


# Terms asked per statement (``_found``): SQLite refuses a compound SELECT of more than 500 parts,
# and the synonym list, which the central team edits, sets how many terms a query has.
FOUND_BATCH = 200


def _found(terms):
    """The terms (``_terms``) some page has: a word equal to the token, or beginning with it for a
    prefix. A statement per FOUND_BATCH terms, a subquery of at most one row each; FTS5's
    vocabulary table answers a range of words without reading the rest."""
    terms = list(terms)
    found = set()
    with connection.cursor() as cursor:
        for start in range(0, len(terms), FOUND_BATCH):
            parts, params = [], []
            for token, prefix in terms[start : start + FOUND_BATCH]:
                parts.append(
                    "SELECT * FROM (SELECT %s, %s FROM search_fts_vocab WHERE term >= %s AND term "
                    + ("< %s" if prefix else "<= %s")
                    + " LIMIT 1)"
                )
                params += [token, prefix, token, token + "\U0010ffff" if prefix else token]
            cursor.execute(" UNION ALL ".join(parts), params)
            found.update((token, bool(prefix)) for token, prefix in cursor.fetchall())
    return found


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
