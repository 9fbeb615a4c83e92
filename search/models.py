"""The database search index, the editors' synonym list and the log of searches without results.

One ``SearchDocument`` per live, public content page holds what search shows (title, snippet
source, type, community, review date) and its facet values (``facet_key``). The full-text part
is each database's own: on PostgreSQL the two ``tsvector`` fields below with their GIN indexes;
on SQLite an FTS5 table beside the documents (``search_fts``, migration 0002), and the two
fields stay empty. Both are filled from the same Python analysis chain (``search.analysis``).
"""

import functools

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from wagtail.admin.panels import FieldPanel

from core.models import VersionToken
from search.analysis import analyze
from search.synonym_list import split_synonyms


class SearchDocument(models.Model):
    page = models.OneToOneField("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("type", max_length=30, db_index=True)
    community = models.CharField("helsefellesskap", max_length=100, db_index=True)
    community_name = models.CharField(max_length=255, blank=True)
    path = models.CharField(max_length=255, db_index=True)
    url_path = models.TextField()
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    last_reviewed = models.DateField(null=True, blank=True)
    next_review = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Type, community, target groups and topics as sorted "name:value" lines: documents with the
    # same facets have the same key, and SQLite counts facets by grouping matches on it.
    facet_key = models.TextField(blank=True, default="")
    # PostgreSQL (empty on SQLite): the analysed title (A), summary (B), taxonomy (C) and body (D),
    # which finds and ranks; and the title alone, which picks the pages worth ranking when a
    # query matches very many (search.backends.database.postgres).
    search_vector = SearchVectorField(null=True, editable=False)
    title_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = "søkedokument"
        # Created on PostgreSQL only (migration 0011): SQLite has no GIN indexes, and its FTS5
        # table is its index. A short pending list (migration 0022): every search reads it whole.
        indexes = [
            GinIndex(fields=["search_vector"], name="search_document_vector", gin_pending_list_limit=64),
            GinIndex(fields=["title_vector"], name="search_document_title_vector", gin_pending_list_limit=64),
        ]
        verbose_name_plural = "søkedokumenter"

    def __str__(self):
        return self.title


class IndexAnalysis(models.Model):
    """One row: the digest of the analysis the database index was last rebuilt with
    (``search.fingerprint.database``), which ``rebuild_search_index --if-stale`` compares with the
    running code's."""

    fingerprint = models.CharField("analysens fingeravtrykk", max_length=64)
    built_at = models.DateTimeField("bygget", auto_now=True)

    class Meta:
        verbose_name = "søkeindeksens analyse"
        verbose_name_plural = "søkeindeksens analyse"

    def __str__(self):
        return self.fingerprint


class IndexVersion(VersionToken):
    """One row whose token changes with every change to the database index.

    Cached search answers carry the token they were computed at, so a publish on any app server
    makes every server's cached answers stale at once (the cache itself may be per process). A
    random token, not a counter: a rolled-back change can never bring back a number that a
    different index state has used.
    """

    class Meta:
        verbose_name = "indeksversjon"


class GroupsVersion(VersionToken):
    """One row whose token changes with every change to what the query parser's groups are made of:
    the synonym list and the communities' names (``search.queries.synonym_groups``).

    Every publish writes a new content version (``core.pagecache``), and each process then asked
    the database for the synonyms' texts and the communities' names again at its next search:
    3-3.5 ms of a search after each publish, for a list a publish almost never changes. A
    process now reads this row instead, and the texts only when it moved
    (``search.signals.on_groups_changed``).
    """

    class Meta:
        verbose_name = "versjon av synonymgruppene"


class SearchTerm(models.Model):
    """A word seen in titles, summaries and taxonomy: the vocabulary for "Mente du …?"."""

    word = models.CharField(max_length=60, unique=True)
    first = models.CharField(max_length=1, db_index=True)
    length = models.PositiveSmallIntegerField()
    frequency = models.PositiveIntegerField(default=1)

    def __str__(self):
        return self.word


class Synonym(models.Model):
    """Words and abbreviations that mean the same; a search for one finds the others.

    A one-way group is an umbrella term and its narrower terms: a search for the term also finds
    the synonyms, a search for a synonym does not find everything about the term.
    """

    term = models.CharField(
        "ord eller forkortelse",
        max_length=100,
        unique=True,
        help_text="For eksempel «KOLS».",
    )
    synonyms = models.TextField(
        "betyr det samme som",
        help_text=(
            "Ett uttrykk per linje, for eksempel «kronisk obstruktiv lungesykdom». "
            "Virker begge veier, om ikke «Bare én vei» er krysset av."
        ),
    )
    one_way = models.BooleanField(
        "Bare én vei (overbegrep → underbegrep)",
        default=False,
        help_text=(
            "Kryss av når ordet er et overbegrep: et søk på «hjertesykdom» finner også "
            "«hjerteinfarkt» og «hjertesvikt», men et søk på «hjerteinfarkt» finner ikke alt om hjertesykdom."
        ),
    )
    updated_at = models.DateTimeField("sist endret", auto_now=True)

    panels = [FieldPanel("term"), FieldPanel("synonyms"), FieldPanel("one_way")]

    class Meta:
        ordering = ["term"]
        verbose_name = "synonym"
        verbose_name_plural = "synonymer og forkortelser"

    def __str__(self):
        return self.term


def expressions(term, synonyms):
    """A synonym group's term and its synonyms (one per line), each as (stems without stop words,
    the words as written); a new list each time.

    An expression of stop words only (the illness «ME», the word «me») keeps them: the parser
    enters such a group only by a query that writes the word in capitals (``queries.parse``).
    Worked out once per process for each text (``_expressions``): every publish makes each process
    read the groups again (``queries.synonym_groups``), and analysing the 1,309 groups of the
    shipped list took 18 of the 21 ms that cost."""
    return list(_expressions(term, synonyms))


@functools.lru_cache(maxsize=16384)
def _expressions(term, synonyms):
    raw = [term] + split_synonyms(synonyms)
    result, seen = [], set()
    for expression in raw:
        stems = tuple(analyze(expression) or analyze(expression, keep_stop_words=True))
        if stems and stems not in seen:
            seen.add(stems)
            result.append((stems, " ".join(expression.split())))
    return tuple(result)


class ZeroResultQuery(models.Model):
    """A search that found nothing, and how often readers made it: what the portal is missing."""

    query = models.CharField("søk", max_length=200, unique=True)
    count = models.PositiveIntegerField("antall", default=0)
    first_seen = models.DateTimeField("første gang", auto_now_add=True)
    last_seen = models.DateTimeField("siste gang", auto_now=True)

    class Meta:
        ordering = ["-count", "-last_seen"]
        verbose_name = "søk uten treff"
        verbose_name_plural = "søk uten treff"

    def __str__(self):
        return self.query
