"""PostgreSQL's answers: from the per-word bitmaps (``postings``) where they answer exactly, from
PostgreSQL's own full-text matching (GIN index, ``ts_rank``) otherwise."""

from django.db import connection, transaction

from search.analysis import STOP_WORDS, words
from search.backends.database import postings
from search.backends.database.common import FACET_FIELDS, WEIGHTS
from search.params import OWN_COMMUNITY_BOOST, preferred_community
from search.queries import PREFIX_MIN

# Up to EXACT_RANK_LIMIT matches, every one is ranked with the full vector. Beyond, doing so would
# read each match's full vector out of line (half the collection for a common word): candidates
# are chosen (by the bitmaps' tiers, see CANDIDATE_LIMIT; on the SQL path by the small head
# vector: title, summary, taxonomy, where a word weighs 3 to 10 times more than in the body), and
# the RANK_CANDIDATES best of them are ranked in full. A page with the words only in its body may
# then miss the first pages of a very common query; the total and the facet counts stay exact.
EXACT_RANK_LIMIT = 1000
RANK_CANDIDATES = 200


# ---------------------------------------------------------------------------------- query syntax


def expressions(parsed):
    """``answer``'s ``match``, ``rank`` and ``concepts`` for a parsed query (``queries.parse``)."""
    return tsquery(parsed, phrase=False), tsquery(parsed), tsquery_concepts(parsed)


def tsquery(parsed, *, phrase=True):
    """A to_tsquery('norwegian', …) expression: PostgreSQL stems the folded words itself.

    Words are letters and digits only (see ``analysis.words``), so they cannot break the syntax.
    ``phrase=False`` gives the expression for *finding* pages, ``True`` the one for ranking them.
    Word positions cost: a query with any ``<->`` makes PostgreSQL re-read every matching page's
    vector to check them, which for a common word is half the collection. So the finding
    expression leaves out the query's own phrase (its words are concepts already) and asks for a
    synonym of several words with ``&``; ranking puts the phrases back, so pages that have the
    words together still come first.
    """
    parts = [f"({part})" for part in tsquery_concepts(parsed, phrase=phrase)]
    if parsed.phrase_words and phrase:
        parts.append("(" + " <-> ".join(parsed.phrase_words) + ")")
    return " | ".join(parts)


def tsquery_concepts(parsed, *, phrase=False):
    """One to_tsquery expression per concept (its alternatives OR-ed); ``tsquery`` joins them."""
    parts = []
    for concept in parsed.concepts:
        alts = []
        for alt in concept.alternatives:
            folded = [w for w in words(alt.text) if w not in STOP_WORDS] or words(alt.text)
            if not folded:
                continue
            if len(folded) == 1:
                word = folded[0]
                alts.append(f"{word}:*" if len(alt.stems[0]) >= PREFIX_MIN else word)
            elif alt.all_of:  # a compound's parts: each anywhere, never as a phrase
                alts.append("(" + " & ".join(f"{w}:*" if len(w) >= PREFIX_MIN else w for w in folded) + ")")
            else:
                alts.append("(" + (" <-> " if phrase else " & ").join(folded) + ")")
        if alts:
            parts.append(" | ".join(alts))
    return parts


def title_prefixes(alternatives):
    """A to_tsquery('simple', …) expression for autocomplete: for each typed word, one of its
    alternatives (the word, its stem) as a prefix of a title word (weight A)."""
    return " & ".join("(" + " | ".join(f"{a}:*A" for a in sorted(alts)) + ")" for alts in alternatives)


# ---------------------------------------------------------------------------------- answers


def _pg_conditions(filters, scope):
    clauses, params = [], []
    if scope:
        clauses.append("d.community = ANY(%s)")
        params.append(list(scope))
    for name, values in filters.items():
        if values:
            clauses.append("d.facet_values && %s::text[]")
            params.append([f"{name}:{value}" for value in values])
    return clauses, params


def answer(match, rank, filters, scope, offset, limit, concepts=None):
    with transaction.atomic(), connection.cursor() as cursor:
        # The planner does not know that evaluating @@ row by row means reading each full vector
        # out of line: for common words it would scan the table. The GIN index answers @@ exactly.
        cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            found = _search_postings(cursor, match, rank, filters, scope, offset, limit, concepts)
        except postings.Unsupported:
            found = None
        if found is not None:
            return found
        match_clause, match_params = [], []
        if match is not None:
            match_clause, match_params = ["d.search_vector @@ to_tsquery('norwegian', %s)"], [match]
        facets = _facet_counts_postgres(cursor, match_clause, match_params, filters, scope)
        total = _total(facets, filters)
        ids = []
        if total and offset < total:
            clauses, params = _pg_conditions(filters, scope)
            where = " AND ".join(match_clause + clauses) or "TRUE"
            ids = _ranked_ids(
                cursor, where, match_params + params, match and rank, total, offset, limit, scope
            )
    return {"ids": ids, "total": total, "facets": facets}


