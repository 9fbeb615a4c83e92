"""PostgreSQL's answers: its own full-text search, through Django's ORM (``django.contrib.postgres``).

The index is two ``tsvector`` fields of ``SearchDocument`` with GIN indexes, written from the
Python analysis chain's stems (``search.analysis``, ``search.compounds``): the same words SQLite's
FTS5 and Elasticsearch get. PostgreSQL parses them with the 'simple' configuration (``CONFIG``),
which adds no stemming and no stop words of its own; queries are built from the same stems.

- ``search_vector``: title (A), summary (B), taxonomy (C) and body (D); finds the matches, and
  ``ts_rank`` with the column weights (``common.WEIGHTS``) orders them;
- ``title_vector``: the title alone; when a query matches very many pages it picks the ones
  worth ranking (``EXACT_RANK_LIMIT``).

Facets are counted by grouping the matches on ``facet_key`` (one GROUP BY), and the disjunctive
counts worked out from the groups as on SQLite (``common.grouped_facet_counts``).
"""

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection, transaction
from django.db.models import BooleanField, Count, F, FloatField, Func, Value
from django.db.models.expressions import RawSQL

from search.backends.database.common import WEIGHTS, grouped_facet_counts
from search.backends.database.versions import remembered_many
from search.models import SearchDocument
from search.params import COUNTS_SECONDS, OWN_COMMUNITY_BOOST, kind_weights, preferred_community, rarity
from search.queries import PREFIX_MIN, ParsedQuery

CONFIG = "simple"

# Up to EXACT_RANK_LIMIT matches, every one is ranked with its full vector. Beyond, that would
# read each match's full vector out of line (half the collection for a common word; ranking all
# 20,000 generated pages took 25-223 ms a shape, docs/benchmarks.md): the matches with the query
# in their title are the candidates, the CANDIDATE_LIMIT of them whose titles answer it best
# (``_best_titles``, from the title's vector and GIN index), the RANK_CANDIDATES best of them
# come first, ranked in full, and the rest of the matches follow, most recently indexed first. A
# page with the words only in its summary or body may then miss the first pages of a very common
# query; the total and the facet counts stay exact. (Elasticsearch, for large portals, ranks
# every match.)
EXACT_RANK_LIMIT = 1000
RANK_CANDIDATES = 200
CANDIDATE_LIMIT = 500

# A score that reads a page's vector this many times or more reads it once (``_read_once``).
READ_ONCE_USES = 5

# ts_rank's weights, in PostgreSQL's order {D, C, B, A}, relative to the title's.
RANK_WEIGHTS = [w / WEIGHTS[0] for w in reversed(WEIGHTS)]

# Each part of a query of several (``ranking``) adds its rarity times score / (score + SATURATION),
# its ts_rank (title 1, body 0.1, normalised by the page's length) saturated as BM25 saturates a
# word's weighted count (k1). ts_rank is linear in the column weights: one word in a title was
# worth ten in a body, so a common word of the query in a page's title (*hjemme*, *barn*,
# *sykehus*) outweighed the rare word the query was about in another page's summary and body, the
# professional term a lay word reaches. Saturated, a word in a title (ts_rank about 0.1 on the
# demo's pages) counts about 0.67 of the part's weight and once in a body (about 0.01) about 0.17.
# Chosen on the tuning part (docs/benchmarks.md): from 0.05 to 0.07 no kind falls, 0.04 and 0.1 lose some.
SATURATION = 0.05
# A community the query names beside a subject (``Concept.place``: «legemiddelsamstemming Ahus»)
# weighs this share of its rarity. The name is in every one of the community's pages (their
# taxonomy, and many a summary and body), so saturated near its full weight it put every page of
# the community, on any subject, above the shared and other communities' pages with the subject
# once in their text. Chosen on development data (docs/benchmarks.md): tuning part's community
# names 0.942 -> 0.950, graded community queries (bench/community_judged.json) 0.942 -> 0.947,
# nothing else moved; 0.6 and 0.7 gain less, at 0.4 «BUP Vestre Viken» loses the named community's
# page (0.991 -> 0.719). Elasticsearch bounds its place lower (``elastic.PLACE_SHARE``): its
# bound is a multiple of the rarity, where this weight multiplies a saturated score.
PLACE_SHARE = 0.5


