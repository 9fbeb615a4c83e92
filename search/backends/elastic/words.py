"""What the Elasticsearch index knows of a query's words: which typed words some page has, how many
pages have each concept and each weighed stem, and how many pages there are; asked in one
multi-search and remembered a few minutes (``word_counts``)."""

import collections
import hashlib

from django.core.cache import cache
from elasticsearch.dsl import MultiSearch, Q, Search

from search import analysis
from search.backends.elastic.nodes import client
from search.documents import alias
from search.params import COUNTS_SECONDS


def typed_words(parsed):
    """The words the reader typed that stand alone in an alternative: the ones a typo may be in."""
    typed = parsed.written
    return sorted(
        {
            alt.text
            for concept in parsed.concepts
            for alt in concept.alternatives
            if alt.text in typed and len(alt.stems) == 1
        }
    )


def counted_words(parsed):
    """The words the reader typed that stand in an alternative, alone or in an expression of
    several: those whose page counts give the concepts' rarities (``concept_rarities``)."""
    typed = parsed.written
    return sorted(
        {
            word
            for concept in parsed.concepts
            for alt in concept.alternatives
            if not alt.all_of
            for word in alt.text.split()
            if word in typed
        }
    )


class WordCounts(collections.namedtuple("WordCounts", "known total concepts stems")):
    """``known``: {word: whether a page has it, as written or in another form}; ``total``: the pages
    in the index; ``concepts``: {``concept_key``: the pages that have any of the concept's
    expressions} for the concepts asked; ``stems``: {stem: the pages that have it} for the stems
    asked (``weighed_stems``)."""

    __slots__ = ()

    def unknown(self):
        """The words no page has: the only ones worth a fuzzy query.

        A fuzzy word costs Elasticsearch a Levenshtein automaton per field, up to 20 expanded terms
        per field to score for every page, and the pages those neighbours add
        (bench/es_breakdown.py: two thirds of the node's time for «legemiddelsamstemming», at
        20,000 pages). A word the index knows is spelt as some page spells it, so its neighbours are
        other words, not what the reader meant. So is a word whose stem a page has in another form
        («inhalasjon» where pages say «inhalasjonen»), as the database's spelling help holds
        (``reading.closest``: a word with a known word's stem is inflected, not misspelt). Only the
        spelling was asked before, and such a word was fuzzy: «teknikk» (in pages only as
        «inhalasjonsteknikk», found through its parts) found «teknisk», and «teknikk ved
        inhalasjon» the editorial model's page.
        """
        return {word for word, known in self.known.items() if not known}


def concept_key(concept):
    """A concept's expressions as one string: its count's name in the known-words request and in
    the cache (hashed there, ``word_counts``)."""
    return "|".join(("+" if alt.all_of else "") + alt.text for alt in concept.alternatives)


def _stem_anywhere(word):
    """A page with ``word`` or another form of it (its stem, ``analysis.stem``) in any text field or
    a compound's parts: a term of the ``stems`` field, which has them all (``search.documents``)."""
    return Q("term", stems=analysis.stem(word))


def _concept_filter(concept):
    """The pages that have any of ``concept``'s expressions, as ``concept_rarities`` counts them and
    as PostgreSQL's finding expression finds them (``postgres.tsquery``): a word in any form (its
    stem) anywhere in the page, and an expression of several words (a phrase, or a compound's
    parts) with all its words anywhere. Counted in the one field with every stem (``stems``,
    ``search.documents``): in the eight fields the search scores, the question shape's counts took
    the node 10.5 ms at 100,000 pages, reading each common word's pages once per field
    (docs/benchmarks.md)."""
    words = sorted({alt.stems[0] for alt in concept.alternatives if len(alt.stems) == 1})
    found = [Q("terms", stems=words)] if words else []
    for alt in concept.alternatives:
        if len(alt.stems) > 1:
            found.append(Q("bool", must=[Q("term", stems=stem) for stem in alt.stems]))
    return Q("bool", should=found, minimum_should_match=1)