# Ranking a query that matches more than EXACT_RANK_LIMIT pages looks at no more than
# CANDIDATE_LIMIT of them: the pages with the most of the query's concepts in the title, then in
# title, summary and taxonomy, then anywhere (the most recently indexed first within a tier that
# does not fit).
CANDIDATE_LIMIT = 2000


def _search_postings(cursor, match, rank, filters, scope, offset, limit, concepts):
    """The answer from the postings (``postings.py``), or None where they cannot give it exactly."""
    origin = postings.origin(cursor)
    facet_bits = postings.facet_bitmaps(cursor, origin)

    def ids_of(bits):
        return [position + origin for position in postings.ids_of(bits)]

    if match is None:
        tiers = None
        # Every document has exactly one type: together, the types are every document.
        matched = postings.union(bits for term, bits in facet_bits.items() if term.startswith("type:"))
    else:
        cursor.execute(
            "SELECT to_tsquery('norwegian', c)::text FROM unnest(%s::text[]) WITH ORDINALITY u(c, n) ORDER BY n",
            [list(concepts or [match])],
        )
        trees = [postings.parse_tsquery(row[0]) for row in cursor.fetchall()]
        words = postings.word_bitmaps(cursor, trees, origin)
        tiers = {
            tier: [postings.evaluate(tree, words[tier]) for tree in trees] for tier in postings.WORD_TIERS
        }
        matched = postings.union(tiers[postings.ANYWHERE])
    if scope:
        matched &= postings.union(facet_bits.get(f"community:{community}", 0) for community in scope)
    chosen = {
        name: postings.union(facet_bits.get(f"{name}:{value}", 0) for value in values)
        for name, values in filters.items()
        if values
    }
    facets = _bitmap_facet_counts(matched, chosen, facet_bits)
    found = matched
    for bits in chosen.values():
        found &= bits
    total = found.bit_count()
    if not total or offset >= total:
        return {"ids": [], "total": total, "facets": facets}
    if tiers is None:  # everything within the filters, by title
        clauses, params = _pg_conditions(filters, scope)
        ids = _ranked_ids(cursor, " AND ".join(clauses) or "TRUE", params, None, total, offset, limit)
    elif total <= EXACT_RANK_LIMIT:
        ids = _ranked_ids(cursor, "d.id = ANY(%s)", [ids_of(found)], rank, total, offset, limit, scope)
    else:
        # The best RANK_CANDIDATES of the candidates come first, ranked in full; the rest of the
        # matches follow in tier order. The order is the same for every page, so paging through
        # shows each match exactly once.
        ordered_tiers = [tiers[t] for t in (postings.TITLE, postings.HEAD, postings.ANYWHERE)]
        candidates = ids_of(_candidates(found, ordered_tiers))
        top = _ranked_ids(
            cursor, "d.id = ANY(%s)", [candidates], rank, len(candidates), 0, RANK_CANDIDATES, scope
        )
        ids = top[offset : offset + limit]
        if offset + limit > len(top):
            # Further down, the rest in tier order (most recently indexed first within a level):
            # no ranking, but pages deep in a very common query cost as little as the first.
            rest = found & ~postings.bitmap(position - origin for position in top)
            start = max(offset, len(top))
            ids += [
                position + origin
                for position in _in_tier_order(rest, ordered_tiers, start - len(top), offset + limit - start)
            ]
    return {"ids": ids, "total": total, "facets": facets}


def _bitmap_facet_counts(matched, chosen, facet_bits):
    """Each facet value's count among ``matched``, with every *other* facet's ``chosen`` filter."""
    facets = {name: {} for name in FACET_FIELDS}
    for name in FACET_FIELDS:
        others = matched
        for other, bits in chosen.items():
            if other != name:
                others &= bits
        prefix = name + ":"
        for term, bits in facet_bits.items():
            if term.startswith(prefix):
                count = (others & bits).bit_count()
                if count:
                    facets[name][term[len(prefix) :]] = count
    return facets


def _tier_levels(found, tiers):
    """``found`` in disjoint levels, in the order ranking candidates are chosen: tier by tier
    (title, head, anywhere), the documents with the most of the query's concepts in it first.
    Yields (tier number, level); empty levels are left out."""
    seen = 0
    for number, concept_bits in enumerate(tiers):
        for level in reversed(_at_least(found & bits for bits in concept_bits)):
            level &= ~seen
            if level:
                seen |= level
                yield number, level


def _candidates(found, tiers):
    """Up to CANDIDATE_LIMIT of ``found`` worth ranking, in tiers (see CANDIDATE_LIMIT), as a bitmap.

    Tiers are taken whole until there are RANK_CANDIDATES; a level that does not fit is cut.
    """
    chosen, count, last_tier = 0, 0, None
    for number, level in _tier_levels(found, tiers):
        if count >= RANK_CANDIDATES and number != last_tier:
            break
        n = level.bit_count()
        if count + n > CANDIDATE_LIMIT:
            return chosen | postings.bitmap(postings.ids_of(level, CANDIDATE_LIMIT - count))
        chosen |= level
        count += n
        last_tier = number
    return chosen