# ---------------------------------------------------------------------------------- writing


class WeightedVector(Func):
    """setweight(to_tsvector(CONFIG, text), weight) || … for texts weighted A, B, C, D in turn.

    What ``SearchVector(text, weight=…) + …`` gives, as one expression: a bulk insert compiles
    one per document, and four ``SearchVector``s (each a cast and a coalesce) took as long to
    compile as PostgreSQL took to insert the row.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression, weight in zip(self.get_source_expressions(), "ABCD", strict=False):
            sql, expression_params = compiler.compile(expression)
            parts.append(f"setweight(to_tsvector('{CONFIG}', {sql}), '{weight}')")
            params += expression_params
        return " || ".join(parts), params


def vectors(title, summary, taxonomy, body):
    """``SearchDocument``'s two vectors as expressions, from analysed texts (stems joined by spaces)."""
    return {
        "search_vector": WeightedVector(Value(title), Value(summary), Value(taxonomy), Value(body)),
        "title_vector": Func(
            Value(title),
            function="to_tsvector",
            template=f"to_tsvector('{CONFIG}', %(expressions)s)",
            output_field=SearchVectorField(),
        ),
    }


# ---------------------------------------------------------------------------------- query syntax


def expressions(parsed):
    """``answer``'s ``match`` and ``rank`` for a parsed query (``queries.parse``)."""
    return tsquery(parsed, phrase=False), ranking(parsed)


def ranking(parsed):
    """What ``_ranked`` orders by: for each concept of the query (and its words together, as a
    last one), ``(finding expression, words, number of words, ((test, its words, their number), …))``.

    Two things ``ts_rank`` does not do as FTS5's BM25 (SQLite) and Elasticsearch do:

    - it scores every word of its query that a page has, whatever the query's structure: a page
      with «rus» and «psykisk» far apart would score for the synonym «rus og psykisk lidelse» as
      if it had the phrase, and a page with «hjemme» anywhere for the parts of «sykehjemmet»
      (*syke* and *hjemmet*). So a concept's single words are ranked together, and each phrase (a
      synonym of several words, the query's words together) adds the score of its words only on
      a page that has the phrase, and a compound's parts theirs only on a page that has them all,
      as FTS5 counts the words of a phrase or of an AND only where it holds;
    - it weighs a word the same however common it is: «pasient» as much as «demens». So each
      concept's score is multiplied by its inverse document frequency (``params.rarity``), counted with the
      concept's finding expression.

    Each part is weighted by its number of words (a phrase counting as one, ``_weighted``), so that
    a concept's score is the sum over the words that count; ``_score`` saturates it
    (``SATURATION``) when the query has several parts.
    """
    parts = []
    subject = not all(concept.place for concept in parsed.concepts)
    for concept in parsed.concepts:
        terms, phrases, all_of = [], [], []
        for alt in concept.alternatives:
            if len(alt.stems) == 1:
                terms.append(_term(alt.stems[0]))
            elif alt.all_of:
                all_of.append(tuple(_term(stem) for stem in alt.stems))
            else:
                phrases.append(alt.stems)
            if alt.prefix:
                terms.append(f"{alt.prefix}:*")
        finding = tsquery(ParsedQuery(text="", concepts=[concept]), phrase=False)
        share = PLACE_SHARE if concept.place and subject else 1.0
        parts.append((finding, *_weighted(terms, phrases, all_of), share))
    if parsed.phrase_stems:
        finding = "(" + " & ".join(parsed.phrase_stems) + ")"
        parts.append((finding, *_weighted([], [parsed.phrase_stems]), 1.0))
    return tuple(parts)


