"""From a reader's words to a query: concepts with their synonyms, for each backend's syntax.

A query is a list of *concepts*; a concept is satisfied by any of its *alternatives* (the word
itself, or an expression the editors' synonym list makes equivalent). Concepts are OR-ed and
ranked, so that a question in plain language finds the pages that answer most of it.
"""

import dataclasses
import functools

from search.analysis import MAX_QUERY_TERMS, STOP_WORDS, stem, words
from search.documents import alias
from search.models import Synonym

FACETS = ("type", "community", "target_group", "topic")
PREFIX_MIN = 4


@dataclasses.dataclass(frozen=True)
class Alternative:
    stems: tuple  # the stems of the expression, in order
    text: str  # the expression as words, for engines that analyse text themselves
    prefix: str = ""  # a folded word to match as a prefix too (compounds: legemiddel → legemiddelsamstemming)


@dataclasses.dataclass
class Concept:
    alternatives: list


@dataclasses.dataclass
class ParsedQuery:
    text: str
    concepts: list
    # For queries of a few words: the words as a phrase, which ranks pages that use them together
    # ("barn som pårørende") above pages that merely mention each of them.
    phrase_stems: tuple = ()
    phrase_words: tuple = ()

    @property
    def is_empty(self):
        return not self.concepts

    def highlight_stems(self):
        return {s for c in self.concepts for a in c.alternatives for s in a.stems}

    def highlight_prefixes(self):
        out = set()
        for c in self.concepts:
            for a in c.alternatives:
                if len(a.stems) == 1 and len(a.stems[0]) >= PREFIX_MIN:
                    out.add(a.stems[0])
                if a.prefix:
                    out.add(a.prefix)
        return out


# ---------------------------------------------------------------------------------- synonyms


def synonym_groups():
    """The editors' synonym groups as lists of stem tuples, cached until a synonym changes."""
    from django.db.models import Count, Max

    state = Synonym.objects.aggregate(changed=Max("updated_at"), n=Count("id"))
    return _load_groups(state["changed"], state["n"])


class OneWayGroup(list):
    """A group whose first expression, an umbrella term, finds the others, but not the reverse."""


@functools.lru_cache(maxsize=4)
def _load_groups(changed, count):
    groups = []
    for synonym in Synonym.objects.all():
        expressions = synonym.expressions()
        if len(expressions) < 2:
            continue
        if not synonym.one_way:
            groups.append(expressions)
        elif expressions[0][1] == " ".join(synonym.term.split()):  # a term of stop words finds nothing
            groups.append(OneWayGroup(expressions))
    return groups


# ---------------------------------------------------------------------------------- parsing


def parse(text, groups=None):
    """Turn cleaned query text into concepts; stop words go unless nothing else is left."""
    folded = words(text)
    content = [w for w in folded if w not in STOP_WORDS]
    if not content:
        content = folded
    content = content[: MAX_QUERY_TERMS * 2]
    stems = [stem(w) for w in content]
    groups = synonym_groups() if groups is None else groups
    concepts = []
    used = [False] * len(stems)
    present = set(stems)
    claimed = {}  # (position, length) → the concept of those words, which later groups may widen
    for group in groups:
        # A one-way group is entered only through its umbrella term (its first expression).
        for expr, _ in group[:1] if isinstance(group, OneWayGroup) else group:
            if expr[0] not in present:  # most groups, checked cheaply
                continue
            position = _find(stems, expr)
            if position < 0:
                continue
            content_text = " ".join(content[position : position + len(expr)])
            alternatives = [
                Alternative(stems=e, text=content_text if e == expr else written) for e, written in group
            ]
            concept = claimed.get((position, len(expr)))
            if concept is not None:  # the same words in another group: one concept with both groups' words
                known = {a.stems for a in concept.alternatives}
                concept.alternatives += [a for a in alternatives if a.stems not in known]
                break
            if any(used[position : position + len(expr)]):
                continue
            for i in range(position, position + len(expr)):
                used[i] = True
            claimed[(position, len(expr))] = concept = Concept(alternatives=alternatives)
            concepts.append((position, concept))
            break
    for i, (word, s) in enumerate(zip(content, stems, strict=True)):
        if used[i]:
            continue
        prefix = word if len(word) >= PREFIX_MIN + 1 and word != s and not word.startswith(s) else ""
        concepts.append((i, Concept(alternatives=[Alternative(stems=(s,), text=word, prefix=prefix)])))
    concepts.sort(key=lambda item: item[0])
    unique, seen = [], set()
    for _, concept in concepts:
        key = tuple(a.stems for a in concept.alternatives)
        if key not in seen:
            seen.add(key)
            unique.append(concept)
    parsed = ParsedQuery(text=text, concepts=unique[:MAX_QUERY_TERMS])
    if 2 <= len(stems) <= 5:
        first, last = folded.index(content[0]), len(folded) - 1 - folded[::-1].index(content[-1])
        parsed.phrase_stems = tuple(stems)
        parsed.phrase_words = tuple(folded[first : last + 1])
    return parsed


def _find(sequence, sub):
    n = len(sub)
    for i in range(len(sequence) - n + 1):
        if tuple(sequence[i : i + n]) == sub:
            return i
    return -1


# ---------------------------------------------------------------------------------- SQL syntaxes


