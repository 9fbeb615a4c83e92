"""The Elasticsearch index: the page document, its mapping and the Norwegian analysis chain.

Wagtail's own Elasticsearch backend has one analyzer per index, so the reader-facing index is
defined here with elasticsearch.dsl:

- ``nb_fold`` (char filter) folds accents the way ``analysis.fold`` does, but keeps æ, ø and å
  (``asciifolding`` would turn them into ae, o and a, and "får" would meet "far").
- ``nb_index`` analyses page text: standard tokenizer, folding, lowercase, Norwegian stop words,
  the Norwegian Snowball stemmer.
- Queries are analysed with the same chain. The editors' synonyms are not part of the index: the
  query builder (``search.queries``) expands them at search time, the same way for every backend, so
  a change to the synonym list takes effect at once, without a reindex.
- ``title_parts``, ``summary_parts``, ``taxonomy_parts`` and ``body_parts`` hold the parts of each
  field's compounds (``search.compounds``, the splitter the database backends use, with the same
  word list), analysed like the field: a query's «fall» finds a page's «fallforebygging». They are
  searched with their field's weight and never shown. Snippets are the portal's, made from the
  hits' summaries and bodies as on the database (``search.snippets``): the node highlights nothing,
  so no field keeps its words' offsets.
- ``stems`` holds every stem of the page, its compounds' parts included, in one field: which
  pages have a word, in any field, is counted there once rather than in eight
  (``elastic.concept_rarities``, ``elastic.known_words_request``). It keeps only which pages have
  each stem (``index_options="docs"``, no norms): it is never searched for a score.
- ``spell`` keeps unstemmed words for Elasticsearch's term suggester (spelling help), ``suggest``
  the titles for the completion suggester, with the community as context so that autocomplete is
  scoped inside Elasticsearch (every community's context when the scope is every community).

The index name is ``settings.ELASTICSEARCH_INDEX`` (an alias; each rebuild makes a new index behind
it), so that several portals or test runs can share one cluster.
"""

from django.conf import settings
from elasticsearch.dsl import (
    Byte,
    Completion,
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    MetaField,
    Text,
    analyzer,
    char_filter,
    token_filter,
)

from search import analysis, fingerprint, params
from search.analysis import LEGE_LOV_PATTERN, STOP_WORDS
from search.compounds import TEXT_FIELDS, document_parts
from search.snippets import SNIPPET_SOURCE_CHARS

# The key of the analysis fingerprint (``search.fingerprint``) in the mapping's ``_meta``.
FINGERPRINT = "analysis_fingerprint"


def alias():
    """The alias readers search; the concrete indexes behind it are ``<alias>-<timestamp>``."""
    return settings.ELASTICSEARCH_INDEX


# Accented letters folded onto their base letter; æ, ø, å stay, ä and ö join æ and ø.
FOLD_PAIRS = {
    "á": "a", "à": "a", "â": "a", "ã": "a", "ā": "a", "ä": "æ", "ç": "c", "é": "e", "è": "e",
    "ê": "e", "ë": "e", "í": "i", "ì": "i", "î": "i", "ï": "i", "ñ": "n", "ó": "o", "ò": "o",
    "ô": "o", "õ": "o", "ö": "ø", "ú": "u", "ù": "u", "û": "u", "ü": "u", "ý": "y", "ÿ": "y",
    "š": "s", "ž": "z", "č": "c", "ß": "ss",
}  # fmt: skip


def fold_mappings():
    pairs = []
    for source, target in FOLD_PAIRS.items():
        pairs.append(f"{source} => {target}")
        if source.upper() != source and len(source.upper()) == 1:
            pairs.append(f"{source.upper()} => {target}")
    return pairs