def _weighted(terms, phrases, all_of=()):
    """(the single words, their number, ((test, words, weight), …)): a phrase (its words together)
    and a compound's parts (all of them, anywhere) each count only on a page that passes its test,
    as FTS5 scores the words of a phrase or of an AND only where the phrase or the AND holds.

    A phrase counts as one word (the mean of its words' ts_rank), as FTS5 scores a phrase as one
    term and Elasticsearch boosts it (``elastic.per_word``); counted as its number of words, a
    concept's three-word synonym outweighed its one-word expressions threefold (for «KAD»,
    «kommunal akutt døgnplass» in a title outweighed «KAD» in a title and a summary), and the
    query's own words together counted as two to five words. A compound's parts are each a word
    of FTS5's AND, and count as such."""
    terms = list(dict.fromkeys(terms))
    tested = [_tested(stems, "<->", 1) for stems in dict.fromkeys(phrases)]
    tested += [_tested(parts, "&", len(set(parts))) for parts in dict.fromkeys(all_of)]
    return " | ".join(terms), len(terms), tuple(tested)


def _tested(words, operator, weight):
    """(the test: ``words`` joined by the tsquery ``operator``, the words ranked where it holds,
    their weight)."""
    return "(" + f" {operator} ".join(words) + ")", "(" + " | ".join(dict.fromkeys(words)) + ")", weight


def _counts(findings):
    """{finding: the number of documents it matches} (None: all documents).

    Each count (on the GIN index) is remembered ``params.COUNTS_SECONDS``, whatever is published
    meanwhile, however many searches and pages of hits share it. The ones not remembered are
    counted in one statement, a subquery each, rather than one query each (a question of four
    concepts made five round trips to PostgreSQL)."""
    name = connection.settings_dict["NAME"]
    keys = {("postgres-count", name, finding): finding for finding in findings}

    def count(missing):
        table = connection.ops.quote_name(SearchDocument._meta.db_table)
        parts, params = [], []
        for key in missing:
            if keys[key] is None:
                parts.append(f"(SELECT COUNT(*) FROM {table})")
            else:
                parts.append(
                    f"(SELECT COUNT(*) FROM {table} WHERE search_vector @@ to_tsquery('{CONFIG}', %s))"
                )
                params.append(keys[key])
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            return dict(zip(missing, cursor.fetchone(), strict=True))

    counted = remembered_many(keys, count, COUNTS_SECONDS)
    return {finding: counted[key] for key, finding in keys.items()}


def _term(stem):
    return f"{stem}:*" if len(stem) >= PREFIX_MIN else stem


def tsquery(parsed, *, phrase=True):
    """A to_tsquery(CONFIG, …) expression of the query's stems (as ``sqlite.match_expression``).

    Stems are letters and digits only (see ``analysis.words``), so they cannot break the syntax.
    ``phrase=False`` gives the expression for *finding* pages, ``True`` the one for ranking them.
    Word positions cost: a query with any ``<->`` makes PostgreSQL re-read every matching page's
    vector to check them, which for a common word is half the collection. So the finding
    expression leaves out the query's own phrase (its words are concepts already) and asks for a
    synonym of several words with ``&``; ranking puts the phrases back, so pages that have the
    words together still come first.
    """
    parts = []
    for concept in parsed.concepts:
        alts = []
        for alt in concept.alternatives:
            if len(alt.stems) == 1:
                alts.append(_term(alt.stems[0]))
            elif alt.all_of:  # a compound's parts: each anywhere, never as a phrase
                alts.append("(" + " & ".join(_term(stem) for stem in alt.stems) + ")")
            else:
                alts.append("(" + (" <-> " if phrase else " & ").join(alt.stems) + ")")
            if alt.prefix:
                alts.append(f"{alt.prefix}:*")
        if alts:
            parts.append("(" + " | ".join(alts) + ")")
    if parsed.phrase_stems and phrase:
        parts.append("(" + " <-> ".join(parsed.phrase_stems) + ")")
    return " | ".join(parts)


def title_prefixes(alternatives):
    """A to_tsquery(CONFIG, …) expression for autocomplete (on ``title_vector``): for each typed
    word, one of its alternatives (the word, its stem) as a prefix of a title word."""
    return " & ".join("(" + " | ".join(f"{a}:*" for a in sorted(alts)) + ")" for alts in alternatives)