def known_words_request(words, index=None, concepts=None, total=True, stems=()):
    """One multi-search of size-0 searches: first (when ``total``) how many pages the index has,
    then how many have each of ``concepts`` ({``concept_key``: concept}; ``_concept_filter``), how
    many have each of ``stems`` (``weighed_stems``), and for each of ``words`` whether a page has
    it as written (the unstemmed ``spell`` field) or in another form (its stem in any text field or
    a compound's parts). ``word_counts`` reads the answers in that order.

    Each count is a search of its own, its filter as the query: the node counts a term's pages
    from its terms dictionary, and a concept's in one pass over its words' pages, the searches side
    by side on its search threads. Counted as ``filters`` aggregations of one search over every
    page, the node tested every page against every filter: at 100,000 pages the question shape's
    counts took 4.4 ms against 2.0 so (bench/known_words_side_by_side.py, docs/benchmarks.md).

    A word is asked whether a page has it, not how many: its search stops at the first page
    (``terminate_after``), where a count reads every page with the word in every field."""
    index = index or alias()
    search = MultiSearch(index=index)

    def count(query=None):
        counted = Search(index=index).extra(size=0, track_total_hits=True)
        return counted.query(query) if query is not None else counted

    if total:
        search = search.add(count())
    for concept in (concepts or {}).values():
        search = search.add(count(_concept_filter(concept)))
    for stem in stems:
        search = search.add(count(Q("term", stems=stem)))
    for word in words:
        found = Q("bool", should=[Q("term", spell=word), _stem_anywhere(word)])
        search = search.add(
            Search(index=index).query(found).extra(size=0, terminate_after=1, track_total_hits=1)
        )
    return search


def _cache_key(kind, text):
    """The cache's key for what the index knows of ``text`` (a word, a stem, a ``concept_key``): its
    digest, since a concept's key may be long (a synonym group's every expression) and so may a
    word (up to the query's length), longer than some caches take (memcached: 250 characters)."""
    return f"{kind}:{alias()}:{hashlib.sha256(text.encode()).hexdigest()[:32]}"


def word_counts(words, concepts=(), stems=()):
    """Whether a page has each of ``words``, how many pages have each of ``concepts`` and each of
    ``stems`` (``known_words_request``), and how many the index has: a ``WordCounts``.

    What the index knows is remembered for ``params.COUNTS_SECONDS``, which saves a request per search
    (a round trip of 1-2 ms, bench/es_breakdown.py). A word that a page published since then
    brought stays unknown until it is asked again: its exact matches still come first.
    """
    concepts = {concept_key(c): c for c in concepts}
    keys = {word: _cache_key("es-known", word) for word in words}
    concept_keys = {key: _cache_key("es-concept", key) for key in concepts}
    stem_keys = {stem: _cache_key("es-stem", stem) for stem in stems}
    total_key = f"es-pages:{alias()}"
    remembered = cache.get_many([*keys.values(), *concept_keys.values(), *stem_keys.values(), total_key])
    asked = [word for word in words if keys[word] not in remembered]
    asked_concepts = {key: c for key, c in concepts.items() if concept_keys[key] not in remembered}
    asked_stems = sorted(stem for stem in stems if stem_keys[stem] not in remembered)
    counting = bool(asked_concepts) or bool(asked_stems) or total_key not in remembered
    if asked or counting:
        request = known_words_request(
            asked, index=alias(), concepts=asked_concepts, total=counting, stems=asked_stems
        )
        responses = iter(request.using(client()).execute())
        found = {}
        if counting:
            found[total_key] = next(responses).hits.total.value
        # The answers in the order known_words_request asks: concepts, stems, then words.
        counted = [
            *(concept_keys[key] for key in asked_concepts),
            *(stem_keys[stem] for stem in asked_stems),
        ]
        found.update({key: next(responses).hits.total.value for key in counted})
        found.update({keys[word]: next(responses).hits.total.value > 0 for word in asked})
        cache.set_many(found, COUNTS_SECONDS)
        remembered.update(found)
    return WordCounts(
        {word: remembered[keys[word]] for word in words},
        remembered[total_key],
        {key: remembered[concept_keys[key]] for key in concepts},
        {stem: remembered[stem_keys[stem]] for stem in stems},
    )


def what_the_index_knows(parsed):
    """(``word_counts`` of the query's ``counted_words``, of its concepts when it has several
    (``concept_rarities``) and of its ``weighed_stems``, or None when it has no word to count; the
    typed words no page has, to find through their neighbours: ``near_words``). One request,
    remembered (``word_counts``)."""
    counted = counted_words(parsed)
    if not counted:
        return None, set()
    counts = word_counts(counted, parsed.concepts if len(parsed.concepts) > 1 else (), weighed_stems(parsed))
    return counts, counts.unknown() & set(typed_words(parsed))


def weighed_alternatives(concept, written):
    """The single words of ``concept`` that ``expression_weights`` weighs: all of them when the
    reader typed one (``written``) and the concept has another, else none."""
    single = [alt for alt in concept.alternatives if len(alt.stems) == 1]
    if len(single) < 2 or not any(alt.text in written for alt in single):
        return []
    return single


def weighed_stems(parsed):
    """The stems whose page counts ``expression_weights`` needs (``WordCounts.stems``)."""
    written = parsed.written
    return sorted(
        {alt.stems[0] for concept in parsed.concepts for alt in weighed_alternatives(concept, written)}
    )
