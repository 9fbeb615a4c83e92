"""The Elasticsearch backend's requests: how a parsed query is asked of the node (fields, weights,
phrases, prefixes, neighbours of misspelt words, each concept saturated), and autocomplete and
spelling requests."""

from elasticsearch.dsl import A, Q, Search

from search import analysis, params, queries
from search.backends.elastic.words import concept_key, weighed_alternatives
from search.documents import alias
from search.results import HIT_FIELDS

# Each text field with the parts of its compounds (search.documents), at the same weight.
FIELDS = [
    "title^10",
    "summary^4",
    "taxonomy^3",
    "body",
    "title_parts^10",
    "summary_parts^4",
    "taxonomy_parts^3",
    "body_parts",
]
# The fields a reader reads, without the parts of their compounds.
READ_FIELDS = FIELDS[:4]
# A misspelt word is looked for near its spelling in the fields that are read, not in their parts.
FUZZY_FIELDS = READ_FIELDS
# Each field with its weight, for the queries that take no ``fields`` list (``prefix``).
FIELD_WEIGHTS = [(field, float(weight or 1)) for field, _, weight in (f.partition("^") for f in FIELDS)]
# A prefix (``any_field_prefix``) found in a field scores that field's weight, however many words it
# begins there and however common they are. Scored as the words it finds (their rarity blended,
# ``top_terms_blended_freqs_20``), a short part such as «hjemm» of «sykehjemmet» scored every
# «hjemmesykepleien», «hjemmet» and «hjemmeboende» of a page as a word of the query, and for
# «sykehuset kommer ut til sykehjemmet» (bench/lay_queries.csv) the page about palliative care at
# home came before the hospital's team on nursing homes (SQLite: the team first). FTS5 counts a
# prefix as one term, the words it begins added up and saturated once, with the rarity of them
# all; Elasticsearch has no query that scores so. Of the two it has, this one put the page meant
# higher in four development queries and lower in one («psykisk helse skolebarn», second instead
# of first; bench/kind_queries*.csv, bench/lay_queries.csv), and it leaves the tuning part as it
# was, where the blended one raised it by one query ('demensutredning Ahus-området': 0.933 ->
# 0.936).
PREFIX_REWRITE = "constant_score"
FACET_FIELDS = {
    "type": "kind",
    "community": "community",
    "target_group": "target_groups",
    "topic": "topics",
}
# The facets without a selection of their own, counted under one filter of every selection.
NARROWED = "narrowed"
# The texts a hit's snippet is made of, by the portal (``search.snippets``), as on the database.
SNIPPET_FIELDS = ("summary", "snippet_body")
# A query compound's parts found apart score this share of what they would as words of the query.
PARTS_BOOST = 0.5
# A query word scores in every field it is found in, with one rarity (idf) for all of them
# (``cross_fields`` with a tie breaker of 1: the sum of the fields' scores), as FTS5's BM25 does
# with its weighted columns. ``best_fields`` took the best field alone, each with its own rarity:
# a word common in bodies but rare in titles scored as a rare word wherever a title had it, and a
# page that answered a question in its summary and body lost to one with a single word in its
# title. Tuning part of the relevance collection (bench/relevance_tuning.py): 0.902 → 0.921, and
# no kind fell (long queries 0.840 → 0.898, questions 0.877 → 0.910, word forms 0.799 → 0.877).
EVERY_FIELD = 1.0