def query(expression):
    return SearchQuery(expression, config=CONFIG, search_type="raw")


# ---------------------------------------------------------------------------------- answers


def _prefer_the_index():
    # Raw SQL: planner settings are beyond the ORM. The planner does not know that evaluating @@
    # row by row means reading each full vector out of line: for common words it would scan the
    # table. The GIN index answers @@ exactly (no weights, no word positions in ``match``).
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")


def answer(match, rank, filters, scope, offset, limit):
    """{"ids": one page of document ids, "total", "facets"} (as ``sqlite.answer``); ``match`` None
    lists everything within filters and scope by title."""
    with transaction.atomic():
        _prefer_the_index()
        documents = SearchDocument.objects.order_by()
        if match is not None:
            documents = documents.filter(search_vector=query(match))
        groups = dict(documents.values_list("facet_key").annotate(n=Count("pk")))
        facets, allowed = grouped_facet_counts(groups, filters, scope)
        total = sum(n for key, n in groups.items() if key in allowed)
        ids = []
        if total and offset < total:
            passing = SearchDocument.objects.filter(facet_key__in=sorted(allowed))
            # Without filters and scope every match passes: the list of every facet key found (a
            # few hundred) would only lengthen the query PostgreSQL parses, plans and tests.
            found = documents if allowed.issuperset(groups) else passing & documents
            if match is None:
                ids = _ids(found.order_by("title", "pk"), offset, limit)
            elif total <= EXACT_RANK_LIMIT:
                ids = _ids(_ranked(found, rank, scope), offset, limit)
            else:
                every = allowed.issuperset(groups)  # then every title match passes
                ids = _many_matches(
                    found,
                    SearchDocument.objects.all() if every else passing,
                    match,
                    rank,
                    scope,
                    offset,
                    limit,
                )
    return {"ids": ids, "total": total, "facets": facets}


def _ids(documents, offset, limit):
    return list(documents.values_list("pk", flat=True)[offset : offset + limit])


def _ranked(documents, rank, scope):
    """``documents`` best first: ts_rank with the column weights, phrases counted only where they
    stand (``ranking``); the scope's own community's
    pages multiplied by the boost (``params.OWN_COMMUNITY_BOOST``), so that they come before
    shared pages that answer as well; other kinds than the guidance by ``params.kind_weights``."""
    sql, params = _score(rank, scope)
    return documents.annotate(score=RawSQL(sql, params, output_field=FloatField())).order_by("-score", "pk")