def _in_tier_order(found, tiers, skip, take):
    """Positions ``skip`` to ``skip + take`` of ``found`` in the order candidates are chosen."""
    out = []
    for _, level in _tier_levels(found, tiers):
        if not take:
            break
        n = level.bit_count()
        if skip >= n:
            skip -= n
            continue
        out += postings.ids_of(level, skip + take)[skip:]
        take -= min(take, n - skip)
        skip = 0
    return out


def _at_least(sets):
    """[documents in at least 1 of ``sets``, in at least 2, …]."""
    sets = list(sets)
    levels = [-1] + [0] * len(sets)  # -1: every bit set
    for bits in sets:
        for k in range(len(sets), 0, -1):
            levels[k] |= levels[k - 1] & bits
    return levels[1:]


RANK_WEIGHTS = "{" + ", ".join(str(w / WEIGHTS[0]) for w in reversed(WEIGHTS)) + "}"
# The scope's own community's pages are multiplied by the boost (``params.OWN_COMMUNITY_BOOST``),
# so that they come before shared pages that answer as well. ``{0}`` is the table, ``{1}`` the vector.
RANK_BY = (
    "ts_rank(%s, {0}.{1}, to_tsquery('norwegian', %s), 1)"
    " * (CASE WHEN {0}.community = %s THEN %s ELSE 1 END) DESC"
)


def _rank_params(rank, scope):
    return [RANK_WEIGHTS, rank, preferred_community(scope) or "", OWN_COMMUNITY_BOOST]


def _fetch_ids(cursor, sql, params):
    cursor.execute(sql, params)
    return [row[0] for row in cursor.fetchall()]


def _ranked_ids(cursor, where, params, rank, total, offset, limit, scope=()):
    source = f"FROM search_searchdocument d WHERE {where}"
    if rank is None:
        return _fetch_ids(
            cursor,
            f"SELECT d.id {source} ORDER BY d.title, d.id LIMIT %s OFFSET %s",
            params + [limit, offset],
        )
    if total <= EXACT_RANK_LIMIT:
        return _fetch_ids(
            cursor,
            f"SELECT d.id {source} ORDER BY {RANK_BY.format('d', 'search_vector')}, d.id LIMIT %s OFFSET %s",
            params + _rank_params(rank, scope) + [limit, offset],
        )
    # The order: the candidates ranked in full, then the rest by head rank. It is the same for
    # every page, so paging through shows each match exactly once.
    ids = []
    if offset < RANK_CANDIDATES:
        ids = _fetch_ids(
            cursor,
            f"SELECT c.id FROM (SELECT d.id, d.community, d.search_vector {source}"
            f" ORDER BY {RANK_BY.format('d', 'head_vector')}, d.id LIMIT %s) c"
            f" ORDER BY {RANK_BY.format('c', 'search_vector')}, c.id LIMIT %s OFFSET %s",
            params
            + _rank_params(rank, scope)
            + [RANK_CANDIDATES]
            + _rank_params(rank, scope)
            + [limit, offset],
        )
    if offset + limit > RANK_CANDIDATES:
        start = max(offset, RANK_CANDIDATES)
        ids += _head_ordered_ids(cursor, where, params, rank, start, offset + limit - start, scope)
    return ids


def _head_ordered_ids(cursor, where, params, rank, offset, limit, scope=()):
    return _fetch_ids(
        cursor,
        f"SELECT d.id FROM search_searchdocument d WHERE {where}"
        f" ORDER BY {RANK_BY.format('d', 'head_vector')}, d.id LIMIT %s OFFSET %s",
        params + _rank_params(rank, scope) + [limit, offset],
    )


def _facet_counts_postgres(cursor, match_clause, match_params, filters, scope):
    """Every facet's counts in one pass over the matches: each "name:value" of a matching
    document counts if the document passes the other facets' filters (not its own)."""
    clauses, params = _pg_conditions({}, scope)
    for name, values in filters.items():
        if values:
            clauses.append("(starts_with(f, %s) OR d.facet_values && %s::text[])")
            params += [f"{name}:", [f"{name}:{value}" for value in values]]
    where = " AND ".join(match_clause + clauses) or "TRUE"
    cursor.execute(
        f"SELECT f, COUNT(*) FROM search_searchdocument d, unnest(d.facet_values) f WHERE {where} GROUP BY f",
        match_params + params,
    )
    counts = {name: {} for name in FACET_FIELDS}
    for facet, count in cursor.fetchall():
        name, _, value = facet.partition(":")
        if name in counts:
            counts[name][value] = count
    return counts


def _total(facets, filters):
    # Every document has exactly one type, and the type counts ignore only the type filter: the
    # total is the sum over the chosen types (or all types), without another full-text query.
    chosen_types = filters.get("type")
    return sum(n for value, n in facets["type"].items() if not chosen_types or value in chosen_types)