# The bonus for the query's words together (``parsed.phrase_words``) is worth this many of its
# words (``per_word``). It was twice the phrase's words added up, so it grew with the query: a
# query of five words got ten words' worth for having them together, one of two words four, and
# the page with the words together beat the page that answered. Tuning part of the relevance
# collection: 0.928 → 0.930, and no kind fell (plain words 0.939 → 0.949, compounds 0.925 →
# 0.928: «tolk ved utskrivning» now ranks as on SQLite, «demens utredning» 0.962 → 0.998). One
# word's worth, what FTS5 gives the phrase, made 0.932 (plain words 0.958: «brukerstyrt
# innleggelse» too) but abbreviations fell (0.9702 → 0.9689: for «FACT-team» a page of grade 1
# went from 8th to 10th), so it was not kept.
PHRASE_WORDS = 2
# A query of more words than a phrase (``queries.PHRASE_MAX``) meets no page with all of them
# together, so the bonus above never applied to it; instead each two neighbouring words of it
# (``ParsedQuery.pair_words``, stop words left out) found together, with up to two words between,
# are worth this many words of the query, saturated as the bonus is. Pages that say «individuell
# plan», «koordinerende enhet» and «fire uker» then come before pages with «fire», «uker», «plan»
# and «melding» scattered through them. The database backends rank by no such pairs: this is
# Elasticsearch's own, the ordered pairs of a sequential dependence model (Metzler and Croft,
# 2005) without its windows. Development data (docs/benchmarks.md, «Neighbouring words of a
# long query together»): long queries of set 1 0.841 -> 0.861 and of the tuning part 0.939 ->
# 0.950, set 2's community names 0.821 -> 0.863, set 4's questions 0.833 -> 0.846; no set fell.
# Worth half a word to two words, with one or two words between, gave the same within 0.005;
# for queries of four or five words too (besides the whole phrase), word forms fell 0.856 ->
# 0.815 (set 1) and the graded community queries 0.951 -> 0.938.
PAIR_WORDS = 1
# ... in the fields that are read: two words side by side in the parts of compounds are no phrase.
PAIR_FIELDS = READ_FIELDS
# ... on the pages the rest of the query ranks first, as a rescore: in the query itself, seven pairs
# of common words made the node read their positions on most of 100,000 pages (bench/es_side_by_side.py:
# the long query 49 -> 68 ms p50), as a rescore of this many pages 48 -> 51. A page further down has
# too little of the query for a pair or two to lift it into the first ten: on the development data
# 30 pages gave the same figures as the pairs in the query.
PAIR_WINDOW = 100

