"""The Elasticsearch index as data: mapping, Norwegian analysis and generated queries.

The integration tests at the end need a real cluster: they run when ELASTICSEARCH_URL is set
and are skipped otherwise.
"""

import os

import pytest

from search import queries
from search.documents import ALIAS, PageDocument, build_index, fold_mappings, synonym_rules

GROUPS = [[(("kol",), "KOLS"), (("kronisk", "obstruktiv", "lungesykdom"), "kronisk obstruktiv lungesykdom")]]


@pytest.fixture
def index_body():
    return build_index("kompetanse-sok-test", GROUPS).to_dict()


def test_mapping_has_keyword_facets_tree_fields_and_dates(index_body):
    properties = index_body["mappings"]["properties"]
    for field in ("kind", "community", "target_groups", "topics", "path"):
        assert properties[field]["type"] == "keyword"
    assert properties["depth"]["type"] == "integer"
    assert properties["next_review"]["type"] == "date"
    assert properties["suggest"]["type"] == "completion"
    assert properties["title"]["fields"]["raw"]["type"] == "keyword"


def test_text_fields_use_the_norwegian_chain_with_synonyms_at_search_time(index_body):
    properties = index_body["mappings"]["properties"]
    for field in ("title", "summary", "taxonomy", "body"):
        assert properties[field]["analyzer"] == "nb_index"
        assert properties[field]["search_analyzer"] == "nb_search"
    analysis = index_body["settings"]["analysis"]
    assert analysis["analyzer"]["nb_index"]["filter"] == ["lowercase", "nb_stop", "nb_stemmer"]
    assert analysis["analyzer"]["nb_search"]["filter"] == [
        "lowercase",
        "nb_synonyms",
        "nb_stop",
        "nb_stemmer",
    ]
    assert analysis["filter"]["nb_stemmer"] == {"type": "stemmer", "language": "norwegian"}
    assert analysis["filter"]["nb_stop"]["stopwords"] == "_norwegian_"
    assert analysis["filter"]["nb_synonyms"]["type"] == "synonym_graph"
    assert analysis["filter"]["nb_synonyms"]["synonyms"] == ["kols, kronisk obstruktiv lungesykdom"]


def test_folding_keeps_aeoa_and_folds_other_accents():
    mappings = fold_mappings()
    assert "é => e" in mappings and "É => e" in mappings and "ö => ø" in mappings
    assert not any(m.startswith(("æ", "ø", "å", "Æ", "Ø", "Å")) for m in mappings)


def test_synonym_rules_come_from_the_editors_list(db):
    rules = synonym_rules(queries.synonym_groups())
    assert "kols, kronisk obstruktiv lungesykdom" in rules
    assert any(rule.startswith("dps, distriktspsykiatrisk senter") for rule in rules)


def test_generated_query_ors_concepts_with_synonyms_fuzziness_and_phrase_bonus():
    body = queries.es_search(queries.parse("KOLS hjemmeoppfølging", GROUPS), {}, [], 0, 10).to_dict()
    should = body["query"]["bool"]["should"]
    assert body["query"]["bool"]["minimum_should_match"] == 1
    kols = should[0]["dis_max"]["queries"]
    assert kols[0]["multi_match"]["fuzziness"] == "AUTO"
    assert kols[1]["multi_match"] == {
        "query": "kronisk obstruktiv lungesykdom",
        "fields": queries.ES_FIELDS,
        "type": "phrase",
    }
    assert should[-1]["multi_match"]["type"] == "phrase"  # the two words together rank higher
    assert body["highlight"]["pre_tags"] == ["<mark>"] and body["highlight"]["encoder"] == "html"
    assert body["track_total_hits"] is True


