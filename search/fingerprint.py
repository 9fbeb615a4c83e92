"""Which analysis built the search index, so that a release that changes it rebuilds the index.

The database index holds each page's stems and compound parts as the analysis chain made them when
the page was indexed (``search.analysis``, ``search.compounds`` and their word lists in
``search/data``). A release that changes a stem («migrene»: ``migr`` → ``migren``) or a word list
leaves the old stems in the index: searches analysed by the new code miss those pages until the
index is rebuilt. An Elasticsearch index has its own analysis chain in its definition
(``search.documents``) and the compound parts the portal adds to each document.

``database()`` and ``elasticsearch()`` are digests of what each index depends on. The chain is
fingerprinted by what it *does*: its output for every word of the portal's word lists (stems,
stop words, compound parts), so that a change to the code or to a list shows without anyone
having to remember to bump a number. ``rebuild_search_index --if-stale``, which the Procfile's
release step runs, compares them with what each index records (``IndexAnalysis`` in the database,
the ``_meta`` of the Elasticsearch mapping) and rebuilds only an index built otherwise.
(Neither Wagtail nor Elasticsearch knows that an index was built by other code than runs now:
Wagtail's ``update_index`` is always a full rebuild, left to the operator.)

A change to the synonym list (``synonymer.csv``, the editors' list) needs no rebuild: synonyms are
applied when a query is parsed, so that file is not part of the digest.
"""

import functools
import hashlib
import json

from search import analysis, compounds

# The word lists whose words probe the chain: every list but the synonyms.
DATA_DIR = analysis.WORD_FORMS.parent
PROBED_LISTS = "*.txt"


def _digest(*parts):
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(json.dumps(part, ensure_ascii=False, sort_keys=True).encode())
        hasher.update(b"\0")
    return hasher.hexdigest()


@functools.lru_cache(maxsize=1)
def database():
    """The digest of the database index's analysis: the word lists, and the stems and compound
    parts the chain makes of each of their words."""
    texts = {path.name: path.read_text(encoding="utf-8") for path in sorted(DATA_DIR.glob(PROBED_LISTS))}
    probe = sorted({word for text in texts.values() for word in analysis.words(text)})
    joined = " ".join(probe)
    return _digest(
        texts,
        sorted(analysis.STOP_WORDS),
        analysis.analyze(joined),
        compounds.parts_text(joined, vocabulary=frozenset()),
    )


def elasticsearch(definition):
    """The digest of an Elasticsearch index: its definition (settings, analysis, mapping) without
    what may differ between clusters (replicas) and without the digest itself, and the database
    chain's digest, whose compound parts go into every document."""
    definition = json.loads(json.dumps(definition))
    definition.get("settings", {}).pop("number_of_replicas", None)
    definition.get("mappings", {}).pop("_meta", None)
    return _digest(definition, database())