# Each concept of a query of several scores k·s / (s + k), s its score, k SATURATION times its
# rarity (``concept_rarities``): BM25 saturates a word's count within a field, and Lucene then adds
# the fields up, linear in their weights (title 10), so one common concept of the query in a page's
# title, summary and body outweighed the rarer concepts the query was about in another page
# (*hjemme* in «trening hjemme etter sykehus», *demens* in «mat og demens»). Below k a concept
# scores about what it did; a common concept's strong match is bounded near its rarity's worth,
# as PostgreSQL bounds each part (``postgres.SATURATION``) and FTS5 saturates a term's weighted
# count once. A score script needs no plugin: every cluster has Lucene's expression language
# (the test node too, elasticsearch-runner's PortalExpressionPlugin). Chosen on the tuning part
# of the relevance collection (docs/benchmarks.md): 3 to 5 give the same figures, 7 loses the
# compounds' gain, a fixed k (not scaled by rarity) loses questions.
SATURATION = 4.0
# A community the query names (``Concept.place``: «legemiddelsamstemming Ahus») is bounded at this
# share of its rarity's worth when the query has a subject as well. The name stands in every one of
# the community's pages (their taxonomy, and «ved Ahus», «kommunene i Vestre Viken» in many a
# summary and body), so matched in several fields it came near its bound, and the community's
# pages on other subjects, which answer nothing, came before other communities' and the shared
# section's pages with the subject once in their body (bench/community_judged.json: six Ahus pages
# on other subjects above the shared page on medicine lists). So bounded, the place orders the pages
# on the subject, the named community's first, and a page with the place alone comes after them.
# Chosen on development data (docs/benchmarks.md): 0.15 to 0.3 give the graded community queries
# 0.911 -> 0.933-0.937 and the tuning part's community names 0.948 -> 0.946 (0.965 with
# «Ahus-området» one place, ``queries.community_groups``); 0.1 loses there, 0.5 most of the gain.
PLACE_SHARE = 0.2
SATURATE = {"lang": "expression", "source": "k * _score / (_score + k)"}
# ... and, where other kinds than the guidance weigh less (``params.kind_weights``), multiplied by
# the page's kind weight w in the same script, read from the page's ``guidance`` doc value. It was
# a function_score of a term filter per kind around each clause: at 100,000 pages a query of eight
# concepts spent 15 of its 46 ms there (docs/benchmarks.md, «The kind weight in the saturation
# script»). An index built before the field existed weighs every page alike (a missing value reads
# 0) until the release rebuilds it (``search.fingerprint``: the mapping changed).
WEIGHED_SATURATE = {
    "lang": "expression",
    "source": "(doc['guidance'].value > 0 ? 1 : w) * k * _score / (_score + k)",
}
# In a query of several concepts, a word the reader typed (a stem of PROSE_PREFIX_MIN_STEM letters
# or more) also finds the words of a page's body that begin with its stem (``prose_prefix``), each
# page scoring this share of the concept's rarity. The database backends search every such stem as
# a prefix, in every column (``postgres._term``), and Snowball leaves many a family apart: «norsk»
# of a question met no «norskkunnskaper» (a compound the splitter cannot part), and «utviklet» no
# «utvikling». Only the body: in all eight fields, «hjemm» found every «hjemmeoppfølging» in
# titles and the first development set's word forms fell 0.845 -> 0.818; in summaries and bodies
# its abbreviations fell 0.822 -> 0.794 (docs/benchmarks.md). And only with the concepts' rarities
# known, so that a common word's prefix weighs as little as the word. Development data
# (docs/benchmarks.md, «A fourth development set, and prefixes in the body»): set 4 0.859 -> 0.866
# (questions 0.803 -> 0.816), set 2 0.865 -> 0.869, set 3 0.880 -> 0.881, set 1 and the graded
# community queries as they were, the tuning part 0.950 (long queries 0.935 -> 0.931, 0.934 with
# PROSE_PREFIX_MIN_STEM); 0.3 to 0.75 gave the same within 0.005. The whole rarity since
# 4 December: a page's word that begins with the stem then scores about what the word once in its
# body does, as PostgreSQL ranks ``stem:*`` as the word. Development data (docs/benchmarks.md, «A
# prefix in the body weighs as the word»): set 2 0.882 -> 0.885, set 3 0.884 -> 0.885, set 4
# 0.874 -> 0.879, set 5 0.907 -> 0.912, the graded community queries 0.950 -> 0.951, set 1 and the
# tuning part as they were; 0.75 and 1.5 gave less.
PROSE_PREFIX_SHARE = 1.0
# ... and only for a concept at least this rare (``params.rarity``: on about a fifth of the pages
# or fewer). A common word's prefix weighs next to nothing, and costs the node the most: it reads
# the pages of every word it begins. At 100,000 pages (bench/es_side_by_side.py) the question
# shape took 23.1 -> 26.5 ms p50 and 25.8 -> 32.3 ms p95 with every word's prefix, about 1 ms more
# with this bound (its «ansvar», on a quarter of the pages, left out); on the development data
# no set's figure moves by more than 0.001 with the bound anywhere from 0 to 1.5.
PROSE_PREFIX_MIN_RARITY = 1.5
# ... and for a stem of at least this many letters. A stem of four begins many a word of another
# meaning («lege»: «legemiddel», «legevakt»), and the node reads the pages of every one of them.
# Development data: from four letters (the databases' PREFIX_MIN) to five, the tuning part's long
# queries 0.931 -> 0.934, development set 1's questions 0.806 -> 0.809, set 2 0.869 -> 0.870, set
# 4's questions 0.816 -> 0.815, the rest as they were; at six «norsk» is left out and set 4 falls
# back to 0.859.
PROSE_PREFIX_MIN_STEM = queries.PREFIX_MIN + 1
# In a query of several concepts, the single words of a concept below this rarity (on about half
# the pages or more: ``params.rarity``) are scored in the fields that are read (``READ_FIELDS``),
# not in their compounds' parts as well. Such a concept is bounded near nothing
# (``SATURATION``), so where its words stand orders few pages, and it costs the node the most:
# at 100,000 pages the question's *utskrivning* and its four synonyms on two thirds of the pages
# were half of its query phase (bench/es_breakdown.py), and in the read fields alone the question
# took 27.7 -> 26.1 ms p50, 21 -> 20 ms of the node's (bench/es_side_by_side.py). Development data
# (docs/benchmarks.md, «Snippets made by the portal, and a common concept's words in fewer
# fields»): the tuning part 0.951 as before, set 1 0.862 -> 0.863, the graded community queries
# 0.937 -> 0.939, set 4 0.868 -> 0.867, sets 2 and 3 as before. Scored as a constant where a page
# has the concept instead (no fields at all), set 1 fell 0.862 -> 0.840 (word forms 0.848 ->
# 0.718): the strength of a common concept's match still orders the pages.
COMMON_RARITY = 0.7


def per_word(stems):
    """The boost that makes a phrase of ``stems`` count as much as one word of the query.

    Lucene weighs a phrase by the rarities (idf) of its words added up, so a concept's synonym of
    three words scored about three times what its one-word expressions score, wherever each was
    found: for «demente pasienter som bor hjemme» the synonym «hjemmeboende eldre» in a title
    outranked every page about dementia. A concept's expressions are the same idea (the query
    takes the best of them), and FTS5 scores a phrase as one term of the query, with one rarity;
    divided by its number of words a phrase scores the mean of its words' weights. Tuning part of
    the relevance collection (bench/relevance_tuning.py): 0.921 → 0.928, and no kind fell (word
    forms 0.877 → 0.918, lay words 0.885 → 0.895, community names 0.889 → 0.901, abbreviations
    0.967 → 0.970, plain words and questions a hair up; compounds, typos and long queries as they
    were).
    """
    return 1.0 / max(1, len(stems))


