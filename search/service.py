"""The one search service behind the search page and the JSON API.

``run_search()`` takes what a reader asked for and returns everything either view shows: hits
with highlighted snippets, facet counts, a "Mente du …?" suggestion and the editors' promoted
results. Elasticsearch answers when configured and reachable; otherwise the database does.
"""

import contextlib
import dataclasses
import datetime
import logging
import time

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from wagtail.models import Site

from kompetanse.models import CENTRAL_SLUG, CommunityHomePage, TargetGroup, Topic
from search import backends, queries
from search.analysis import STOP_WORDS, clean_query, fold, highlight, stem, words
from search.backends import database, elastic
from search.indexing import KIND_LABELS
from search.models import ZeroResultQuery

logger = logging.getLogger("search")

PER_PAGE = 10
MAX_PAGE = 1000
FACET_LABELS = {
    "type": "Innholdstype",
    "community": "Helsefellesskap",
    "target_group": "Målgruppe",
    "topic": "Fagområde",
}
REVIEW_SOON_DAYS = 60
SNIPPET_SOURCE_CHARS = 6000
LABELS_CACHE_SECONDS = 60
# After Elasticsearch fails, leave it alone this long before trying again.
ES_RETRY_SECONDS = 30
_es_down_until = 0.0


class InvalidFilter(ValueError):
    """A filter value that does not exist; the API answers 400, the page ignores it."""


@dataclasses.dataclass
class Hit:
    page_id: int
    title: str
    url: str
    kind: str
    kind_label: str
    community: str
    community_name: str
    snippet: str
    last_reviewed: datetime.date | None
    next_review: datetime.date | None

    @property
    def review_status(self):
        if not self.next_review:
            return "ukjent"
        today = timezone.localdate()
        if self.next_review < today:
            return "forfalt"
        if self.next_review <= today + datetime.timedelta(days=REVIEW_SOON_DAYS):
            return "snart"
        return "gyldig"

    @property
    def review_status_label(self):
        return {
            "ukjent": "Revisjonsdato mangler",
            "forfalt": "Revisjon forfalt",
            "snart": "Revideres snart",
            "gyldig": "Gyldig",
        }[self.review_status]