nb_fold = char_filter("nb_fold", "mapping", mappings=fold_mappings())
# The portal's own stop list (Snowball's Norwegian list plus a reader's question words), as in
# search.analysis, so that both chains drop the same words.
nb_stop = token_filter("nb_stop", "stop", stopwords=sorted(STOP_WORDS))
nb_stemmer = token_filter("nb_stemmer", "stemmer", language="norwegian")
# search.analysis.stem evens out Snowball's stems so that legemiddel and legemidler meet, and
# bruker and brukere: a final -el after a consonant loses its e, and a doubled consonant before it
# is made single; a final -er is dropped. The same rule as two pattern_replace
# filters keeps the index's stems equal to the database backends' (a group that did not take part
# in the match adds nothing to the replacement).
nb_stem_double = token_filter(
    "nb_stem_double", "pattern_replace", pattern=r"^(.+?)([bdfgklmnprstv])\2el$", replacement="$1$2l"
)
nb_stem_el_er = token_filter(
    "nb_stem_el_er",
    "pattern_replace",
    pattern="^(?:(.{2,}[^aeiouyæøå])e(l)|(.{3,})er)$",
    replacement="$1$2$3",
)

# search.analysis.stem keeps «lege» and «lov» in their compounds («fastlege», «helseloven»), where
# Snowball would cut them off: their forms are made «…legq»/«…lovq», which the stemmer leaves as
# they are (no Norwegian ending ends in q), and the q is taken off after it. (A keyword_marker
# filter would say it more plainly, but the test node's analysis plugin, elasticsearch-runner/,
# has only the filters the index used so far.)
nb_lege_lov = token_filter(
    "nb_lege_lov",
    "pattern_replace",
    pattern=LEGE_LOV_PATTERN,
    replacement="$1$2q",
)
nb_lege_lov_back = token_filter(
    "nb_lege_lov_back", "pattern_replace", pattern=r"^(.+(?:leg|lov))q$", replacement="$1"
)


def stem_exception_filters():
    """The stems of search/data/stammer.txt (``analysis.stem_exceptions``) in the index's chain: one
    filter per stem makes each of its forms «<stem>qq», which the stemmer and the filters after it
    leave as it is (no Norwegian ending ends in q), and ``nb_stem_exception_back`` takes the qq
    off, so that «migrene» is «migren» here too, as on the database backends."""
    forms = {}
    for form, own in analysis.stem_exceptions().items():
        forms.setdefault(own, []).append(form)
    return [
        token_filter(
            f"nb_stem_exception_{number}",
            "pattern_replace",
            pattern="^(?:" + "|".join(sorted(forms[own])) + ")$",
            replacement=f"{own}qq",
        )
        for number, own in enumerate(sorted(forms))
    ]


nb_stem_exception_back = token_filter(
    "nb_stem_exception_back", "pattern_replace", pattern=r"^(.+)qq$", replacement="$1"
)

nb_index = analyzer(
    "nb_index",
    tokenizer="standard",
    char_filter=[nb_fold],
    filter=[
        "lowercase",
        nb_stop,
        *stem_exception_filters(),
        nb_lege_lov,
        nb_stemmer,
        nb_stem_double,
        nb_stem_el_er,
        nb_lege_lov_back,
        nb_stem_exception_back,
    ],
)
nb_plain = analyzer("nb_plain", tokenizer="standard", char_filter=[nb_fold], filter=["lowercase"])


def text_field(**kwargs):
    return Text(analyzer=nb_index, copy_to=["spell", "stems"], **kwargs)


def parts_field():
    return Text(analyzer=nb_index, copy_to="stems")