def _every_field(word, fields=FIELDS, boost=1.0):
    """A word of the query in every field it is found in, with one rarity (``EVERY_FIELD``)."""
    weighed = {"boost": boost} if boost != 1.0 else {}
    return Q(
        "multi_match", query=word, fields=fields, type="cross_fields", tie_breaker=EVERY_FIELD, **weighed
    )


def any_field_prefix(stem):
    """``stem`` as the beginning of a word's stem in any field, each field at its weight.

    The database backends search every stem of PREFIX_MIN letters or more as a prefix, in every
    column (``sqlite._token``, ``postgres._term``): «autism» finds «autismespekterforstyrrelse»,
    which the compound splitter leaves whole. The stem is the portal's (``analysis.stem``), which is
    the index's (the node's chain is the same, tests/search/test_elasticsearch.py), and a
    ``prefix`` query is not analysed, so it is given as it is."""
    return Q(
        "bool",
        should=[
            Q("prefix", **{field: {"value": stem, "boost": weight, "rewrite": PREFIX_REWRITE}})
            for field, weight in FIELD_WEIGHTS
        ],
        minimum_should_match=1,
    )


def prose_prefix(stem, boost):
    """A page whose body has a word that begins with ``stem`` (``PROSE_PREFIX_SHARE``), scoring
    ``boost`` however many such words it has (``PREFIX_REWRITE``)."""
    return Q("prefix", body={"value": stem, "boost": boost, "rewrite": PREFIX_REWRITE})


def _phrase_words(alt):
    """A synonym of several words (``alt``, a phrase): on a page that has the phrase, the mean of
    its words' scores wherever they stand there (each word in every field, ``_every_field``).

    PostgreSQL ranks a phrase so (``postgres._weighted``: the phrase is the test, its words are
    ranked where it holds). Scored as the phrase alone, a page counted the phrase's occurrences
    only: *pasienten vil dø hjemme, hvilke medisiner bør ligge klare i huset* (development set 2)
    found the page on palliative care at home, which says «dø hjemme» once and «hjemme» and
    «hjemmet» throughout, with an eighth of its concept's bound, and a page with «klar» once in its
    summary came first (0.268, PostgreSQL 0.752). Development data (docs/benchmarks.md, «A
    phrase's words where the phrase holds»): set 2 0.874 -> 0.882 (questions 0.853 -> 0.870), set 1
    0.863 -> 0.864, the graded community queries 0.939 -> 0.940, set 3 0.880 -> 0.881, set 4 as it
    was, the tuning part 0.951 -> 0.950 (lay words 0.921 -> 0.915, word forms 0.914 -> 0.913,
    abbreviations 0.971 -> 0.970, questions 0.933 -> 0.934). With the phrase scored besides its
    words, set 2 rose further (0.887) but the tuning part's word forms fell 0.914 -> 0.906.

    A page with the phrase's words apart is found too, scoring nothing for them, as the database
    backends find a synonym's words anywhere (``postgres.tsquery``: ``&`` to find, the phrase to
    rank) and as the concept is counted (``_concept_filter``): with the phrase as the test of
    finding too, *palliasjon barn Drammen* (development set 5; «palliasjon barn» a synonym of
    «barnepalliasjon») found two pages and left out the shared pages on palliative care that
    PostgreSQL lists after them. Development data (docs/benchmarks.md, «A synonym's words apart»):
    the tuning part 0.950 -> 0.952 (compounds 0.965 -> 0.978, questions 0.934 -> 0.942), set 4
    0.867 -> 0.868, set 5 0.903 -> 0.904, the others as they were. A query that such a phrase
    claimed whole («barn som pårørende») had its words apart scored besides (half a word's worth,
    for the recall this gives now); scoring nothing there either, as on PostgreSQL, the pages that
    say «barn som pårørende» in passing come before those that have «barn» throughout and
    «pårørende» once: the tuning part 0.952 -> 0.953 (plain words 0.961 -> 0.964), the others as
    they were.

    The phrase holds without its stop words, as on the database backends (their texts are stems,
    stop words left out): the index keeps a stop word's place, so «rehabilitering i hjemmet» asked
    as written held only where one word stood between, and the page on stroke that says
    «rehabilitering hjemme» had its words apart (*hverdagsrehabilitering Ringerike*, development
    set 4: PostgreSQL second, Elasticsearch seventh). Asked as its other words, with a word's slop
    for each stop word, it holds either way. Development data (docs/benchmarks.md, «A phrase's
    stop words»): the tuning part 0.953 (questions 0.942 -> 0.947, community names 0.965 ->
    0.967), the graded community queries 0.940 -> 0.944, set 5 0.904 -> 0.905, set 4 0.868 as it
    was (community names 0.962 -> 0.960), the others as they were."""
    # The phrase without its stop words, each of which may stand between its words or not.
    written = alt.text.split()
    content = [word for word in written if analysis.analyze(word)] or written
    stops = len(written) - len(content)
    words = [_every_field(word) for word in content]
    slop = {"slop": stops} if stops else {}
    phrase = Q("multi_match", query=" ".join(content), fields=FIELDS, type="phrase", **slop)
    scored = Q("bool", filter=[phrase], should=words, boost=per_word(alt.stems))
    apart = Q("bool", filter=[Q("term", stems=stem) for stem in dict.fromkeys(alt.stems)])
    return Q("bool", should=[scored, Q("constant_score", filter=apart, boost=0.0)])