def test_generated_query_scopes_filters_and_counts_facets_disjunctively():
    parsed = queries.parse("legemidler", [])
    body = queries.es_search(
        parsed, {"type": ["procedure"], "topic": ["legemidler"]}, ["oslo", "sentral"], 10, 10
    )
    body = body.to_dict()
    assert body["query"]["bool"]["filter"] == [{"terms": {"community": ["oslo", "sentral"]}}]
    assert body["post_filter"]["bool"]["filter"] == [
        {"terms": {"kind": ["procedure"]}},
        {"terms": {"topics": ["legemidler"]}},
    ]
    # The type facet counts ignore the type filter but respect the topic filter.
    assert body["aggs"]["type"]["filter"]["bool"]["filter"] == [{"terms": {"topics": ["legemidler"]}}]
    assert body["aggs"]["topic"]["aggs"]["values"]["terms"]["field"] == "topics"
    assert body["from"] == 10 and body["size"] == 10


def test_autocomplete_uses_the_completion_suggester():
    body = queries.es_autocomplete("legem", [], 8).to_dict()
    assert body["suggest"]["titles"]["prefix"] == "legem"
    assert body["suggest"]["titles"]["completion"]["field"] == "suggest"


def test_document_carries_completion_inputs_for_each_title_word():
    doc = PageDocument.from_data(
        {
            "page_id": 7,
            "kind": "procedure",
            "community": "oslo",
            "community_name": "Oslo",
            "path": "0001",
            "depth": 5,
            "url_path": "/hjem/oslo/prosedyrer/x/",
            "title": "Henvisning til BUP",
            "summary": "",
            "taxonomy": "",
            "body": "",
            "target_groups": [],
            "topics": [],
            "last_reviewed": None,
            "next_review": None,
        }
    )
    assert doc.meta.id == 7
    assert doc.suggest == {"input": ["Henvisning til BUP", "til BUP", "BUP"]}


def test_search_falls_back_to_the_database_when_the_cluster_is_down(pages, settings, caplog):
    from search import service

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    service._es_down_until = 0.0
    result = service.run_search("BUP")
    assert result.backend == "database"
    assert [hit.title for hit in result.hits] == ["Henvisning til BUP"]
    assert "Elasticsearch svarer ikke" in caplog.text
    service._es_down_until = 0.0


needs_cluster = pytest.mark.skipif(
    not os.environ.get("ELASTICSEARCH_URL"),
    reason="ELASTICSEARCH_URL er ikke satt: integrasjonstestene trenger en Elasticsearch-klynge.",
)


@pytest.mark.elasticsearch
@needs_cluster
def test_cluster_rebuild_swaps_the_alias_and_search_finds_synonyms(pages, settings):
    from search import indexing, service
    from search.backends import elastic

    settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
    docs = [indexing.document_for(page) for page in indexing.searchable_pages()]
    first = elastic.rebuild(iter(docs))
    second = elastic.rebuild(iter(docs))
    aliases = elastic.client().indices.get_alias(name=ALIAS)
    assert list(aliases) == [second] and first != second
    service._es_down_until = 0.0
    result = service.run_search("kronisk obstruktiv lungesykdom")
    assert result.backend == "elasticsearch"
    assert result.hits[0].title.startswith("Digital hjemmeoppfølging")
    assert "<mark>" in result.hits[0].snippet
    assert result.facets["community"]


@pytest.mark.elasticsearch
@needs_cluster
def test_cluster_autocomplete_and_removal(pages, settings):
    from search import indexing, service
    from search.backends import elastic

    settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
    elastic.rebuild(indexing.document_for(page) for page in indexing.searchable_pages())
    assert service.autocomplete("Henvis")[0]["title"] == "Henvisning til BUP"
    elastic.remove_documents([pages["bup"].pk])
    assert service.run_search("BUP").total == 0


def test_several_cluster_nodes_and_replicas_come_from_the_settings(settings):
    from search.backends.elastic import _client, client

    settings.ELASTICSEARCH_URL = "http://es1.internal:9200, http://es2.internal:9200,http://es3.internal:9200"
    settings.ELASTICSEARCH_REPLICAS = 2
    _client.cache_clear()
    try:
        hosts = sorted(node.config.host for node in client().transport.node_pool.all())
        assert hosts == ["es1.internal", "es2.internal", "es3.internal"]
    finally:
        _client.cache_clear()
    assert build_index("kompetanse-sok-test", GROUPS).to_dict()["settings"]["number_of_replicas"] == 2
