"""What a reader may ask for: filters and page number from GET parameters, checked against the
vocabulary, and the communities a site searches by default."""

import math

from django.core.cache import cache

from kompetanse.models import CENTRAL_SLUG, CONTENT_MODELS, KIND_LABELS, CommunityHomePage, TargetGroup, Topic
from search import queries
from search.analysis import clean_query

PER_PAGE = 10
MAX_PAGE = 1000
FACET_LABELS = {
    "type": "Innholdstype",
    "community": "Helsefellesskap",
    "target_group": "Målgruppe",
    "topic": "Fagområde",
}
LABELS_CACHE_SECONDS = 60
LABELS_CACHE_KEY = "search:facet-labels"
# Spelling help, on every backend: a word of up to SHORT_WORD letters may be one edit from its
# correction, a longer word two. Two edits from a short word reach words of another meaning
# («feber» → «fører»).
SHORT_WORD = 5


def allowed_edits(word):
    """How many edits (a letter missing, extra, wrong, or two swapped) a correction of ``word``
    may be from it."""
    return 1 if len(word) <= SHORT_WORD else 2


class InvalidFilter(ValueError):
    """A filter value that does not exist; the API answers 400, the page ignores it."""


def facet_labels():
    """Value → label for each facet, from the vocabulary the central team manages.

    Cached briefly, and forgotten when a topic, target group or community is saved or deleted
    (search.signals): the labels are also the values a filter may have, and a filter on a topic
    added a moment ago must not be dropped as unknown.
    """
    labels = cache.get(LABELS_CACHE_KEY)
    if labels is None:
        labels = {
            "type": dict(KIND_LABELS),
            "community": {c.slug: c.display_name for c in CommunityHomePage.objects.all()},
            "target_group": dict(TargetGroup.objects.values_list("slug", "name")),
            "topic": dict(Topic.objects.values_list("slug", "name")),
        }
        cache.set(LABELS_CACHE_KEY, labels, LABELS_CACHE_SECONDS)
    return labels


def clean_filters(params, labels, *, strict=False):
    """Filters from GET parameters (repeatable); unknown values are dropped, or raise if strict."""
    filters = {}
    for name in queries.FACETS:
        values = []
        for value in params.getlist(name) if hasattr(params, "getlist") else params.get(name, []):
            value = clean_query(value)[:100]
            if not value:
                continue
            if value not in labels[name]:
                if strict:
                    raise InvalidFilter(f"Ukjent verdi for {name}: «{value}».")
                continue
            if value not in values:
                values.append(value)
        if values:
            filters[name] = values
    return filters


def parse_page_number(raw, *, strict=False):
    try:
        number = int(str(raw or "1").strip())
    except ValueError:
        if strict:
            raise InvalidFilter("«page» må være et helt tall.") from None
        return 1
    if number < 1:
        if strict:
            raise InvalidFilter("«page» må være 1 eller større.")
        return 1
    return min(number, MAX_PAGE)


# The GET parameter that sets the scope: "alle" (every community) or a community's slug (that
# community and the shared content, as on its own site: the form «Finn innhold i …»).
SCOPE_PARAM = "omfang"
EVERYWHERE = "alle"
# In a community's scope its own pages come before shared ones that answer as well: their score
# is multiplied by this (every backend), enough to settle a tie, too little to pass a better page.
OWN_COMMUNITY_BOOST = 1.02
# The guidance (procedures, recommendations, good examples) before pages about the same words that
# point to it or build on it (topic pages, news, events, courses, films, podcasts): their score is
# multiplied by this on every backend. First chosen on the tuning part of the relevance collection
# (0.5, docs/benchmarks.md, «A kind weight»); then on every development set, with the rankings of
# two days later (docs/benchmarks.md, «The kind weight again»): at 0.55 no set fell on any
# backend and most rose (the graded community queries 0.944 -> 0.950 on Elasticsearch, 0.947 ->
# 0.952 on PostgreSQL, 0.913 -> 0.932 on SQLite); at 0.6 a film or a course passed the one page
# that answers two of the tuning part's queries.
GUIDANCE_KINDS = ("procedure", "recommendation", "good_example")
OTHER_KIND_WEIGHT = 0.55


# How long a backend remembers how many pages have each of a query's concepts, and how many pages
# there are (the counts ``rarity`` is computed from), whatever is published meanwhile: a publish
# moves a count by one of hundreds or thousands, which no ranking notices, and counting again
# after every publish cost the first search of a long query on PostgreSQL at 20,000 pages 21 ms
# of 55 (docs/benchmarks.md). A word a page published since brought counts as on no page until
# then: the page is still found, its weight is the rarest.
COUNTS_SECONDS = 300


def rarity(pages, total):
    """BM25's inverse document frequency, as Lucene computes it, of what ``pages`` of ``total``
    have: the weight of a query's concept on PostgreSQL and the bound of one on Elasticsearch."""
    return math.log(1 + (total - pages + 0.5) / (pages + 0.5))


def kind_weights():
    """{kind: weight} for the kinds whose scores are multiplied, for the backends to apply."""
    if OTHER_KIND_WEIGHT == 1.0:
        return {}
    return {kind: OTHER_KIND_WEIGHT for kind in CONTENT_MODELS if kind not in GUIDANCE_KINDS}


def scope_of(slug):
    """The communities searched in a community's scope: its own pages first, then the shared content."""
    return [slug] if slug == CENTRAL_SLUG else [slug, CENTRAL_SLUG]


def community_scope(site):
    """On a community's own site: that community and the shared content. Elsewhere: everything."""
    if site is None:
        return []
    root = site.root_page.specific
    if isinstance(root, CommunityHomePage):
        return scope_of(root.slug)
    return []


def requested_scope(raw, default_scope, labels):
    """The scope asked for with ``SCOPE_PARAM`` (``raw``), else the site's: (scope, value to keep).

    The value to keep goes with the reader's next search (hidden fields, links); an unknown value
    is ignored. Narrowing to one source is the community *filter*'s work, not the scope's.
    """
    raw = clean_query(raw or "")[:100]
    if raw == EVERYWHERE:
        return [], raw
    if raw in labels["community"]:
        return scope_of(raw), raw
    return list(default_scope), ""


def preferred_community(scope):
    """The community whose pages a scoped search ranks first where they answer as well as shared
    ones (``OWN_COMMUNITY_BOOST``): the first of a scope that holds shared content too."""
    scope = list(scope or [])
    return scope[0] if len(scope) > 1 else None