def _all_words(alt, boost):
    """Each part of a query compound (``alt``, ``Alternative.all_of``) anywhere on the page, in
    every field and its parts, their scores added up times ``boost``. A part of PREFIX_MIN letters
    or more may also begin a word, as on the database backends (``any_field_prefix``): «autisme» of
    «autismeutredning» finds the page about «autismespekterforstyrrelse»."""
    words = [
        Q("dis_max", queries=[_every_field(word), any_field_prefix(word_stem)])
        if len(word_stem) >= queries.PREFIX_MIN
        else _every_field(word)
        for word, word_stem in zip(alt.text.split(), alt.stems, strict=True)
    ]
    return Q("bool", must=words, boost=boost)


def _es_filters(filters, skip=None):
    return [
        Q("terms", **{FACET_FIELDS[name]: list(values)})
        for name, values in filters.items()
        if values and name != skip
    ]


# How far from a typed word no page has its neighbours may be, by the length of its stem (the
# fuzzy query is analysed first): none up to four letters, one up to eight, two from nine.
# Elasticsearch's «AUTO» allowed one edit from three letters and two from six, and the neighbours
# of short stems are other words: «stadig» (stem «stad») found «sted», «stedet» on 15 of the
# demo's 85 pages, «avbrutt» found «avbrøt», and an abbreviation no page writes («TUG», «ARA»)
# found whatever three letters lay one edit away. Development set (bench/development_judged.json)
# 0.850 -> 0.855: four queries up (*avbrutt døgnbehandling for rus* 0.744 -> 0.929, *eldre med
# mange sykdommer som stadig legges inn* 0.630 -> 0.798, *tug test*, *adl-kartlegging ved
# mistenkt demens*), none down; the tuning part, its typos and the other development queries as
# they were. The spelling help's rule (``params.allowed_edits``) is on the typed word, which the
# reader sees corrected before choosing it; this one finds pages without asking, so it is stricter.
FUZZINESS = "AUTO:5,9"


def near_words(word):
    """The queries that find a typed word no page has (``WordCounts.unknown``) through its
    neighbours: the words within its edits in the fields that are read (a typo), and, as on the
    database backends, words that begin with its stem in any field (another form of a word the
    pages have: «antikoagulerte» where a page says «antikoagulasjon»). Only the exact word was
    looked for in other forms before (its stem as a whole word), and only the title as a prefix;
    the database backends search every stem of PREFIX_MIN letters or more as a prefix in every
    column (development set, bench/development_judged.json: word forms 0.775 -> 0.818).

    Fuzzy on the fields a reader reads, exact on all: each field costs the node an automaton and
    its expansions (bench/es_breakdown.py: a misspelt long word cost about 50 ms on eight fields at
    20,000 pages)."""
    near = [
        Q(
            "multi_match",
            query=word,
            fields=FUZZY_FIELDS,
            type="best_fields",
            fuzziness=FUZZINESS,
            prefix_length=1,
            max_expansions=20,
        )
    ]
    stem = analysis.stem(word)
    if len(stem) >= queries.PREFIX_MIN:
        near.append(any_field_prefix(stem))
    return near


