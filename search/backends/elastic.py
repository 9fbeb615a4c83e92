"""The Elasticsearch backend: index changes, alias-swapping rebuilds and searches.

Every call may raise (cluster down, timeouts); callers log and fall back to the database.
"""

import datetime
import functools
import html

from django.conf import settings
from elasticsearch import Elasticsearch, helpers

from search import queries
from search.documents import ALIAS, PageDocument, build_index

TIMEOUT_SECONDS = 3


def node_urls(setting):
    """ELASTICSEARCH_URL may name several nodes of one cluster, comma-separated."""
    return [url.strip() for url in setting.split(",") if url.strip()]


@functools.lru_cache(maxsize=1)
def _client(url):
    return Elasticsearch(node_urls(url), request_timeout=TIMEOUT_SECONDS, max_retries=0)


def client():
    return _client(settings.ELASTICSEARCH_URL)


def _action(doc, index):
    data = PageDocument.from_data(doc).to_dict(include_meta=False)
    return {"_op_type": "index", "_index": index, "_id": doc["page_id"], "_source": data}


def ensure_index():
    """Create a first index behind the alias if there is none."""
    es = client()
    if not es.indices.exists_alias(name=ALIAS):
        name = new_index_name()
        build_index(name, queries.synonym_groups()).create(using=es)
        es.indices.put_alias(index=name, name=ALIAS)


def index_documents(docs):
    ensure_index()
    helpers.bulk(client(), (_action(doc, ALIAS) for doc in docs), refresh="wait_for")


def remove_documents(page_ids):
    actions = ({"_op_type": "delete", "_index": ALIAS, "_id": pk} for pk in page_ids)
    helpers.bulk(client(), actions, raise_on_error=False, refresh="wait_for")


def new_index_name():
    return f"{ALIAS}-{datetime.datetime.now(datetime.UTC):%Y%m%d%H%M%S%f}"


def rebuild(docs, progress=None):
    """Build a complete new index, then point the alias at it in one step and drop the old ones.

    Readers keep searching the old index until the swap, so search never goes empty.
    """
    es = client()
    name = new_index_name()
    build_index(name, queries.synonym_groups()).create(using=es)
    done = 0
    for _ok, _ in helpers.streaming_bulk(es, (_action(doc, name) for doc in docs), chunk_size=500):
        done += 1
        if progress and done % 100 == 0:
            progress(done)
    es.indices.refresh(index=name)
    old = list(es.indices.get_alias(name=ALIAS).keys()) if es.indices.exists_alias(name=ALIAS) else []
    actions = [{"remove": {"index": index, "alias": ALIAS}} for index in old]
    actions.append({"add": {"index": name, "alias": ALIAS}})
    es.indices.update_aliases(actions=actions)
    existing = es.indices.get(index=f"{ALIAS}-*", ignore_unavailable=True, allow_no_indices=True)
    for index in indexes_to_drop(list(existing.keys()) + old, name):
        es.indices.delete(index=index, ignore_unavailable=True)
    return name


def indexes_to_drop(names, current):
    """Our indexes other than ``current``: the one the alias left, and any that a rebuild which
    was interrupted before its swap left behind (never aliased, never read, taking disk)."""
    prefix = f"{ALIAS}-"
    return sorted({n for n in names if n != current and n.startswith(prefix) and n[len(prefix) :].isdigit()})


def _date(value):
    if not value:
        return None
    return datetime.date.fromisoformat(str(value)[:10])


def search(parsed, filters, scope, offset, limit):
    response = queries.es_search(parsed, filters, scope, offset, limit).using(client()).execute()
    hits = []
    for hit in response.hits:
        fragments = getattr(hit.meta, "highlight", None)
        snippet = ""
        if fragments is not None:
            for field in ("summary", "body"):
                if field in fragments and "<mark>" in fragments[field][0]:
                    snippet = fragments[field][0]
                    break
            if not snippet and "summary" in fragments:
                snippet = fragments["summary"][0]
        hits.append(
            {
                "page_id": hit.page_id,
                "title": hit.title,
                "url_path": hit.url_path,
                "kind": hit.kind,
                "community": hit.community,
                "community_name": getattr(hit, "community_name", ""),
                "snippet": snippet or html.escape(""),
                "last_reviewed": _date(getattr(hit, "last_reviewed", None)),
                "next_review": _date(getattr(hit, "next_review", None)),
            }
        )
    facets = {
        name: {bucket.key: bucket.doc_count for bucket in response.aggregations[name]["values"].buckets}
        for name in queries.ES_FACET_FIELDS
    }
    return {"hits": hits, "total": response.hits.total.value, "facets": facets}


def autocomplete(text, scope, limit):
    response = queries.es_autocomplete(text, scope, limit).using(client()).execute()
    out = []
    for option in response.suggest["titles"][0].options:
        source = option._source
        if scope and source.community not in scope:
            continue
        out.append({"title": source.title, "url_path": source.url_path})
        if len(out) >= limit:
            break
    return out