def fts5_match(parsed):
    """An FTS5 MATCH expression. Tokens are letters and digits only, and always quoted."""
    parts = []
    for concept in parsed.concepts:
        alts = []
        for alt in concept.alternatives:
            if len(alt.stems) == 1:
                token = alt.stems[0]
                alts.append(f'"{token}"*' if len(token) >= PREFIX_MIN else f'"{token}"')
            else:
                alts.append('"' + " ".join(alt.stems) + '"')
            if alt.prefix:
                alts.append(f'"{alt.prefix}"*')
        parts.append("(" + " OR ".join(alts) + ")")
    if parsed.phrase_stems:
        parts.append('"' + " ".join(parsed.phrase_stems) + '"')
    return " OR ".join(parts)


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
            else:
                alts.append("(" + (" <-> " if phrase else " & ").join(folded) + ")")
        if alts:
            parts.append(" | ".join(alts))
    return parts


# ---------------------------------------------------------------------------------- Elasticsearch

ES_FIELDS = ["title^10", "summary^4", "taxonomy^3", "body"]
ES_FACET_FIELDS = {
    "type": "kind",
    "community": "community",
    "target_group": "target_groups",
    "topic": "topics",
}
SNIPPET_CHARS = 260


def _es_filters(filters, skip=None):
    from elasticsearch.dsl import Q

    return [
        Q("terms", **{ES_FACET_FIELDS[name]: list(values)})
        for name, values in filters.items()
        if values and name != skip
    ]


def es_search(parsed, filters, scope, offset, limit, index=None):
    """The Elasticsearch request for a search, as an elasticsearch.dsl ``Search``.

    Concepts are OR-ed (a question finds the pages that answer most of it); each concept is the
    best of its alternatives; single words are fuzzy (typos) and phrases exact. Facet filters go
    in ``post_filter`` so that each facet's counts ignore its own selection.
    """
    from elasticsearch.dsl import A, Q, Search

    search = Search(index=index or alias())
    highlight_query = None
    if parsed.is_empty:
        search = search.query(Q("match_all")).sort("title.raw", "page_id")
    else:
        should = []
        typed = set(words(parsed.text))
        # The snippets mark the words and synonyms as written, not fuzzy neighbours: highlighting
        # with the fuzzy query expands every fuzzy term again for each hit (seconds, not ms).
        highlight_query = Q(
            "bool",
            should=[
                Q("multi_match", query=alt.text, fields=["summary", "body"])
                for concept in parsed.concepts
                for alt in concept.alternatives
            ],
        )
        for concept in parsed.concepts:
            alternatives = []
            for alt in concept.alternatives:
                if len(alt.text.split()) == 1:
                    # Typos are the reader's: only the words typed are fuzzy, not the synonyms the
                    # list adds (each fuzzy word costs an automaton per field).
                    fuzzy = (
                        {"fuzziness": "AUTO", "prefix_length": 1, "max_expansions": 20}
                        if alt.text in typed
                        else {}
                    )
                    alternatives.append(
                        Q("multi_match", query=alt.text, fields=ES_FIELDS, type="best_fields", **fuzzy)
                    )
                    if alt.prefix or len(alt.text) >= PREFIX_MIN + 1:
                        # A title word that starts with the query word (legemiddel → Legemiddelsamstemming).
                        # match_bool_prefix analyses the word with the title's own chain, so the prefix
                        # is the engine's stem, not ours.
                        alternatives.append(Q("match_bool_prefix", title={"query": alt.text, "boost": 2.0}))
                else:
                    alternatives.append(Q("multi_match", query=alt.text, fields=ES_FIELDS, type="phrase"))
            should.append(Q("dis_max", queries=alternatives, tie_breaker=0.2))
        if parsed.phrase_words:
            phrase = " ".join(parsed.phrase_words)
            should.append(Q("multi_match", query=phrase, fields=ES_FIELDS, type="phrase", slop=2, boost=2.0))
        search = search.query(Q("bool", should=should, minimum_should_match=1))
    if scope:
        search = search.filter("terms", community=list(scope))
    post = _es_filters(filters)
    if post:
        search = search.post_filter(Q("bool", filter=post))
    for name, field in ES_FACET_FIELDS.items():
        others = _es_filters(filters, skip=name)
        agg = A("filter", filter=Q("bool", filter=others) if others else Q("match_all"))
        agg.bucket("values", "terms", field=field, size=100)
        search.aggs.bucket(name, agg)
    search = search.highlight_options(
        encoder="html",
        pre_tags=["<mark>"],
        post_tags=["</mark>"],
        fragment_size=SNIPPET_CHARS,
        number_of_fragments=1,
    )
    if highlight_query is not None:
        search = search.highlight_options(highlight_query=highlight_query.to_dict())
    search = search.highlight("summary", no_match_size=SNIPPET_CHARS).highlight("body")
    search = search.source(
        [
            "page_id",
            "title",
            "url_path",
            "kind",
            "community",
            "community_name",
            "last_reviewed",
            "next_review",
        ]
    )
    search = search.extra(track_total_hits=True)
    return search[offset : offset + limit]


def es_autocomplete(text, scope, limit, index=None):
    """A completion-suggester request for titles starting with what has been typed, limited to the
    reader's communities by the suggester's ``community`` context (no filtering after the fact)."""
    from elasticsearch.dsl import Search

    completion = {"field": "suggest", "size": limit, "skip_duplicates": True}
    if scope:
        completion["contexts"] = {"community": list(scope)}
    search = Search(index=index or alias()).source(["page_id", "title", "url_path", "community"])
    search = search.suggest("titles", text, completion=completion)
    return search.extra(size=0)


def es_spelling(words, index=None):
    """A term-suggester request: for each word missing from the index, known words within two edits."""
    from elasticsearch.dsl import Search

    search = Search(index=index or alias()).suggest(
        "spelling",
        " ".join(words),
        term={
            "field": "spell",
            "suggest_mode": "missing",
            "sort": "score",
            "max_edits": 2,
            "prefix_length": 1,
            "min_word_length": 4,
            "string_distance": "damerau_levenshtein",
        },
    )
    return search.extra(size=0)