def expression_weights(parsed, counts):
    """For each concept of ``parsed``, {single word: boost} that makes each of its single words
    score with the rarity of the word the reader typed for it (the commonest, if several), not
    with its own: rarity(typed) / rarity(word) (``params.rarity``, from ``WordCounts.stems``).

    A concept's words are one idea, and the best of them counts (``dis_max``); Lucene weighs each
    by its own rarity, so a page with a synonym that one page has outscored pages with the common
    one the others use: for «utskrivningsrapport» the page with that word once in its body came
    before the page on PLO messages with «utskrivningsmelding» twice (five pages have it).
    PostgreSQL weighs a concept's words alike (``postgres.ranking``: ``ts_rank`` has no rarity;
    the concept is weighted as a whole), as Lucene's own synonym query does (its words one term).
    Scaled to the typed word, a page with the reader's word scores as before. A concept with no
    typed word, or whose typed word no page has, keeps Lucene's weights: nothing to scale to. The
    rarities are of the pages (the ``stems`` field), Lucene's of the pages with the field: the
    same where every page has the field (titles, summaries, nearly every body).
    Development data (docs/benchmarks.md, «A concept's words weighed alike»): the tuning part
    0.950 -> 0.951, development set 1 0.860 -> 0.862 (plain words 0.876 -> 0.897), set 2 0.870
    -> 0.874, set 3 0.881 -> 0.880, set 4 0.866 -> 0.868, the graded community queries as they
    were (0.937). Scaled to the concept's pages instead (all its words, each weighed down),
    concepts with synonyms lost weight against those without, and set 1's lay words fell 0.809
    -> 0.763."""
    written = parsed.written
    weights = []
    for concept in parsed.concepts:
        single = weighed_alternatives(concept, written)
        typed = max((counts.stems[alt.stems[0]] for alt in single if alt.text in written), default=0)
        weights.append(
            {
                alt.text: params.rarity(typed, counts.total)
                / params.rarity(counts.stems[alt.stems[0]], counts.total)
                for alt in single
                if typed and counts.stems[alt.stems[0]]
            }
        )
    return weights


def concept_rarities(parsed, counts):
    """Each concept's rarity (``params.rarity``) from the pages that have any of its expressions
    (``WordCounts.concepts``: its synonyms, a compound's parts, its phrases), as PostgreSQL counts
    a concept's finding expression; None when the concepts were not counted. A place the query
    names beside a subject counts PLACE_SHARE of its rarity.

    It was the pages of the word the reader typed for it. A typed word no page has counted as
    the rarest of words, though its synonyms were on half the pages: in «utskrevet fra DPS» the
    concept of «utskrivning» was bounded at 2.4 times «DPS», and every page about discharge
    came before the one about leaving the DPS; and a common concept typed in a rarer word
    («medisiner», with «legemiddel» on most pages) outweighed the subject. Development sets
    (bench/development_judged*.json): 0.855 -> 0.859 and 0.856 -> 0.860, the tuning part as it
    was (docs/benchmarks.md). The counts come in the known-words request, remembered per concept,
    so a search makes no request more than before."""
    if counts is None or not counts.concepts:
        return None
    rarities = [params.rarity(counts.concepts[concept_key(c)], counts.total) for c in parsed.concepts]
    if not all(concept.place for concept in parsed.concepts):
        rarities = [r * PLACE_SHARE if c.place else r for r, c in zip(rarities, parsed.concepts, strict=True)]
    return rarities


def _saturated(query, rarity, other=None):
    """``query``'s score s as k·s / (s + k), k = SATURATION × ``rarity``; times ``other`` on a page
    that is not guidance, when given (``WEIGHED_SATURATE``)."""
    k = SATURATION * rarity
    script = (
        {**SATURATE, "params": {"k": k}}
        if other is None
        else {**WEIGHED_SATURATE, "params": {"k": k, "w": other}}
    )
    return Q("script_score", query=query, script=script)


def _kind_weighted(clauses):
    """Each clause weighed by the kind of its page (``params.kind_weights``).

    Other kinds than the guidance by their weight, on each clause of the query rather than on the
    whole: a page's score is the clauses' scores added up, so the weight multiplies the same sum,
    and the node scores the top-level disjunction in bulk (Lucene's BooleanScorer, a window of
    pages at a time) instead of one page at a time through a function_score around it
    (bench/es_breakdown.py, 100,000 pages: the question's took 22 -> 17 ms). A clause wrapped so is
    added up as one number, where Lucene folded a clause's fields into the query's sum: a score may
    differ in the last bit of a float (in 103 of 1,400 demo searches, top 100; no order changed:
    docs/benchmarks.md)."""
    weights = [
        {"filter": {"term": {"kind": kind}}, "weight": weight}
        for kind, weight in params.kind_weights().items()
    ]
    if not weights:
        return clauses
    return [
        Q("function_score", query=clause, functions=weights, score_mode="multiply", boost_mode="multiply")
        for clause in clauses
    ]


def _own_community_first(query, preferred):
    """``query`` with the pages of the scope's own community (``preferred``) before shared pages
    that answer as well. A scoped search filters by community, which the node scores one page at a
    time anyway."""
    if not preferred:
        return query
    return Q(
        "function_score",
        query=query,
        functions=[{"filter": {"term": {"community": preferred}}, "weight": params.OWN_COMMUNITY_BOOST}],
        score_mode="multiply",
        boost_mode="multiply",
    )