def _score(rank, scope, column=None):
    """The SQL and parameters of ``_ranked``'s score, of the page's full vector or of ``column``
    (``_TITLE_COLUMN``: the same score as if the page were its title alone).

    Written out here rather than built of Django expressions (SearchRank, Case, When, Value), to
    the same SQL they compiled to: Django copies and resolves each node of such a tree, which for
    the question «hvem har ansvar for legemiddelsamstemming ved utskrivning?» (five ts_rank, two
    phrase tests, the kinds' weights) was 2.2 ms of Python per search (0.2 ms now), where
    PostgreSQL ranked its 881 matches on 1,000 generated pages in 5.5 ms.
    """
    if isinstance(rank, str):
        # A tsquery expression of its own (``reading.search``'s callers may give one), as it is.
        sql, params = _rank_sql(column or _COLUMN, rank)
        rank = ()
    else:
        sql, params = "%s", [0.0]
    # How often the score reads the page's vector: a ts_rank per part, a test and a ts_rank per
    # phrase. Read that often, it is read once (``_read_once``).
    uses = sum(bool(words) + 2 * len(phrases) for _, words, _, phrases, _ in rank)
    vector = column or ("(ranked.vector)" if uses >= READ_ONCE_USES else _COLUMN)
    # One part (a query of one concept) is not saturated: saturation weighs parts against each
    # other, and alone it would only squeeze the scores together, so that the kind weight (0.5)
    # decided among the pages with the word in their title (tried on the tuning part: word forms
    # 0.842 -> 0.810, typos 0.978 -> 0.973).
    for (_, words, count, phrases, _), idf in zip(rank, _part_weights(rank), strict=True):
        part, part_params = "%s", [0.0]
        if words:
            ranked, ranked_params = _rank_sql(vector, words)
            part, part_params = f"({part} + ({ranked} * %s))", [*part_params, *ranked_params, count]
        for phrase, phrase_words, length in phrases:
            ranked, ranked_params = _rank_sql(vector, phrase_words)
            part = (
                f"({part} + CASE WHEN {vector} @@ (to_tsquery(%s::regconfig, %s))"
                f" THEN ({ranked} * %s) ELSE %s END)"
            )
            part_params = [*part_params, CONFIG, phrase, *ranked_params, length, 0.0]
        if len(rank) > 1:
            # 1 - K / (score + K) is score / (score + K), with the part's SQL written once.
            sql = f"({sql} + %s * (1.0 - %s / ({part} + %s)))"
            params = [*params, idf, SATURATION, *part_params, SATURATION]
        else:
            sql, params = f"({sql} + ({part} * %s))", [*params, *part_params, idf]
    preferred = preferred_community(scope)
    if preferred:
        sql = f'({sql} * CASE WHEN ({_TABLE}."community" = %s) THEN %s ELSE %s END)'
        params = [*params, preferred, OWN_COMMUNITY_BOOST, 1.0]
    weights = kind_weights()
    if weights:
        cases = " ".join(f'WHEN ({_TABLE}."kind" = %s) THEN %s' for _ in weights)
        sql = f"({sql} * CASE {cases} ELSE %s END)"
        params = [*params, *(value for pair in weights.items() for value in pair), 1.0]
    if vector == "(ranked.vector)":
        sql, params = _read_once(sql, params)
    return sql, params


def _part_weights(rank):
    """Each part's weight in the score (``ranking``): its share of its rarity. One part (a query of
    one concept) weighs 1 times its share: its weight multiplies every score alike and cannot
    change the order, so the counts that give it are not made (most searches are of one word)."""
    counts = _counts([None, *(part[0] for part in rank)]) if len(rank) > 1 else {None: 0}
    documents_in_all = counts[None]
    return [
        share * (rarity(counts[finding], documents_in_all) if documents_in_all else 1.0)
        for finding, *_, share in rank
    ]


# ``_ranked`` orders querysets of ``SearchDocument`` itself, whose columns go by its table's name.
_TABLE = f'"{SearchDocument._meta.db_table}"'
# The page's vector, and its title's (in the row; no weights, its words count as D).
_COLUMN = f'{_TABLE}."search_vector"'
_TITLE_COLUMN = f'{_TABLE}."title_vector"'


def _rank_sql(vector, words):
    """ts_rank of ``words`` (a tsquery expression) with the column weights, as SearchRank wrote it."""
    sql = f"ts_rank((%s)::float4[], {vector}, to_tsquery(%s::regconfig, %s), %s)"
    return sql, [RANK_WEIGHTS, CONFIG, words, 1]


def _read_once(sql, params):
    """``sql`` (written with ``(ranked.vector)``) of each page, its vector read once.

    A vector of a page of some length is stored out of line (TOAST) and compressed, and PostgreSQL
    reads and unpacks it again for every function it is given to: the question «hvem har ansvar
    for legemiddelsamstemming ved utskrivning?» read each match's vector seven times (five
    ts_rank, two phrase tests). A subquery per row reads it once (``|| ''`` makes the unpacked
    copy, the same vector; OFFSET 0 keeps the planner from folding the subquery back into its
    uses). The copy and the subquery cost too: on 1,000 generated pages the question's ranking
    query took 5.5 ms instead of 7.4, but one word's 4.2 instead of 2.3 (best of 15), and three
    or four reads came out about even; hence ``READ_ONCE_USES``.
    """
    return f"(SELECT {sql} FROM (SELECT {_COLUMN} || ''::tsvector AS vector OFFSET 0) AS ranked)", params


