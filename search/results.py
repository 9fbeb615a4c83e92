"""What a search returns: hits, facet values and the result page, built from either backend's answer."""

import dataclasses
import datetime

from wagtail.models import Page

from kompetanse.models import CENTRAL_SLUG, KIND_LABELS
from kompetanse.review import ReviewStatus
from search import queries

# What each backend gives for a hit besides its snippet (``Hit`` makes ``url`` of ``url_path``):
# the columns the database backend reads, the fields Elasticsearch returns of its documents.
HIT_FIELDS = (
    "page_id",
    "title",
    "url_path",
    "kind",
    "community",
    "community_name",
    "last_reviewed",
    "next_review",
)


@dataclasses.dataclass
class Hit:
    page_id: int
    title: str
    url: str
    kind: str
    community: str
    community_name: str
    snippet: str
    last_reviewed: datetime.date | None
    next_review: datetime.date | None

    @property
    def is_shared(self):
        """A page of the shared content (Felles innhold), searched in every community's scope."""
        return self.community == CENTRAL_SLUG

    @property
    def kind_label(self):
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def review_status(self):
        """Where the page stands with its next review today (the page's own rule)."""
        return ReviewStatus.of(self.next_review)


@dataclasses.dataclass
class Suggestions:
    """Autocomplete's answer: up to eight ``{"title", "url"}`` and the backend that answered."""

    items: list
    backend: str = "database"

    @property
    def same_for_every_reader(self):
        """As for ``SearchResult``: the database's titles may be kept under the index version."""
        return self.backend == "database"


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
    # The query as counted for the editors' report of searches without hits (search.zero_hits),
    # when it found nothing (the answer may be the spelling correction's); "" otherwise.
    counted_without_hits: str = ""

    @property
    def same_for_every_reader(self):
        """Whether the whole answer page may be kept and shown to the next reader who asks the
        same (``kompetanse.caching.share_with_readers``; ``core.pagecache`` keys it on the index
        version, and counts a search without hits again on every hit). Not when Elasticsearch
        answered: its index changes at its own refresh, after the index version, so a kept page
        could outlive what it shows."""
        return self.backend == "database"

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


def url_maker(request=None):
    """A function from a page's url_path to its URL, as ``Page.get_url`` gives it: relative on the
    reader's own site (``request``) or when there is only one site, with the site's root otherwise.

    Hits carry the url_path, not the page: one unsaved page stands in for each in turn, so that
    Wagtail's site matching runs without a query per hit, and without a request the sites are
    looked up once (Wagtail keeps them on the request, or on the page when there is none).
    """
    stand_in = Page()

    def url_for(url_path):
        stand_in.url_path = url_path
        # A page outside every site has no URL; its tree path is shown, as always.
        return stand_in.get_url(request) or url_path

    return url_for


def hits(found, request=None):
    """Hits from a backend's answer (``search.backends.find``), with URLs for the reader's site."""
    url_for = url_maker(request)
    return [
        Hit(
            page_id=hit["page_id"],
            title=hit["title"],
            url=url_for(hit["url_path"]),
            kind=hit["kind"],
            community=hit["community"],
            community_name=hit["community_name"],
            snippet=hit["snippet"],
            last_reviewed=hit.get("last_reviewed"),
            next_review=hit.get("next_review"),
        )
        for hit in found["hits"]
    ]


def facet_values(counts, labels, filters):
    """Each facet's values with their labels and counts, the selected ones included even at 0."""
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