def search_request(parsed, filters, scope, offset, limit, index=None, fuzzy=None, counts=None):
    """The Elasticsearch request for a search, as an elasticsearch.dsl ``Search``.

    Concepts are OR-ed (a question finds the pages that answer most of it); each concept is the
    best of its alternatives; single words the reader typed and no page has are fuzzy (typos), the
    rest exact. Facet filters go in ``post_filter`` so that each facet's counts ignore its own
    selection. The hits come with their summaries and the beginnings of their bodies, for the
    portal's snippets (``search.snippets``): the node highlights nothing.

    ``fuzzy`` is the set of typed words to make fuzzy (``what_the_index_knows``); None makes every typed
    word fuzzy. ``counts`` (``word_counts`` of the typed words) gives the concepts' rarities, by
    which each concept of a query of several is saturated (``SATURATION``); None leaves them as
    Lucene adds them up.
    """
    search = Search(index=index or alias())
    if parsed.is_empty:
        search = search.query(Q("match_all")).sort("title.raw", "page_id")
    else:
        should = []
        written = parsed.written
        typed = written if fuzzy is None else set(fuzzy)
        rarities = concept_rarities(parsed, counts) if counts and len(parsed.concepts) > 1 else None
        weights = expression_weights(parsed, counts) if counts else [{}] * len(parsed.concepts)
        for number, concept in enumerate(parsed.concepts):
            alternatives = []
            # A common concept's single words in the fields that are read (``COMMON_RARITY``).
            common = rarities and rarities[number] < COMMON_RARITY and not concept.place
            fields = READ_FIELDS if common else FIELDS
            for alt in concept.alternatives:
                # One word or several as the portal's chain counts them (its stems), as the database
                # backends decide: «hjerte-lunge-redning» is one word between spaces but three
                # words, a phrase, and as a word the node's analysis made it «hjert OR lung OR
                # redning», so «lunge» alone found the pages about lung disease for «HLR».
                if len(alt.stems) == 1:
                    # Each of the concept's words weighed as the typed word (``expression_weights``).
                    exact = _every_field(alt.text, fields, boost=weights[number].get(alt.text, 1.0))
                    if alt.text in typed:
                        # Typos are the reader's: only the words typed are found through their
                        # neighbours (``near_words``), not the synonyms the list adds, and of those
                        # only the ones the index does not know (``WordCounts.unknown``).
                        alternatives.append(Q("dis_max", queries=[exact, *near_words(alt.text)]))
                    else:
                        alternatives.append(exact)
                        rare = rarities and rarities[number] >= PROSE_PREFIX_MIN_RARITY
                        if rare and alt.text in written and len(alt.stems[0]) >= PROSE_PREFIX_MIN_STEM:
                            # A word the pages have, found also at the start of a longer word in
                            # the body, as the database backends find it (``PROSE_PREFIX_SHARE``);
                            # one no page has is looked for as a prefix everywhere already
                            # (``near_words``).
                            boost = PROSE_PREFIX_SHARE * rarities[number]
                            alternatives.append(prose_prefix(alt.stems[0], boost))
                    if (alt.prefix or len(alt.text) >= queries.PREFIX_MIN + 1) and not common:
                        # A title word that starts with the query word (legemiddel → Legemiddelsamstemming).
                        # match_bool_prefix analyses the word with the title's own chain, so the prefix
                        # is the engine's stem, not ours. Not for a common concept (``COMMON_RARITY``):
                        # a word on half the pages begins as many titles and orders none of them, and
                        # at 100,000 pages the long query's four common words cost the node 5 ms there
                        # (docs/benchmarks.md, «The kind weight in the saturation script»); on the
                        # development data no set moved by more than 0.001.
                        alternatives.append(Q("match_bool_prefix", title={"query": alt.text, "boost": 2.0}))
                elif alt.all_of:
                    # A query compound's parts (search.compounds): each anywhere on the page, and
                    # worth less than the compound itself, which a page with the compound also has.
                    alternatives.append(_all_words(alt, PARTS_BOOST))
                else:
                    # A synonym of several words, as a phrase, counts as one word of the query
                    # (``per_word``), as FTS5 counts a phrase as one term; where a page has it, its
                    # words count wherever they stand there (``_phrase_words``).
                    alternatives.append(_phrase_words(alt))
            should.append(Q("dis_max", queries=alternatives, tie_breaker=0.2))
        if parsed.phrase_words:
            # The query's words together: a bonus of PHRASE_WORDS words, however many it has.
            phrase = " ".join(parsed.phrase_words)
            boost = PHRASE_WORDS * per_word(parsed.phrase_stems)
            should.append(Q("multi_match", query=phrase, fields=FIELDS, type="phrase", slop=2, boost=boost))
        # A query too long for that bonus: each two neighbouring words together (``PAIR_WORDS``),
        # scored on the pages the rest of the query ranks first (``PAIR_WINDOW``).
        pairs = [
            Q(
                "multi_match",
                query=" ".join(pair),
                fields=PAIR_FIELDS,
                type="phrase",
                slop=2,
                boost=PAIR_WORDS * per_word(pair),
            )
            for pair in parsed.pair_words
        ]
        if rarities:
            # The words-together bonus too, at the concepts' mean rarity: left linear, it decided
            # between pages the saturated concepts had brought close («tolk ved utskrivning»).
            # Each clause weighed by its page's kind in the same script (``WEIGHED_SATURATE``).
            other = params.OTHER_KIND_WEIGHT if params.kind_weights() else None
            mean = sum(rarities) / len(rarities)
            rarities = rarities + [mean] * (len(should) - len(rarities))
            should = [_saturated(clause, r, other) for clause, r in zip(should, rarities, strict=True)]
            pairs = [_saturated(clause, mean, other) for clause in pairs]
        else:
            should, pairs = _kind_weighted(should), _kind_weighted(pairs)
        preferred = params.preferred_community(scope)
        search = search.query(
            _own_community_first(Q("bool", should=should, minimum_should_match=1), preferred)
        )
        if pairs:
            # Added to the scores of the first pages (``PAIR_WINDOW``, or as many as the page of
            # hits asked for reaches, so that every page of hits is ordered the same way).
            rescore = _own_community_first(Q("bool", should=pairs), preferred)
            search = search.extra(
                rescore={
                    "window_size": max(PAIR_WINDOW, offset + limit),
                    "query": {"rescore_query": rescore.to_dict(), "score_mode": "total"},
                }
            )
    if scope:
        search = search.filter("terms", community=list(scope))
    post = _es_filters(filters)
    if post:
        search = search.post_filter(Q("bool", filter=post))
    # Each facet counts the matches narrowed by the other facets' selections (disjunctive counts).
    # A top-level filter aggregation costs the node the whole query again (it runs "filter by
    # filter": bench/es_breakdown.py, at 20,000 pages the four facets cost 36 ms of 54 for
    # «legemidler» under filters of match_all, 7 as plain terms), so there are as few as can be: a
    # facet that no other selection narrows is a plain terms aggregation, and the facets without a
    # selection of their own, which all are narrowed by every selection, share one filter.
    selected = {name for name, values in filters.items() if values and name in FACET_FIELDS}
    shared = None
    for name, field in FACET_FIELDS.items():
        others = _es_filters(filters, skip=name)
        if not others:
            search.aggs.bucket(name, "terms", field=field, size=100)
        elif name in selected:
            agg = A("filter", filter=Q("bool", filter=others))
            agg.bucket("values", "terms", field=field, size=100)
            search.aggs.bucket(name, agg)
        else:
            if shared is None:
                shared = search.aggs.bucket(NARROWED, "filter", filter=Q("bool", filter=others))
            shared.bucket(name, "terms", field=field, size=100)
    search = search.source([*HIT_FIELDS, *SNIPPET_FIELDS])
    search = search.extra(track_total_hits=True)
    return search[offset : offset + limit]


def autocomplete_request(text, communities, limit, index=None):
    """A completion-suggester request for titles starting with what has been typed in
    ``communities`` (the suggester's ``community`` context: no filtering after the fact)."""
    completion = {
        "field": "suggest",
        "size": limit,
        "skip_duplicates": True,
        "contexts": {"community": list(communities)},
    }
    search = Search(index=index or alias()).source(["page_id", "title", "url_path", "community"])
    search = search.suggest("titles", text, completion=completion)
    return search.extra(size=0)


def spelling_request(words, index=None):
    """A term-suggester request: for each word missing from the index, known words within the
    edits ``params.allowed_edits`` gives it (one suggester for each number of edits)."""
    by_edits = {}
    for word in words:
        by_edits.setdefault(params.allowed_edits(word), []).append(word)
    search = Search(index=index or alias())
    for edits, group in sorted(by_edits.items()):
        search = search.suggest(
            f"spelling-{edits}",
            " ".join(group),
            term={
                "field": "spell",
                "suggest_mode": "missing",
                "sort": "score",
                "max_edits": edits,
                "prefix_length": 1,
                "min_word_length": 4,
                "string_distance": "damerau_levenshtein",
            },
        )
    return search.extra(size=0)