def _newest_first(documents):
    """``documents``' ids, the most recently indexed first. Ordered by an expression, not by the
    primary key: given ``ORDER BY id DESC LIMIT n``, the planner walks the primary key backwards
    and tests every row's full vector, read out of line, instead of taking the matches from the
    GIN index and sorting them."""
    return documents.annotate(newest=F("pk") + 0).order_by("-newest").values_list("pk", flat=True)


def _many_matches(found, passing, match, rank, scope, offset, limit):
    """One page of more than ``EXACT_RANK_LIMIT`` matches: the best of the candidates ranked in
    full, then the rest, most recently indexed first. The order is the same for every page, so
    paging through shows each match exactly once."""
    candidates = _best_titles(passing, match, rank, scope)
    top = _ids(_ranked(_among(candidates), rank, scope), 0, RANK_CANDIDATES)
    ids = top[offset : offset + limit]
    if offset + limit > len(top):
        start = max(offset, len(top))
        ids += _ids(_newest_first(found.exclude(pk__in=top)), start - len(top), offset + limit - start)
    return ids


def _among(ids):
    """The documents whose ids are in ``ids``, given to PostgreSQL as one array (``= ANY``).

    Raw SQL: the ORM's ``pk__in`` writes a placeholder per id, and for the 500 candidates of a
    query of many matches Django resolved each and psycopg parsed the statement for every one of
    them: 10.4 ms for the long query's ranking of its candidates on 20,000 pages, 8.6 as an array,
    the same ids in the same order."""
    return SearchDocument.objects.filter(
        RawSQL(f'{_TABLE}."id" = ANY(%s)', [list(ids)], output_field=BooleanField())
    )


def _best_titles(passing, match, rank, scope):
    """The ids of the CANDIDATE_LIMIT matches with the query in their title whose titles answer it
    best: of a query of several concepts, those whose titles have the rarest concepts
    (``_rarest_in_title``); of one, the titles that score best for it (the query's own score on the
    title's vector, which is in the row). Equal ones, the most recently indexed first.

    Chosen among the most recently indexed until 5 December 2026: on 20,000 generated pages the
    first ten of the 303 development queries with more than 1,000 matches then shared 4.8 pages
    with the first ten of every match ranked in full, now 8.3 (``bench/many_matches.py``).
    """
    if isinstance(rank, str) or len(rank) < 2:
        # The matches with the query in their title: the title's words are in the full vector
        # too, so they are matches, and testing that would read the full vectors.
        in_title = passing.filter(title_vector=query(match))
        sql, params = _score(rank, scope, column=_TITLE_COLUMN)
        scored = in_title.annotate(title_score=RawSQL(sql, params, output_field=FloatField()))
        # A list, not a subquery: the score's SQL names the table, which inside a subquery would
        # be the outer query's.
        return list(scored.order_by("-title_score", "-pk").values_list("pk", flat=True)[:CANDIDATE_LIMIT])
    return _rarest_in_title(passing, rank)


def _rarest_in_title(passing, rank):
    """The CANDIDATE_LIMIT title matches with the largest sum of the rarities of the concepts in
    their title. One GIN lookup per concept on the title's index, the ids added up by PostgreSQL:
    scoring each title for each concept cost the long query 15 ms on 20,000 pages, this 6, for
    the same candidates (``bench/many_matches.py``)."""
    branches, params = [], []
    for (finding, *_), weight in zip(rank, _part_weights(rank), strict=True):
        # A concept in the title is a match (its words are in the full vector too).
        has_it = passing.filter(title_vector=query(finding)).annotate(weight=Value(weight, FloatField()))
        sql, branch_params = has_it.values_list("pk", "weight").query.sql_with_params()
        branches.append(sql)
        params += branch_params
    with connection.cursor() as cursor:
        # Raw SQL: planner settings are beyond the ORM. Parallel workers for a few thousand ids
        # cost more to start than they save (15 ms against 10 on 20,000 pages).
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute(
            "SELECT found.id FROM (" + " UNION ALL ".join(branches) + ") AS found (id, weight)"
            " GROUP BY found.id ORDER BY SUM(found.weight) DESC, found.id DESC LIMIT %s",
            [*params, CANDIDATE_LIMIT],
        )
        return [row[0] for row in cursor.fetchall()]