class PageDocument(Document):
    page_id = Integer()
    kind = Keyword()
    # 1 for the guidance (``params.GUIDANCE_KINDS``), 0 for the pages that point to it: a number,
    # so that the script that saturates each concept of a query can weigh the page by its kind
    # from the field's doc values (``elastic.request.WEIGHED_SATURATE``) in place of a filter per kind.
    guidance = Byte()
    community = Keyword()
    community_name = Keyword()
    path = Keyword()
    depth = Integer()
    url_path = Keyword(index=False)
    title = text_field(fields={"raw": Keyword()})
    summary = text_field()
    taxonomy = text_field()
    body = text_field()
    # The beginning of the body that snippets are made from (``search.snippets``), kept in the
    # source only: the body itself and the compounds' parts are searched, never read back
    # (``Meta.source``), so a hit brings a few kilobytes, however long its page.
    snippet_body = Text(index=False)
    title_parts = parts_field()
    summary_parts = parts_field()
    taxonomy_parts = parts_field()
    body_parts = parts_field()
    stems = Text(analyzer=nb_index, index_options="docs", norms=False)
    target_groups = Keyword(multi=True)
    topics = Keyword(multi=True)
    last_reviewed = Date()
    next_review = Date()
    spell = Text(analyzer=nb_plain)
    # Each title is suggested in its community's context; a search across all communities asks
    # for every community's (``elastic.autocomplete``).
    suggest = Completion(
        analyzer=nb_plain,
        preserve_separators=False,
        contexts=[{"name": "community", "type": "category"}],
    )

    class Meta:
        # What is searched but never read back stays out of the stored source: a page's whole body
        # and its compounds' parts (the index is rebuilt from the database, never from itself).
        source = MetaField(excludes=["body", *(f"{field}_parts" for field in TEXT_FIELDS)])

    @classmethod
    def from_data(cls, doc):
        title_words = doc["title"].split()
        inputs = [" ".join(title_words[i:]) for i in range(min(len(title_words), 6))]
        parts = document_parts(doc)
        return cls(
            **{f"{field}_parts": parts[field] for field in TEXT_FIELDS},
            meta={"id": doc["page_id"]},
            page_id=doc["page_id"],
            kind=doc["kind"],
            guidance=int(doc["kind"] in params.GUIDANCE_KINDS),
            community=doc["community"],
            community_name=doc["community_name"],
            path=doc["path"],
            depth=doc["depth"],
            url_path=doc["url_path"],
            title=doc["title"],
            summary=doc["summary"],
            taxonomy=doc["taxonomy"],
            body=doc["body"],
            snippet_body=doc["body"][:SNIPPET_SOURCE_CHARS],
            target_groups=doc["target_groups"],
            topics=doc["topics"],
            last_reviewed=doc["last_reviewed"],
            next_review=doc["next_review"],
            suggest={"input": inputs, "contexts": {"community": [doc["community"]]}},
        )


# How Lucene merges the small segments that publishes leave. Each page a publish writes becomes a
# segment of its own at the node's next refresh, and every search visits every segment: for the
# long query of bench/search_bench.py about half a millisecond each, however few pages it holds
# (its hundreds of term lookups are made in each). Lucene's default policy counts a small segment
# as 2 MB and lets ten of a size be before merging them, so beside a portal's few hundred
# megabytes a stream of publishes kept 16-22 segments, and the long query's `took` at 100,000
# pages was 46-51 ms at the median instead of 34-35 on the merged index. Segments under 100 MB
# counted as that size and merged three at a time, the index keeps five or six: 36-41 ms, for
# about three times the merging time (1,500 publishes, each its own segment: about 135 MB merged
# in 11-16 s of the node's time against 72 MB in 4-5 s; docs/benchmarks.md, «Segments left by
# publishes»). A rebuild merges its index into one segment anyway (``nodes.merge_to_one_segment``).
MERGE_POLICY = {"floor_segment": "100mb", "segments_per_tier": 3, "max_merge_at_once": 3}


def build_index(name):
    """An Index definition (settings, analysis and mapping) for a concrete index name."""
    index = Index(name)
    # One shard holds the whole portal; replicas are per cluster (2 on three nodes: every node
    # keeps a full copy, so one node can be lost).
    replicas = getattr(settings, "ELASTICSEARCH_REPLICAS", 0)
    index.settings(
        number_of_shards=1,
        number_of_replicas=replicas,
        max_result_window=20000,
        merge={"policy": MERGE_POLICY},
    )
    index.analyzer(nb_index)
    index.analyzer(nb_plain)
    index.document(PageDocument)
    # What the index was built with, read back by ``rebuild_search_index --if-stale``.
    index.get_or_create_mapping().meta("_meta", {FINGERPRINT: fingerprint.elasticsearch(index.to_dict())})
    return index


def recorded_fingerprint(mapping):
    """The fingerprint an index's mapping (as Elasticsearch returns it) was built with, or None."""
    return mapping.get("_meta", {}).get(FINGERPRINT)