@dataclasses.dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclasses.dataclass
class SearchResult:
    query: str
    total: int
    page: int
    per_page: int
    hits: list
    facets: dict
    suggestion: str = ""
    corrected_from: str = ""
    promoted: list = dataclasses.field(default_factory=list)
    scope: list = dataclasses.field(default_factory=list)
    backend: str = "database"
    message: str = ""

    @property
    def num_pages(self):
        return max(1, -(-self.total // self.per_page))

    @property
    def start_index(self):
        return (self.page - 1) * self.per_page + 1

    @property
    def has_next(self):
        return self.page < self.num_pages

    @property
    def has_previous(self):
        return self.page > 1


# ---------------------------------------------------------------------------------- vocabulary


def facet_labels():
    """Value → label for each facet, from the vocabulary the central team manages.

    Cached briefly: labels change rarely, and a renamed topic showing its old name for a minute
    is harmless.
    """
    from django.core.cache import cache

    labels = cache.get("search:facet-labels")
    if labels is None:
        labels = {
            "type": dict(KIND_LABELS),
            "community": {c.slug: c.display_name for c in CommunityHomePage.objects.all()},
            "target_group": dict(TargetGroup.objects.values_list("slug", "name")),
            "topic": dict(Topic.objects.values_list("slug", "name")),
        }
        cache.set("search:facet-labels", labels, LABELS_CACHE_SECONDS)
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


# ---------------------------------------------------------------------------------- scope


def community_scope(site):
    """On a community's own site: that community and the shared content. Elsewhere: everything."""
    if site is None:
        return []
    root = site.root_page.specific
    if isinstance(root, CommunityHomePage):
        return [root.slug] if root.slug == CENTRAL_SLUG else [root.slug, CENTRAL_SLUG]
    return []


# ---------------------------------------------------------------------------------- urls


def url_maker(request=None):
    """A function from a page's url_path to its URL, relative on the reader's own site.

    The sites are looked up once, not once per hit (each lookup unpickles the cached list).
    """
    current = Site.find_for_request(request) if request is not None else None
    roots = Site.get_site_root_paths()

    def url_for(url_path):
        best = None
        for root in roots:
            if url_path.startswith(root.root_path):
                if current is not None and root.site_id == current.pk:
                    return url_path[len(root.root_path) - 1 :]
                if best is None:
                    best = root
        if best is None:
            return url_path
        if current is None and len(roots) == 1:
            return url_path[len(best.root_path) - 1 :]
        return best.root_url.rstrip("/") + url_path[len(best.root_path) - 1 :]

    return url_for


# ---------------------------------------------------------------------------------- the search


def run_search(raw_query, **options):
    with database.one_version():
        return _run_search(raw_query, **options)


def _run_search(raw_query, *, filters=None, scope=None, page=1, per_page=PER_PAGE, request=None, labels=None):
    query = clean_query(raw_query)
    labels = labels or facet_labels()
    filters = filters or {}
    scope = list(scope or [])
    parsed = queries.parse(query)
    result = _search_backend(parsed, filters, scope, page, per_page, request)
    if query and result["total"] == 0:
        _log_zero_results(query)
    suggestion = ""
    corrected_from = ""
    if query and not parsed.is_empty and result["total"] < 3:
        suggestion = suggest(query)
        if suggestion and result["total"] == 0:
            corrected = _search_backend(queries.parse(suggestion), filters, scope, page, per_page, request)
            if corrected["total"]:
                result, corrected_from = corrected, query
    out = SearchResult(
        query=query,
        total=result["total"],
        page=page,
        per_page=per_page,
        hits=result["hits"],
        facets=_facet_values(result["facets"], labels, filters),
        suggestion=suggestion,
        corrected_from=corrected_from,
        scope=scope,
        backend=result["backend"],
    )
    if query and page == 1:
        out.promoted = promoted_results(query, request)
    if query and parsed.is_empty:
        out.message = "Søket inneholder ingen ord vi kan søke etter. Prøv med andre ord."
    return out


def _search_backend(parsed, filters, scope, page, per_page, request):
    global _es_down_until
    offset = (page - 1) * per_page
    if backends.elasticsearch_enabled() and time.monotonic() >= _es_down_until:
        try:
            found = elastic.search(parsed, filters, scope, offset, per_page)
            urls = url_maker(request)
            found["hits"] = [_hit_from_es(h, urls) for h in found["hits"]]
            found["backend"] = "elasticsearch"
            return found
        except Exception as exc:
            _es_down_until = time.monotonic() + ES_RETRY_SECONDS
            logger.warning("Elasticsearch svarer ikke (%s); søker i databasen i stedet.", exc)
    if parsed.is_empty and not filters:
        return {"hits": [], "total": 0, "facets": {}, "backend": "database"}
    rank = concepts = None
    if parsed.is_empty:
        match = None
    elif database.is_postgres():
        match, rank = queries.tsquery(parsed, phrase=False), queries.tsquery(parsed)
        concepts = queries.tsquery_concepts(parsed)
    else:
        match = queries.fts5_match(parsed)
    if match == "":
        return {"hits": [], "total": 0, "facets": {}, "backend": "database"}
    found = database.search(match, filters, scope, offset, per_page, rank=rank, concepts=concepts)
    stems, prefixes = parsed.highlight_stems(), parsed.highlight_prefixes()
    documents = found["documents"]
    # Snippets cost more than the rest of a repeated search: they are cached like its answer.
    snippets = database.cached(
        ("snippets", tuple(d.pk for d in documents), sorted(stems), sorted(prefixes)),
        lambda: {d.pk: _snippet(d, stems, prefixes) for d in documents},
    )
    urls = url_maker(request)
    hits = [_hit_from_document(d, snippets[d.pk], urls) for d in documents]
    return {"hits": hits, "total": found["total"], "facets": found["facets"], "backend": "database"}


def _snippet(document, stems, prefixes):
    snippet = highlight(document.summary, stems, prefixes, length=260)
    if "<mark>" not in snippet and document.body:
        # The best window is looked for in the body's first part: enough for a snippet.
        body_snippet = highlight(document.body[:SNIPPET_SOURCE_CHARS], stems, prefixes, length=260)
        if "<mark>" in body_snippet:
            snippet = body_snippet
    return snippet


def _hit_from_document(document, snippet, urls):
    return Hit(
        page_id=document.page_id,
        title=document.title,
        url=urls(document.url_path),
        kind=document.kind,
        kind_label=KIND_LABELS.get(document.kind, document.kind),
        community=document.community,
        community_name=document.community_name,
        snippet=snippet,
        last_reviewed=document.last_reviewed,
        next_review=document.next_review,
    )


def _hit_from_es(hit, urls):
    return Hit(
        page_id=hit["page_id"],
        title=hit["title"],
        url=urls(hit["url_path"]),
        kind=hit["kind"],
        kind_label=KIND_LABELS.get(hit["kind"], hit["kind"]),
        community=hit["community"],
        community_name=hit["community_name"],
        snippet=hit["snippet"],
        last_reviewed=hit.get("last_reviewed"),
        next_review=hit.get("next_review"),
    )


def _facet_values(counts, labels, filters):
    facets = {}
    for name in queries.FACETS:
        chosen = filters.get(name, [])
        values = dict(counts.get(name, {}))
        for value in chosen:
            values.setdefault(value, 0)
        items = [
            FacetValue(value=v, label=labels[name].get(v, v), count=n, selected=v in chosen)
            for v, n in values.items()
            if v in labels[name]
        ]
        items.sort(key=lambda item: (-item.count, item.label))
        facets[name] = items
    return facets


# ---------------------------------------------------------------------------------- typo help


def _distance(a, b, limit):
    """Damerau-Levenshtein distance (optimal string alignment), giving up above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2, prev = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def suggest(query):
    """The query with unknown words replaced by the closest known ones, or "" if none is better.

    With Elasticsearch, its term suggester answers; otherwise the database's vocabulary, cached
    under the index version like search answers (the vocabulary only changes with it).
    """
    global _es_down_until
    if backends.elasticsearch_enabled() and time.monotonic() >= _es_down_until:
        try:
            return _suggest_elasticsearch(query)
        except Exception as exc:
            _es_down_until = time.monotonic() + ES_RETRY_SECONDS
            logger.warning("Elasticsearch svarer ikke på stavehjelp (%s); bruker databasen.", exc)
    return database.cached(("suggest", query), lambda: _suggest(query))


def _suggest_elasticsearch(query):
    tokens = words(query)
    if not tokens or len(tokens) > 12:
        return ""
    content = [w for w in tokens if w not in STOP_WORDS and w.isalpha() and len(w) >= 4]
    corrections = {
        word: fixed for word, fixed in elastic.spelling(content).items() if stem(fixed) != stem(word)
    }
    if not corrections:
        return ""
    return " ".join(corrections.get(word, word) for word in tokens)


def _suggest(query):
    tokens = words(query)
    if not tokens or len(tokens) > 12:
        return ""
    content = [w for w in tokens if w not in STOP_WORDS and w.isalpha() and len(w) >= 4]
    known = database.known_words(content)
    changed = False
    out = []
    for word in tokens:
        if word in STOP_WORDS or not word.isalpha() or len(word) < 4 or word in known:
            out.append(word)
            continue
        limit = 1 if len(word) <= 5 else 2
        best, best_key = None, None
        for candidate, frequency in database.vocabulary_candidates(word):
            if stem(candidate) == stem(word):
                best = None
                break
            d = _distance(word, candidate, limit)
            if d <= limit:
                key = (d, -frequency)
                if best_key is None or key < best_key:
                    best, best_key = candidate, key
        if best:
            out.append(best)
            changed = True
        else:
            out.append(word)
    return " ".join(out) if changed else ""


# ---------------------------------------------------------------------------------- the rest


PROMOTED_CACHE_KEY = "search:promoted-queries"


def promoted_queries():
    """The query strings that have promotions (cached; cleared when a promotion changes)."""
    from django.core.cache import cache
    from wagtail.contrib.search_promotions.models import SearchPromotion

    strings = cache.get(PROMOTED_CACHE_KEY)
    if strings is None:
        strings = set(SearchPromotion.objects.values_list("query__query_string", flat=True))
        cache.set(PROMOTED_CACHE_KEY, strings, LABELS_CACHE_SECONDS)
    return strings


def promoted_results(query, request=None):
    """Pages the editors attached to this query (Wagtail search promotions), live ones only."""
    from wagtail.contrib.search_promotions.models import SearchPromotion
    from wagtail.search.utils import normalise_query_string

    try:
        normalised = normalise_query_string(query)
        if normalised not in promoted_queries():
            return []
        promotions = (
            SearchPromotion.objects.filter(query__query_string=normalised)
            .select_related("page")
            .order_by("sort_order")
        )
        out = []
        for pick in promotions:
            if pick.page_id and pick.page.live:
                out.append(
                    {
                        "title": pick.page.title,
                        "url": pick.page.get_url(request),
                        "description": pick.description,
                    }
                )
            elif getattr(pick, "external_link_url", ""):
                out.append(
                    {
                        "title": pick.external_link_text or pick.external_link_url,
                        "url": pick.external_link_url,
                        "description": pick.description,
                    }
                )
        return out
    except Exception:
        logger.exception("Anbefalte treff kunne ikke hentes.")
        return []


def _log_zero_results(query):
    text = " ".join(fold(query).split())[:200]
    if not text:
        return
    table = ZeroResultQuery._meta.db_table
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    try:
        # One statement (SQLite and PostgreSQL both upsert): it runs on every search that finds
        # nothing, and needs no transaction of its own. Inside someone else's transaction a
        # savepoint keeps a failure here from spoiling it.
        with (
            transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                f"INSERT INTO {table} (query, count, first_seen, last_seen) VALUES (%s, 1, %s, %s)"
                f" ON CONFLICT (query) DO UPDATE SET count = {table}.count + 1, last_seen = excluded.last_seen",
                [text, now, now],
            )
    except DatabaseError:
        logger.exception("Søk uten treff kunne ikke lagres.")


def autocomplete(raw_query, *, scope=None, request=None, limit=8):
    """Up to ``limit`` titles that start with or contain words starting with what was typed."""
    query = clean_query(raw_query)[:100]
    tokens = words(query)
    tokens = [w for w in tokens[:-1] if w not in STOP_WORDS] + tokens[-1:]
    tokens = tokens[-6:]
    if not tokens or len(query.strip()) < 2:
        return []
    if backends.elasticsearch_enabled() and time.monotonic() >= _es_down_until:
        try:
            urls = url_maker(request)
            return [
                {"title": s["title"], "url": urls(s["url_path"])}
                for s in elastic.autocomplete(query, scope or [], limit)
            ]
        except Exception as exc:
            logger.warning("Elasticsearch svarer ikke på forslag (%s); bruker databasen.", exc)
    parts = []
    for word in tokens:
        alternatives = {word, stem(word)} if len(word) >= 3 else {word}
        if database.is_postgres():
            parts.append("(" + " | ".join(f"{a}:*A" for a in sorted(alternatives)) + ")")
        else:
            parts.append("(" + " OR ".join(f'"{a}"*' for a in sorted(alternatives)) + ")")
    if database.is_postgres():
        match = " & ".join(parts)
    else:
        match = "{title} : (" + " AND ".join(parts) + ")"
    documents = database.autocomplete(match, scope or [], limit)
    urls = url_maker(request)
    return [{"title": d.title, "url": urls(d.url_path)} for d in documents]
