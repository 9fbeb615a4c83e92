"""The Elasticsearch index as data (mapping, analysis, generated queries), then the backend against
a real node: the tests marked ``elasticsearch`` use the ``elasticsearch`` fixture
(tests/search/conftest.py), which needs TEST_ELASTICSEARCH_URL (`make elasticsearch`).
"""

import dataclasses
import threading

import pytest
from elasticsearch.dsl import Q

from search import params, queries
from search.analysis import STOP_WORDS, stem_exceptions
from search.backends import elastic
from search.documents import PageDocument, build_index, fold_mappings
from tests.search.conftest import SEASONS, publish_page, publish_seasonal_plans

GROUPS = [[(("kol",), "KOLS"), (("kronisk", "obstruktiv", "lungesykdom"), "kronisk obstruktiv lungesykdom")]]


@pytest.fixture
def index_body():
    return build_index("kompetanse-sok-test").to_dict()


def test_mapping_has_keyword_facets_tree_fields_and_dates(index_body):
    properties = index_body["mappings"]["properties"]
    for field in ("kind", "community", "target_groups", "topics", "path"):
        assert properties[field]["type"] == "keyword"
    assert properties["depth"]["type"] == "integer"
    assert properties["next_review"]["type"] == "date"
    assert properties["suggest"]["type"] == "completion"
    assert properties["title"]["fields"]["raw"]["type"] == "keyword"


def test_the_index_keeps_what_snippets_are_made_of_and_no_highlighter_offsets(index_body):
    """Snippets are the portal's (``search.snippets``): offsets in the index would be dead weight,
    and of the body only its beginning is read back (``snippet_body``, stored, never searched)."""
    mappings = index_body["mappings"]
    properties = mappings["properties"]
    assert not any("index_options" in properties[field] for field in ("title", "summary", "body"))
    assert properties["snippet_body"] == {"type": "text", "index": False}
    assert mappings["_source"]["excludes"] == [
        "body",
        "title_parts",
        "summary_parts",
        "taxonomy_parts",
        "body_parts",
    ]


def test_text_fields_use_one_norwegian_chain_and_no_synonyms_in_the_index(index_body):
    properties = index_body["mappings"]["properties"]
    for field in ("title", "summary", "taxonomy", "body"):
        assert properties[field]["analyzer"] == "nb_index"
        assert "search_analyzer" not in properties[field]
    analysis = index_body["settings"]["analysis"]
    exceptions = [name for name in analysis["filter"] if name.startswith("nb_stem_exception_")]
    exceptions.remove("nb_stem_exception_back")
    assert len(exceptions) == len(set(stem_exceptions().values()))  # one filter per stem of stammer.txt
    assert analysis["analyzer"]["nb_index"]["filter"] == [
        "lowercase",
        "nb_stop",
        *exceptions,
        "nb_lege_lov",
        "nb_stemmer",
        "nb_stem_double",
        "nb_stem_el_er",
        "nb_lege_lov_back",
        "nb_stem_exception_back",
    ]
    assert analysis["filter"]["nb_stemmer"] == {"type": "stemmer", "language": "norwegian"}
    assert set(analysis["filter"]["nb_stop"]["stopwords"]) == STOP_WORDS
    # Synonyms are expanded in the query (search.queries), so a change needs no reindex.
    assert not any(f["type"].startswith("synonym") for f in analysis["filter"].values())


def test_autocomplete_is_scoped_by_a_community_context(index_body):
    suggest = index_body["mappings"]["properties"]["suggest"]
    assert suggest["contexts"] == [{"name": "community", "type": "category"}]
    body = elastic.autocomplete_request("henv", ["oslo", "sentral"], 8).to_dict()
    assert body["suggest"]["titles"]["completion"]["contexts"] == {"community": ["oslo", "sentral"]}


def test_folding_keeps_aeoa_and_folds_other_accents():
    mappings = fold_mappings()
    assert "é => e" in mappings and "É => e" in mappings and "ö => ø" in mappings
    assert not any(m.startswith(("æ", "ø", "å", "Æ", "Ø", "Å")) for m in mappings)


def test_generated_query_ors_concepts_with_synonyms_fuzziness_and_phrase_bonus():
    body = elastic.search_request(queries.parse("KOLS hjemmeoppfølging", GROUPS), {}, [], 0, 10).to_dict()
    assert body["query"]["bool"]["minimum_should_match"] == 1
    weighted = [clause["function_score"] for clause in body["query"]["bool"]["should"]]
    # Other kinds than the guidance weighted below it (search.params.kind_weights), on each clause
    # of the query, so that the node scores the top-level disjunction in bulk.
    for scored in weighted:
        assert {"filter": {"term": {"kind": "course"}}, "weight": params.OTHER_KIND_WEIGHT} in scored[
            "functions"
        ]
        assert not any(f["filter"]["term"].get("kind") == "procedure" for f in scored["functions"])
        assert (scored["score_mode"], scored["boost_mode"]) == ("multiply", "multiply")
    should = [scored["query"] for scored in weighted]
    kols = should[0]["dis_max"]["queries"]
    # A typed word no page has (no counts given: every typed word) is found through the words
    # near its spelling; a stem of PREFIX_MIN letters or more also as the beginning of words
    # (``elastic.near_words``), which «kol» is too short for.
    exact, fuzzy = kols[0]["dis_max"]["queries"]
    # A word scores in every field it is found in, with one idf for all of them.
    assert exact["multi_match"] == {
        "query": "kols",
        "fields": elastic.FIELDS,
        "type": "cross_fields",
        "tie_breaker": 1.0,
    }
    # Fuzzy on the fields shown, not on the compound parts.
    assert fuzzy["multi_match"]["fuzziness"] == elastic.FUZZINESS == "AUTO:5,9"
    assert fuzzy["multi_match"]["fields"] == ["title^10", "summary^4", "taxonomy^3", "body"]
    # A synonym of three words as a phrase, weighing what one word does (``elastic.per_word``): on
    # a page with the phrase, the mean of its words' scores (``elastic.request._phrase_words``); a page with
    # its words apart is found, scoring nothing for them.
    phrase, apart = (clause for clause in kols[1]["bool"]["should"])
    assert apart["constant_score"] == {
        "filter": {
            "bool": {"filter": [{"term": {"stems": s}} for s in ("kronisk", "obstruktiv", "lungesykdom")]}
        },
        "boost": 0.0,
    }
    phrase = phrase["bool"]
    assert phrase["filter"] == [
        {
            "multi_match": {
                "query": "kronisk obstruktiv lungesykdom",
                "fields": elastic.FIELDS,
                "type": "phrase",
            }
        }
    ]
    assert [q["multi_match"]["query"] for q in phrase["should"]] == ["kronisk", "obstruktiv", "lungesykdom"]
    assert phrase["boost"] == 1 / 3
    assert should[-1]["multi_match"]["type"] == "phrase"  # the two words together rank higher
    # The node highlights nothing: the hits bring the texts the portal makes snippets of.
    assert "highlight" not in body and {"summary", "snippet_body"} <= set(body["_source"])
    assert body["track_total_hits"] is True


def _cross_fields(body, word):
    """The ``cross_fields`` queries of ``word`` anywhere in a request body."""
    if isinstance(body, dict):
        found = body.get("multi_match", {})
        own = [found] if found.get("type") == "cross_fields" and found.get("query") == word else []
        return own + [q for value in body.values() for q in _cross_fields(value, word)]
    if isinstance(body, list):
        return [q for value in body for q in _cross_fields(value, word)]
    return []


def test_a_common_concepts_words_are_scored_in_the_fields_that_are_read_and_not_as_title_prefixes():
    """«fall eldre» where «eldre» is on 60 of 100 pages: bounded near nothing, the common concept
    is scored in the fields a reader reads, not in their compounds' parts (``COMMON_RARITY``); the
    rare one everywhere."""
    parsed = queries.parse("fall eldre", [])
    fall, elderly = parsed.concepts
    counts = elastic.WordCounts(
        {"fall": True, "eldre": True},
        100,
        {elastic.concept_key(fall): 5, elastic.concept_key(elderly): 60},
        dict.fromkeys(elastic.weighed_stems(parsed), 5),
    )
    assert params.rarity(60, 100) < elastic.COMMON_RARITY < params.rarity(5, 100)
    body = elastic.search_request(parsed, {}, [], 0, 10, fuzzy=set(), counts=counts).to_dict()
    assert [q["fields"] for q in _cross_fields(body, "eldre")] == [elastic.READ_FIELDS]
    assert [q["fields"] for q in _cross_fields(body, "fall")] == [elastic.FIELDS]
    # Nor is a common concept's word the beginning of title words (a word on half the pages begins
    # as many titles); «fall» is too short to be one anyway (four letters).
    assert list(_queries_of_type(body["query"], "match_bool_prefix")) == []
    # A query of one concept has no rarities to bound: every field, and the title's prefixes.
    alone = elastic.search_request(queries.parse("eldre", []), {}, [], 0, 10, fuzzy=set(), counts=counts)
    assert [q["fields"] for q in _cross_fields(alone.to_dict(), "eldre")] == [elastic.FIELDS]
    assert list(_queries_of_type(alone.to_dict()["query"], "match_bool_prefix")) == [
        {"title": {"query": "eldre", "boost": 2.0}}
    ]
    rare = elastic.WordCounts(
        counts.known, 100, {**counts.concepts, elastic.concept_key(elderly): 5}, counts.stems
    )
    body = elastic.search_request(parsed, {}, [], 0, 10, fuzzy=set(), counts=rare).to_dict()
    assert list(_queries_of_type(body["query"], "match_bool_prefix")) == [
        {"title": {"query": "eldre", "boost": 2.0}}
    ]


def test_a_scoped_search_boosts_its_own_community_around_the_kind_weighted_clauses():
    body = elastic.search_request(queries.parse("fall eldre", []), {}, ["oslo", "sentral"], 0, 10).to_dict()
    scored = body["query"]["bool"]["must"][0]["function_score"]
    assert scored["functions"] == [
        {"filter": {"term": {"community": "oslo"}}, "weight": params.OWN_COMMUNITY_BOOST}
    ]
    assert (scored["score_mode"], scored["boost_mode"]) == ("multiply", "multiply")
    clauses = scored["query"]["bool"]["should"]
    assert len(clauses) == 3  # two words and the two together
    assert all(
        {"filter": {"term": {"kind": "news"}}, "weight": params.OTHER_KIND_WEIGHT}
        in c["function_score"]["functions"]
        for c in clauses
    )
    assert body["query"]["bool"]["filter"] == [{"terms": {"community": ["oslo", "sentral"]}}]


def test_only_the_typed_words_given_as_fuzzy_are_fuzzy():
    parsed = queries.parse("KOLS hjemmeoppfølging", GROUPS)
    body = elastic.search_request(parsed, {}, [], 0, 10, fuzzy={"hjemmeoppfølging"}).to_dict()
    should = [clause["function_score"]["query"] for clause in body["query"]["bool"]["should"]]
    kols, follow_up = should[0]["dis_max"]["queries"][0], should[1]["dis_max"]["queries"][0]
    assert "fuzziness" not in kols["multi_match"]
    assert follow_up["dis_max"]["queries"][1]["multi_match"]["fuzziness"] == elastic.FUZZINESS
    assert elastic.typed_words(parsed) == ["hjemmeoppfølging", "kols"]


def test_facets_without_a_selection_elsewhere_are_plain_terms_aggregations():
    body = elastic.search_request(queries.parse("legemidler", []), {}, [], 0, 10).to_dict()
    assert body["aggs"]["type"] == {"terms": {"field": "kind", "size": 100}}
    assert body["aggs"]["topic"] == {"terms": {"field": "topics", "size": 100}}
    narrowed = elastic.search_request(queries.parse("legemidler", []), {"type": ["procedure"]}, [], 0, 10)
    aggs = narrowed.to_dict()["aggs"]
    assert aggs["type"] == {"terms": {"field": "kind", "size": 100}}  # only its own selection
    # The three others share one filter of the selection.
    assert set(aggs) == {"type", elastic.NARROWED}
    assert aggs[elastic.NARROWED]["filter"] == {"bool": {"filter": [{"terms": {"kind": ["procedure"]}}]}}
    assert aggs[elastic.NARROWED]["aggs"]["community"] == {"terms": {"field": "community", "size": 100}}
    assert set(aggs[elastic.NARROWED]["aggs"]) == {"community", "target_group", "topic"}


def test_generated_query_scopes_filters_and_counts_facets_disjunctively():
    parsed = queries.parse("legemidler", [])
    body = elastic.search_request(
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
    body = elastic.autocomplete_request("legem", ["oslo"], 8).to_dict()
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
    assert doc.suggest == {
        "input": ["Henvisning til BUP", "til BUP", "BUP"],
        "contexts": {"community": ["oslo"]},
    }


def test_search_falls_back_to_the_database_when_the_cluster_is_down(pages, settings, caplog):
    from search import backends, service

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    backends._es_down_until = 0.0
    result = service.run_search("BUP")
    assert result.backend == "database"
    assert [hit.title for hit in result.hits] == ["Henvisning til BUP"]
    assert "Elasticsearch did not answer a search" in caplog.text
    backends._es_down_until = 0.0


def test_several_cluster_nodes_and_replicas_come_from_the_settings(settings):
    from search.backends.elastic.nodes import _client, client

    settings.ELASTICSEARCH_URL = "http://es1.internal:9200, http://es2.internal:9200,http://es3.internal:9200"
    settings.ELASTICSEARCH_REPLICAS = 2
    _client.cache_clear()
    try:
        hosts = sorted(node.config.host for node in client().transport.node_pool.all())
        assert hosts == ["es1.internal", "es2.internal", "es3.internal"]
    finally:
        _client.cache_clear()
    assert build_index("kompetanse-sok-test").to_dict()["settings"]["number_of_replicas"] == 2


# ------------------------------------------------------------------ against a real Elasticsearch node

es = pytest.mark.elasticsearch


def _search(query, **options):
    from search import service

    result = service.run_search(query, **options)
    assert result.backend == "elasticsearch", "the search fell back to the database"
    return result


@es
def test_the_node_analyses_words_as_the_portal_does(elasticsearch, db):
    """One analysis chain: the node's Norwegian stems and folding equal the Python chain's."""
    from search.analysis import analyze
    from search.backends import elastic

    elastic.ensure_index()
    text = (
        "Legemidlene og legemiddel, regler og regel, sykler og sykkel, brukere og bruker,"
        " sykepleierne og sykepleieren, fastlegen og fastleger, kommunelege, helseloven og lovlig:"
        " pårørende får hjelp til"
        " ernæringsscreening på sykehjemmet, også for café-gjester og ansatte i kommunen;"
        # Stems given by search/data/stammer.txt, where the stemmer alone cuts too far.
        " migrene og migrenene, feber og feberen, svangre, sentrene og senteret, flytende kost,"
        # Lucene's Snowball alone made it «tver».
        " samarbeid på tvers"
    )
    tokens = elasticsearch.indices.analyze(index=elastic.alias(), analyzer="nb_index", text=text)["tokens"]
    assert [t["token"] for t in tokens] == analyze(text)
    assert "og" not in [t["token"] for t in tokens]  # a Norwegian stop word
    assert {"migren", "feber", "svanger", "senter", "flytende", "tvers"} <= {t["token"] for t in tokens}
    plain = elasticsearch.indices.analyze(index=elastic.alias(), analyzer="nb_plain", text="Café Ærlig Søvn")
    assert [t["token"] for t in plain["tokens"]] == ["cafe", "ærlig", "søvn"]  # é folded; æ, ø, å kept


@es
def test_rebuild_swaps_the_alias_and_search_finds_synonyms_both_ways(indexed, elasticsearch):
    from search.backends import elastic

    first = list(elasticsearch.indices.get_alias(name=elastic.alias()))
    from search import indexing

    second = elastic.rebuild(indexing.document_for(p) for p in indexing.searchable_pages())
    assert list(elasticsearch.indices.get_alias(name=elastic.alias())) == [second] != first
    assert not elasticsearch.indices.exists(index=first[0])
    by_words = _search("kronisk obstruktiv lungesykdom")
    by_abbreviation = _search("KOLS")
    assert by_words.hits[0].title == "Digital hjemmeoppfølging ved kronisk obstruktiv lungesykdom"
    assert by_abbreviation.hits[0].title == by_words.hits[0].title
    snippet = _search("pulsoksymeter").hits[0].snippet
    assert snippet == "Pasienter følges opp hjemme med nettbrett og <mark>pulsoksymeter</mark>."
    # From the body when the summary has none of the words.
    snippet = _search("oppdaterer").hits[0].snippet
    assert snippet == "Fastlegen <mark>oppdaterer</mark> legemiddellisten etter utskrivning."


@es
def test_a_hit_brings_the_beginning_of_its_body_however_long_the_page(elasticsearch, db):
    """A page of 40,000 characters: its hit brings the first SNIPPET_SOURCE_CHARS of the body for
    the snippet, not the body (which is searched all through), and the snippet is the database's."""
    from search import backends, snippets

    filler = "Kommunen og sykehuset avtaler tiltak for pasienten. " * 800
    page = publish_page(
        "procedure",
        "sentral",
        "Lang prosedyre",
        "Alt om samarbeidet.",
        body_text=f"Start med oksygenbehandling. {filler} Til slutt: trakeostomi.",
    )
    _index_beside_seasonal_plans("hjelp")
    found = elasticsearch.search(index=elastic.alias(), query={"match": {"body": "trakeostomi"}})
    (source,) = [hit["_source"] for hit in found["hits"]["hits"]]
    assert "body" not in source and "body_parts" not in source
    assert len(source["snippet_body"]) == snippets.SNIPPET_SOURCE_CHARS
    assert source["snippet_body"].startswith("Start med oksygenbehandling.")
    for query in ("oksygenbehandling", "trakeostomi"):
        (hit,) = [hit for hit in _search(query).hits if hit.title == page.title]
        database = backends.database.find(queries.parse(query), {}, [], 0, 10)["hits"]
        assert hit.snippet == next(h["snippet"] for h in database if h["title"] == page.title)
    assert "<mark>oksygenbehandling</mark>" in _search("oksygenbehandling").hits[0].snippet


@es
def test_a_request_the_node_refuses_is_answered_by_the_database_and_the_node_goes_on(
    indexed, elasticsearch, monkeypatch, caplog
):
    """A request the node refuses (400: here a completion query without the context the field
    requires, as the portal sent for every community until 4 December) is the portal's fault: the
    database answers it and the error is logged, but the node is not left to rest, and the next
    search is its. A node that does not answer is (``test_search_falls_back_…``)."""
    from elasticsearch.dsl import Search

    from search import service

    def without_context(text, communities, limit, index=None):
        completion = {"field": "suggest", "size": limit}
        return (
            Search(index=index or elastic.alias())
            .suggest("titles", text, completion=completion)
            .extra(size=0)
        )

    monkeypatch.setattr(elastic, "autocomplete_request", without_context)
    refused = service.autocomplete("Henvis")
    assert refused.backend == "database" and [s["title"] for s in refused.items] == ["Henvisning til BUP"]
    assert "Elasticsearch refused on autocomplete" in caplog.text
    assert [r.levelname for r in caplog.records if r.name == "search"] == ["ERROR"]
    assert _search("BUP").hits[0].title == "Henvisning til BUP"  # the node answers (``_search``)


@es
def test_a_hit_has_the_same_snippet_on_elasticsearch_as_on_the_database(indexed, elasticsearch):
    """One rule makes snippets on every backend (``search.snippets``): the hits both backends find
    show the same words marked, synonyms, other forms and compounds found by their parts included."""
    from search import backends

    for query in (
        "nettbrett",
        "legemiddellisten",
        "fall eldre",
        "pulsoksymeter",
        "oppdaterer",
        "utskrivning",
    ):
        parsed = queries.parse(query)
        database = {
            hit["page_id"]: hit["snippet"] for hit in backends.database.find(parsed, {}, [], 0, 10)["hits"]
        }
        found = {hit.page_id: hit.snippet for hit in _search(query).hits}
        shared = found.keys() & database.keys()
        assert any("<mark>" in found[page] for page in shared), query
        assert {page: found[page] for page in shared} == {page: database[page] for page in shared}, query


@es
def test_a_new_synonym_works_at_once_without_a_reindex(indexed, elasticsearch):
    from search.models import Synonym

    assert _search("oksygenmetningsmåler").total == 0
    Synonym.objects.create(term="oksygenmetningsmåler", synonyms="pulsoksymeter")
    result = _search("oksygenmetningsmåler")
    assert [hit.title for hit in result.hits] == [
        "Digital hjemmeoppfølging ved kronisk obstruktiv lungesykdom"
    ]


@es
def test_word_forms_and_compound_prefixes_find_the_page(indexed, elasticsearch):
    assert _search("legemidlene").hits[0].title in {
        "Legemiddelsamstemming ved utskrivning",
        "Felles anbefaling om legemiddelliste",
    }
    titles = [hit.title for hit in _search("legemiddel").hits]
    assert "Legemiddelsamstemming ved utskrivning" in titles
    assert "Felles anbefaling om legemiddelliste" in titles


@es
def test_typo_help_comes_from_elasticsearch(indexed, elasticsearch):
    from search.spelling import suggest

    # A dropped letter and two swapped ones: the fuzzy query still finds the page first...
    assert _search("legemiddelsamstemmng").hits[0].title == "Legemiddelsamstemming ved utskrivning"
    assert _search("hjemmeoppføgling").hits[0].title.startswith("Digital hjemmeoppfølging")
    # ... and the "Mente du" suggestion comes from Elasticsearch's term suggester.
    assert suggest("legemiddelsamstemmng") == "legemiddelsamstemming"
    assert suggest("henvisnign til bup") == "henvisning til bup"
    assert suggest("henvisning til bup") == ""


@es
def test_only_words_no_page_has_are_fuzzy(indexed, elasticsearch):
    """A word some page has is searched as it is: its one-letter neighbours are other words."""
    from search import indexing

    publish_page("procedure", "oslo", "Lek i skolegården", "Ball og tau til barna i friminuttet.")
    elastic.rebuild(indexing.document_for(p) for p in indexing.searchable_pages())
    assert elastic.word_counts(["fall", "ball", "falll", "legemiddelsamstemmng"]).unknown() == {
        "falll",
        "legemiddelsamstemmng",
    }
    # «fall» is known: the page about a ball (one letter away) is not a hit.
    assert [hit.title for hit in _search("fall").hits] == ["Forebygging av fall hos eldre"]
    assert [hit.title for hit in _search("ball").hits] == ["Lek i skolegården"]
    # «falll» is no page's word: it is fuzzy and finds «fall» (one edit), not «ball» (two).
    assert [hit.title for hit in _search("falll").hits] == ["Forebygging av fall hos eldre"]


@es
def test_a_part_s_prefix_counts_once_per_field_however_many_words_it_begins(elasticsearch, db):
    """«sykehjemmet» is searched as itself or «syke» and «hjemmet»; «hjemm» also begins words, and
    a field where it does scores the field's weight once (``elastic.PREFIX_REWRITE``): the page
    about the nursing home comes first, not the page whose text is full of other «hjemm…» words,
    which scored each of them as a word of the query. (SQLite puts that page first here: FTS5
    counts every word a prefix begins, saturated once; on the demo's «sykehuset kommer ut til
    sykehjemmet» it puts the team first, as Elasticsearch now does.)"""
    answer = publish_page(
        "procedure",
        "sentral",
        "Sykehusets team på sykehjemmet",
        "Teamet rykker ut til sykehjemmet når beboeren trenger behandling.",
    )
    other = publish_page(
        "procedure",
        "sentral",
        "Syke eldre som bor hjemme",
        "Hjemmesykepleien, hjemmetjenesten og hjemmehjelpen følger opp hjemmeboende syke i hjemmet.",
        body_text="Hjemmebesøk, hjemmetrening og hjemmedialyse for syke hjemmeboende.",
    )
    _index_beside_seasonal_plans("hjelp")
    titles = [hit.title for hit in _search("sykehjemmet").hits]
    assert titles[0] == answer.title and other.title in titles


@es
def test_a_word_a_page_has_in_another_form_is_not_fuzzy(elasticsearch, db):
    """«teknikk» is no page's word as written, but a page has «teknikken»: the word is inflected, not
    misspelt (as the database's spelling help holds), so it is searched as it is. Fuzzy, it found
    «teknisk» (one letter away) and the page about the portal's technical platform."""
    answer = publish_page(
        "procedure",
        "sentral",
        "Inhalasjon ved KOLS",
        "Slik bruker pasienten inhalatoren, og dette er teknikken helsepersonell ser etter.",
    )
    publish_page("procedure", "sentral", "Teknisk plattform", "Den tekniske løsningen for portalen.")
    _index_beside_seasonal_plans("hjelp")
    assert elastic.word_counts(["teknikk", "teknikkk"]).unknown() == {"teknikkk"}
    assert [hit.title for hit in _search("teknikk").hits] == [answer.title]


@es
def test_what_the_index_knows_is_asked_once_per_word(indexed, elasticsearch):
    """The known-words check costs a request; a word's answer is remembered for the next search."""

    def requests_to_the_node():
        stats = elasticsearch.indices.stats(index=elastic.alias(), metric="search")
        return stats["_all"]["primaries"]["search"]["query_total"]

    # One multi-search: the index's size and a search per word, which the node counts apart.
    before = requests_to_the_node()
    assert elastic.word_counts(["fall", "falll"]).unknown() == {"falll"}
    assert requests_to_the_node() == before + 3
    assert elastic.word_counts(["falll", "fall"]).unknown() == {"falll"}
    assert requests_to_the_node() == before + 3  # both remembered, and the index's size
    # A new word is asked on its own, and the remembered ones are not asked again.
    assert elastic.word_counts(["fall", "legemiddelsamstemming", "falll"]).unknown() == {"falll"}
    assert requests_to_the_node() == before + 4
    # A word is asked whether a page has it: its search stops at the first page.
    header, body = elastic.known_words_request(["legemiddelsamstemming"], total=False).to_dict()
    assert body["terminate_after"] == 1 and body["size"] == 0
    assert {"term": {"spell": "legemiddelsamstemming"}} in body["query"]["bool"]["should"]
    # Each count is a search of its own with its filter as the query: the index's pages, each
    # concept's and each stem's. As aggregations of one search, the node tested every page.
    parsed = queries.parse("fall hos eldre")
    concepts = {elastic.concept_key(c): c for c in parsed.concepts}
    bodies = elastic.known_words_request([], concepts=concepts, stems=["fall"]).to_dict()[1::2]
    assert [body.get("query") for body in bodies] == [
        None,
        *(elastic.words._concept_filter(c).to_dict() for c in parsed.concepts),
        {"term": {"stems": "fall"}},
    ]
    assert all(
        body["size"] == 0 and body["track_total_hits"] is True and "aggs" not in body for body in bodies
    )


def _index_beside_seasonal_plans(word, community="sentral", seasons=SEASONS):
    """The seasonal plans with ``word`` (``publish_seasonal_plans``) beside the test's own pages,
    then every published page indexed."""
    from search import indexing

    publish_seasonal_plans(word, community, seasons)
    elastic.rebuild(indexing.document_for(p) for p in indexing.searchable_pages())


@es
def test_a_word_rare_in_titles_but_common_in_pages_does_not_outweigh_the_page_that_answers(
    indexed, elasticsearch
):
    """A word scores with one rarity in every field: «vaksine» is in many summaries, so a title
    with it alone is not a rare find, and the page with both words of the query comes first."""
    publish_page("procedure", "oslo", "Vaksine", "Om denne siden og hvem som skriver den.")
    answer = publish_page(
        "procedure",
        "oslo",
        "Lagring av legemidler på sykehjem",
        "Sett alt i kjøleskap ved levering, og før opp temperaturen hver dag for hver vaksine.",
    )
    _index_beside_seasonal_plans(
        "vaksine", community="oslo", seasons=("høst", "vinter", "vår", "sommer", "jul")
    )
    assert _search("vaksine kjøleskap").hits[0].title == answer.title


def _course_on_medicine_reconciliation():
    """A course on the subject of the search fixture's procedure, indexed beside the seasonal plans."""
    course = publish_page(
        "course",
        "oslo",
        "Legemiddelsamstemming ved utskrivning",
        "Kurs om legemiddelsamstemming når pasienten skrives ut fra sykehuset.",
        course_url="https://kurs.example.no/samstemming",
        provider="Kompetansebroen",
        learning_outcomes="<p>Legemiddelsamstemming.</p>",
    )
    _index_beside_seasonal_plans("utskrivning")
    return course


def _scores(client, request):
    """(page id, score) of each hit of ``request``, best first."""
    hits = client.search(index=elastic.alias(), body=request)["hits"]["hits"]
    return [(int(hit["_id"]), hit["_score"]) for hit in hits]


@es
def test_the_kind_weight_in_the_saturation_script_scores_as_a_filter_per_kind(indexed, elasticsearch):
    """In a query of several concepts the script that saturates each of them also weighs the page
    by its kind, read from the page's ``guidance`` doc value (``elastic.WEIGHED_SATURATE``), in
    place of a function_score of a term filter per kind around each clause, which cost a long
    query a third of its time: the pages come in the same order with the same scores."""
    course = _course_on_medicine_reconciliation()
    documents = elasticsearch.search(index=elastic.alias(), body={"size": 100, "_source": ["guidance"]})
    stored = {hit["_id"]: hit["_source"]["guidance"] for hit in documents["hits"]["hits"]}
    assert stored[str(course.pk)] == 0 and stored[str(indexed["samstemming"].pk)] == 1
    parsed = queries.parse("hvem har ansvar for legemiddelsamstemming ved utskrivning?")
    counts, fuzzy = elastic.what_the_index_knows(parsed)
    body = elastic.search_request(parsed, {}, [], 0, 20, fuzzy=fuzzy, counts=counts).to_dict()
    clauses = body["query"]["bool"]["should"]
    assert len(clauses) == 4 and all("script_score" in clause for clause in clauses)
    assert not list(_queries_of_type(body["query"], "function_score"))
    scripts = [clause["script_score"]["script"] for clause in clauses]
    assert {script["params"]["w"] for script in scripts} == {params.OTHER_KIND_WEIGHT}
    filters = [
        {"filter": {"term": {"kind": kind}}, "weight": weight}
        for kind, weight in params.kind_weights().items()
    ]
    per_kind = [
        {
            "function_score": {
                "query": {
                    "script_score": {
                        "query": clause["script_score"]["query"],
                        "script": {
                            **elastic.SATURATE,
                            "params": {"k": clause["script_score"]["script"]["params"]["k"]},
                        },
                    }
                },
                "functions": filters,
                "score_mode": "multiply",
                "boost_mode": "multiply",
            }
        }
        for clause in clauses
    ]
    by_filters = dict(body, query={"bool": {"should": per_kind, "minimum_should_match": 1}})

    in_script, filtered = _scores(elasticsearch, body), _scores(elasticsearch, by_filters)
    assert len(in_script) > 5 and course.pk in dict(in_script)
    assert [pk for pk, _ in in_script] == [pk for pk, _ in filtered]
    assert [score for _, score in in_script] == pytest.approx([score for _, score in filtered], rel=1e-6)


@es
def test_the_kind_weight_on_each_clause_scores_as_the_weight_on_the_whole_query(
    indexed, elasticsearch, monkeypatch
):
    """The kind weight multiplies each clause of the query, not their sum (the node then scores the
    top-level disjunction in bulk, bench/es_breakdown.py): the pages come in the order the weight on
    the whole query gave them, with its scores, and a course scores half of what it would as
    guidance."""
    course = _course_on_medicine_reconciliation()
    parsed = queries.parse("hvem har ansvar for legemiddelsamstemming ved utskrivning?")
    body = elastic.search_request(parsed, {}, [], 0, 20, fuzzy=set()).to_dict()
    clauses = body["query"]["bool"]["should"]
    assert len(clauses) == 4  # three words and the words together
    on_the_whole = {
        "function_score": {
            "query": {
                "bool": {"should": [c["function_score"]["query"] for c in clauses], "minimum_should_match": 1}
            },
            "functions": clauses[0]["function_score"]["functions"],
            "score_mode": "multiply",
            "boost_mode": "multiply",
        }
    }

    each, whole = _scores(elasticsearch, body), _scores(elasticsearch, dict(body, query=on_the_whole))
    assert len(each) > 5 and course.pk in dict(each)
    assert [pk for pk, _ in each] == [pk for pk, _ in whole]
    assert [score for _, score in each] == pytest.approx([score for _, score in whole], rel=1e-6)
    weight = params.OTHER_KIND_WEIGHT
    monkeypatch.setattr(params, "OTHER_KIND_WEIGHT", 1.0)
    unweighted = dict(
        _scores(elasticsearch, elastic.search_request(parsed, {}, [], 0, 20, fuzzy=set()).to_dict())
    )
    assert dict(each)[course.pk] == pytest.approx(unweighted[course.pk] * weight, rel=1e-6)


@es
def test_a_synonym_of_several_words_counts_as_one_word_of_the_query(elasticsearch, db):
    """A concept's synonym of two words, found as a phrase, weighs what one word does
    (``elastic.per_word``): the page with both of the query's concepts comes before the page with
    only the synonym of one of them in its title, which scored the two words' rarities added up."""
    from search.models import Synonym

    # (The shipped list has this group too, with more expressions: here it is this one alone.)
    Synonym.objects.update_or_create(term="hjemmeboende", defaults={"synonyms": "hjemmeboende eldre"})
    answer = publish_page(
        "procedure",
        "sentral",
        "Oppfølging ved demens",
        "Besøk og tilsyn for hjemmeboende, avtalt med fastlegen og pårørende ved demens.",
    )
    other = publish_page("procedure", "sentral", "Fall hos hjemmeboende eldre", "Forebygging av fall.")
    _index_beside_seasonal_plans("hjelp")
    titles = [hit.title for hit in _search("demens hos hjemmeboende").hits]
    assert titles[0] == answer.title and other.title in titles


@es
def test_a_synonym_written_with_hyphens_is_a_phrase_of_its_words(elasticsearch, db):
    """«hjerte-lunge-redning» is one word between spaces but three to the portal's chain, so it is
    searched as a phrase, as on the database backends. As one word the node's analysis made it
    «hjert OR lung OR redning», and for «HLR» the page about the lungs was a hit."""
    from search.models import Synonym

    Synonym.objects.update_or_create(term="HLR", defaults={"synonyms": "hjerte-lunge-redning"})
    answer = publish_page(
        "procedure",
        "sentral",
        "Gjenoppliving på sykehjemmet",
        "Når personalet starter hjerte-lunge-redning, og hvem som varsles.",
    )
    publish_page("procedure", "sentral", "Pust og lunger", "Øvelser for lungene etter en infeksjon.")
    _index_beside_seasonal_plans("hjelp")
    assert [hit.title for hit in _search("HLR").hits] == [answer.title]


@es
def test_the_query_s_words_together_weigh_as_on_the_database(elasticsearch, db):
    """The words of the query together add what two of its words would (``elastic.PHRASE_WORDS``),
    bounded as each concept is (``elastic.SATURATION``): the page that has «tolk ved utskrivning
    fra sykehus» together in its summary and the page with the words apart in its title and
    summary come in the database's order. Unbounded, the title's three words outweighed the
    words together, and Elasticsearch put the titled page first where the database does not."""
    from search import backends

    apart = publish_page(
        "procedure",
        "sentral",
        "Sykehus og kommune: utskrivning med tolk",
        "Bestill tolk før samtalen om utskrivning.",
    )
    together = publish_page(
        "procedure", "sentral", "Rutiner for samtaler", "Om tolk ved utskrivning fra sykehus til kommunen."
    )
    _index_beside_seasonal_plans("hjelp")
    query = "tolk ved utskrivning fra sykehus"
    database = [hit["title"] for hit in backends.database.find(queries.parse(query), {}, [], 0, 10)["hits"]]
    assert database[:2] == [together.title, apart.title]
    assert [hit.title for hit in _search(query).hits][:2] == database[:2]
    # The bonus is two words' worth, however many words the query has.
    parsed = queries.parse(query)
    body = elastic.search_request(parsed, {}, [], 0, 10).to_dict()
    boosts = [match["boost"] for match in _queries_of_type(body["query"], "multi_match") if match.get("slop")]
    assert boosts == [pytest.approx(elastic.PHRASE_WORDS / len(parsed.phrase_stems))]


@es
def test_a_long_query_s_neighbouring_words_together_rank_a_page_first(elasticsearch, db):
    """A query of more words than a phrase (``queries.PHRASE_MAX``) has no words-together bonus;
    each two neighbouring words of it count instead, found together with up to two words between
    (``ParsedQuery.pair_words``, ``elastic.PAIR_WORDS``). Of two pages with every word of the
    query, the one that says «skriftlig bekreftelse», «ringe pasienten» and «fire uker» comes before
    the one with the words scattered, which has «bekreftelse» and «overføring» twice and came first
    without the pairs."""
    query = "skriftlig bekreftelse ringe pasienten fire uker etter overføring"
    parsed = queries.parse(query)
    assert parsed.phrase_words == ()
    assert parsed.pair_words[:2] == (("skriftlig", "bekreftelse"), ("bekreftelse", "ringe"))
    # Stop words are left out of the pairs: «uker etter overføring» gives the pair («uker», «overføring»).
    assert parsed.pair_words[-1] == ("uker", "overføring") and len(parsed.pair_words) == 6
    # A query of five words or fewer is ranked by its words together, not by pairs.
    short = queries.parse("ringe pasienten etter fire uker")
    assert short.pair_words == () and short.phrase_words == ("ringe", "pasienten", "etter", "fire", "uker")

    together = publish_page(
        "procedure",
        "sentral",
        "Oppfølging i kommunen",
        "Hvem gjør hva når pasienten kommer hjem.",
        body_text="Kommunen sender skriftlig bekreftelse og skal ringe pasienten fire uker etter overføring. "
        "Hjemmetjenesten har ansvaret for det praktiske i hverdagen og for kontakten med de nærmeste.",
    )
    apart = publish_page(
        "procedure",
        "sentral",
        "Oppfølging i bydelen",
        "Hvem gjør hva når pasienten kommer hjem.",
        body_text="Pasienten får en bekreftelse. Etter fire dager skal bydelen ringe, og skriftlig overføring "
        "skjer innen tre uker. En ny bekreftelse kommer ved neste overføring.",
    )
    _index_beside_seasonal_plans("hjelp")
    titles = [hit.title for hit in _search(query).hits]
    assert titles[:2] == [together.title, apart.title]
    # Each pair is worth PAIR_WORDS words of the query, with up to two words between, added to the
    # scores of the first PAIR_WINDOW pages, or of as many as the page of hits reaches.
    body = elastic.search_request(parsed, {}, [], 0, 10).to_dict()
    assert "rescore" not in elastic.search_request(short, {}, [], 0, 10).to_dict()
    expected = {" ".join(pair): (2, pytest.approx(elastic.PAIR_WORDS / 2)) for pair in parsed.pair_words}
    pairs = {
        match["query"]: (match["slop"], match["boost"])
        for match in _queries_of_type(body["rescore"], "multi_match")
        if match.get("type") == "phrase"
    }
    assert pairs == expected
    assert not [
        match for match in _queries_of_type(body["query"], "multi_match") if match["query"] in expected
    ]
    assert body["rescore"]["window_size"] == elastic.PAIR_WINDOW
    deep = elastic.search_request(parsed, {}, [], elastic.PAIR_WINDOW, 10).to_dict()
    assert deep["rescore"]["window_size"] == elastic.PAIR_WINDOW + 10
    # The last page a reader may ask for is within the node's rescore window (10,000 by default).
    last = _search(query, page=params.MAX_PAGE)
    assert last.hits == [] and last.total == _search(query).total


def _queries_of_type(tree, kind):
    """Every ``kind`` query (its parameters) anywhere in a request's query."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            if key == kind:
                yield value
            yield from _queries_of_type(value, kind)
    elif isinstance(tree, list):
        for value in tree:
            yield from _queries_of_type(value, kind)


@es
def test_a_query_compound_s_parts_are_the_beginnings_of_words_as_on_the_database(elasticsearch, db):
    """«autismeutredning» is searched as itself or as «autisme» and «utredning» anywhere in a page,
    and each part of four letters or more is the beginning of a word, as on the database backends
    («autism*»): the page about «autismespekterforstyrrelse» (a compound the splitter leaves whole)
    and «utredningen» is found. Each part had to be a whole word of the page, so it was no hit."""
    from search import backends

    answer = publish_page(
        "procedure",
        "sentral",
        "Barn med mistanke om autismespekterforstyrrelse",
        "Helsestasjonen og fastlegen drøfter bekymringen før utredningen i spesialisthelsetjenesten.",
    )
    _index_beside_seasonal_plans("hjelp")
    assert [hit.title for hit in _search("autismeutredning").hits] == [answer.title]
    # The database backend finds it the same way.
    assert [
        hit["title"]
        for hit in backends.database.find(queries.parse("autismeutredning"), {}, [], 0, 10)["hits"]
    ] == [answer.title]


@es
def test_facets_count_disjunctively_and_filters_narrow(indexed, elasticsearch):
    everything = _search("legemiddelliste")
    procedures = _search("legemiddelliste", filters={"type": ["procedure"]})
    assert {hit.title for hit in procedures.hits} == {"Legemiddelsamstemming ved utskrivning"}
    types = {value.value: value.count for value in procedures.facets["type"]}
    assert types == {value.value: value.count for value in everything.facets["type"]}
    assert types["procedure"] == 1 and types["recommendation"] == 1

    def counts(result):
        return {name: {v.value: v.count for v in values} for name, values in result.facets.items()}

    # Without a selection each facet counts every match (plain terms aggregations); with the type
    # selected, the other facets count the procedures only and the type facet still every type.
    assert counts(everything) == {
        "type": {"procedure": 1, "recommendation": 1},
        "community": {"oslo": 1, "sentral": 1},
        "target_group": {"skropelige-eldre": 1},
        "topic": {"legemidler": 2},
    }
    assert counts(procedures) == {
        "type": {"procedure": 1, "recommendation": 1},
        "community": {"oslo": 1},
        "target_group": {"skropelige-eldre": 1},
        "topic": {"legemidler": 1},
    }
    central = _search("legemiddelliste", filters={"community": ["sentral"]})
    assert [hit.title for hit in central.hits] == ["Felles anbefaling om legemiddelliste"]
    assert counts(central) == {
        "type": {"recommendation": 1},  # narrowed by the community, like the two below
        "community": {"oslo": 1, "sentral": 1},  # every community's matches
        "target_group": {},
        "topic": {"legemidler": 1},
    }
    both = _search("legemiddelliste", filters={"community": ["oslo"], "type": ["procedure"]})
    assert [hit.title for hit in both.hits] == ["Legemiddelsamstemming ved utskrivning"]
    assert counts(both) == {
        "type": {"procedure": 1},  # the kinds in Oslo
        "community": {"oslo": 1},  # the communities with procedures
        "target_group": {"skropelige-eldre": 1},
        "topic": {"legemidler": 1},
    }


@es
def test_scope_limits_search_and_autocomplete_to_the_readers_communities(indexed, elasticsearch):
    from search import service

    assert [hit.title for hit in _search("BUP", scope=["oslo"]).hits] == ["Henvisning til BUP"]
    assert _search("BUP", scope=["ahus"]).total == 0
    found = service.autocomplete("Henvis", scope=["oslo"])
    assert [s["title"] for s in found.items] == ["Henvisning til BUP"]
    assert found.backend == "elasticsearch" and not found.same_for_every_reader
    assert service.autocomplete("Henvis", scope=["ahus", "sentral"]).items == []
    # Every community's titles when the reader searches them all, from the node too (a completion
    # query without a context is refused by Elasticsearch 7 and later: the portal fell back to the
    # database and let the node rest for every search). Each title is in its own community's
    # context only, and the search asks every community's.
    everywhere = service.autocomplete("Henvis")
    assert [s["title"] for s in everywhere.items] == ["Henvisning til BUP"]
    assert everywhere.backend == "elasticsearch"
    ahus = service.autocomplete("Digital")
    assert [s["title"] for s in ahus.items] == ["Digital hjemmeoppfølging ved kronisk obstruktiv lungesykdom"]
    assert ahus.backend == "elasticsearch"


@es
def test_zero_hits_are_logged_and_promotions_shown(indexed, elasticsearch):
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    from search.models import ZeroResultQuery

    assert _search("xylofonundervisning").total == 0
    assert ZeroResultQuery.objects.filter(query="xylofonundervisning").exists()
    SearchPromotion.objects.create(query=Query.get("fall"), page=indexed["fall"], sort_order=0)
    assert [hit["title"] for hit in _search("fall").promoted] == ["Forebygging av fall hos eldre"]


@es
def test_removed_pages_leave_the_index(indexed, elasticsearch):
    from search.backends import elastic

    elastic.remove_documents([indexed["bup"].pk])
    assert _search("BUP").total == 0


@es
def test_a_rebuilt_index_is_merged_into_one_segment_before_readers_use_it(indexed, elasticsearch):
    """Pages written in two rounds make two segments; readers get the index merged into one."""
    from search import indexing
    from search.backends import elastic

    docs = [indexing.document_for(p) for p in indexing.searchable_pages()]
    # The rebuild sends 500 pages a request (when the 501st comes): the rest reach the node after
    # the first 500 were made a segment of their own.
    copies = [dict(doc, page_id=doc["page_id"] + 100_000 * n) for n in range(1, 300) for doc in docs[:2]]

    def in_two_rounds():
        yield from copies[:501]
        elasticsearch.indices.refresh(index=f"{elastic.alias()}-*")
        yield from copies[501:]
        yield from docs

    name = elastic.rebuild(in_two_rounds())
    segments = elasticsearch.indices.segments(index=name)["indices"][name]["shards"]["0"][0]["segments"]
    assert len(segments) == 1
    assert elasticsearch.count(index=elastic.alias())["count"] == len(copies) + len(docs)


@es
def test_a_stream_of_publishes_leaves_the_index_a_few_segments(indexed, elasticsearch):
    """Each publish's page is a segment of its own once the node has refreshed, and every search
    visits every segment; the index's merge policy (``documents.MERGE_POLICY``) merges them three
    at a time, where Lucene's default lets ten small ones be (and more of each size above)."""
    import time

    from search import indexing
    from search.backends import elastic

    name = next(iter(elasticsearch.indices.get_alias(name=elastic.alias())))
    docs = [indexing.document_for(p) for p in indexing.searchable_pages()]
    for n in range(24):  # each written and made searchable on its own, as publishes a second apart
        page = dict(docs[n % len(docs)], page_id=docs[0]["page_id"] + 100_000 + n)
        elastic.index_documents([page], refresh=True)

    def searched_segments():
        shard = elasticsearch.indices.segments(index=name)["indices"][name]["shards"]["0"][0]
        return sum(1 for segment in shard["segments"].values() if segment["search"])

    waited = 0.0
    while searched_segments() > 4 and waited < 10:  # the node merges in the background
        time.sleep(0.2)
        waited += 0.2
    assert searched_segments() <= 4
    assert elasticsearch.count(index=elastic.alias())["count"] == len(docs) + 24


@es
def test_the_nightly_merge_leaves_one_segment_and_the_same_answers(indexed, elasticsearch):
    """Pages published again leave their old copies, marked deleted, in the segments they were
    in, and segments of their own beside the merged one; ``merge_search_index`` merges the index
    readers search into one, and searches find what they found before."""
    import io

    from django.core.management import call_command

    from search import indexing
    from search.backends import elastic

    docs = [indexing.document_for(p) for p in indexing.searchable_pages()]
    for doc in docs * 2:  # each published twice more, and made searchable on its own
        elastic.index_documents([doc], refresh=True)
    name = next(iter(elasticsearch.indices.get_alias(name=elastic.alias())))
    assert elastic.searched_segments(elasticsearch, name) > 1
    assert elasticsearch.indices.stats(index=name)["_all"]["primaries"]["docs"]["deleted"] > 0
    before = [hit.title for hit in _search("pulsoksymeter").hits]

    out = io.StringIO()
    call_command("merge_search_index", stdout=out)

    assert elastic.searched_segments(elasticsearch, name) == 1
    assert f"{name}: " in out.getvalue() and "slått sammen til 1 på" in out.getvalue()
    assert [hit.title for hit in _search("pulsoksymeter").hits] == before
    assert elasticsearch.count(index=elastic.alias())["count"] == len(docs)


@pytest.fixture
def merges_answer_late(elasticsearch, monkeypatch):
    """The node is asked to merge for real, and the reply is late, as the transport reports a wait
    that ran out. (A wait of 0.1 ms was the test before: on a loaded machine the small index's
    merge sometimes answered first, and no wait ran out.)"""
    from elasticsearch import ConnectionTimeout

    indices_client = type(elasticsearch.indices)
    real_forcemerge = indices_client.forcemerge

    def late_reply(self, **kwargs):
        real_forcemerge(self, **{**kwargs, "wait_for_completion": False})
        raise ConnectionTimeout("the merge's reply did not come within the wait")

    monkeypatch.setattr(indices_client, "forcemerge", late_reply)


@es
def test_a_nightly_merge_that_outlasts_its_wait_says_it_goes_on(indexed, elasticsearch, merges_answer_late):
    import io

    from django.core.management import call_command

    from search.backends import elastic

    out = io.StringIO()
    call_command("merge_search_index", stdout=out)
    name = next(iter(elasticsearch.indices.get_alias(name=elastic.alias())))
    assert out.getvalue().startswith(f"Sammenslåingen av {name} pågår fortsatt i Elasticsearch")


@es
def test_the_nightly_merge_without_an_index_says_how_to_build_one(elasticsearch):
    from django.core.management import CommandError, call_command

    from search.documents import alias

    with pytest.raises(
        CommandError, match=f"ingen indeks under navnet {alias()}. Bygg den med rebuild_search_index"
    ):
        call_command("merge_search_index")


def test_the_nightly_merge_says_so_when_elasticsearch_does_not_answer(settings):
    from django.core.management import CommandError, call_command

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    with pytest.raises(CommandError, match="Elasticsearch svarte ikke, og indeksen er ikke slått sammen"):
        call_command("merge_search_index")


def test_the_nightly_merge_has_nothing_to_do_on_the_database_backend(settings):
    import io

    from django.core.management import call_command

    settings.ELASTICSEARCH_URL = ""
    out = io.StringIO()
    call_command("merge_search_index", stdout=out)
    assert (
        out.getvalue() == "Elasticsearch er ikke i bruk (ELASTICSEARCH_URL er tom): ingenting å slå sammen.\n"
    )


@es
def test_a_merge_that_outlasts_its_wait_does_not_stop_the_rebuild(
    indexed, elasticsearch, merges_answer_late, caplog
):
    """The merge goes on in the node; the complete index is swapped in as it is."""
    from search import indexing
    from search.backends import elastic

    with caplog.at_level("WARNING", logger="search"):
        name = elastic.rebuild(indexing.document_for(p) for p in indexing.searchable_pages())
    assert list(elasticsearch.indices.get_alias(name=elastic.alias())) == [name]
    assert f"the merge of {name} is still running" in caplog.text
    assert _search("pulsoksymeter").hits[0].title.startswith("Digital hjemmeoppfølging")


@es
def test_two_rebuilds_at_once_never_drop_each_others_index(indexed, elasticsearch):
    from search import indexing
    from search.backends import elastic

    with elastic.rebuild_lock():
        with pytest.raises(elastic.RebuildRunning):
            elastic.rebuild(indexing.document_for(p) for p in indexing.searchable_pages())
    # The lock is released: the next rebuild runs.
    name = elastic.rebuild(indexing.document_for(p) for p in indexing.searchable_pages())
    assert list(elasticsearch.indices.get_alias(name=elastic.alias())) == [name]


@es
def test_searches_during_a_rebuild_never_come_back_empty_or_failing(indexed, elasticsearch):
    from search import indexing
    from search.backends import elastic

    docs = [indexing.document_for(p) for p in indexing.searchable_pages()]
    request = elastic.search_request(queries.parse("legemiddel"), {}, [], 0, 10).using(elasticsearch)
    totals, errors, done = [], [], threading.Event()

    def read():
        while not done.is_set():
            try:
                response = request.execute()
                totals.append(response.hits.total.value)
            except Exception as exc:  # any error counts against the rebuild
                errors.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for _ in range(3):
            elastic.rebuild(iter(docs))
    finally:
        done.set()
        reader.join()
    assert errors == []
    assert len(totals) > 10 and min(totals) == max(totals) > 0


@es
def test_a_common_concept_s_strong_match_does_not_outweigh_the_query_s_other_concepts(elasticsearch, db):
    """«trening etter sykehus»: the page about training, with «trening» in its title, summary and
    body, came before the page about rehabilitation after a hospital stay, which has both of the
    query's concepts: Lucene added up «trening» over the fields, linear in their weights. Each
    concept of a query of several is saturated, by its rarity (``elastic.SATURATION``), so the page
    with both comes first, as on the database."""
    from search import backends, indexing

    training = publish_page(
        "procedure",
        "sentral",
        "Trening i hjemmet",
        "Trening hjemme gir styrke. Treningen skjer hjemme hos pasienten.",
        body_text="Trening hver dag: trening av balanse, trening av gange.",
    )
    answer = publish_page(
        "procedure",
        "sentral",
        "Hverdagsrehabilitering etter sykehusopphold",
        "Pasienten kommer hjem fra sykehus og får trening i kommunen.",
    )
    _index_beside_seasonal_plans("trening")
    parsed = queries.parse("trening etter sykehus")
    # Unbounded, with «trening» also found in its other forms («treningen»: ``near_words``), its
    # strong match in every field of the training page outweighs the page with both concepts.
    request = elastic.search_request(parsed, {}, [], 0, 10, fuzzy={"trening"})
    unbounded = [hit.title for hit in request.using(elasticsearch).execute()]
    assert unbounded.index(training.title) < unbounded.index(answer.title)
    bounded = [hit.title for hit in _search("trening etter sykehus").hits]
    assert bounded.index(answer.title) < bounded.index(training.title)
    database = [hit["title"] for hit in backends.database.find(parsed, {}, [], 0, 10)["hits"]]
    assert database.index(answer.title) < database.index(training.title)
    # The rarities are the concepts', from the known-words request: «trening» (or «mosjon»,
    # «fysisk aktivitet») is on the six pages above, «sykehus» on fewer, of all the pages indexed.
    counts, _ = elastic.what_the_index_knows(parsed)
    training_pages, hospital_pages = (counts.concepts[elastic.concept_key(c)] for c in parsed.concepts)
    assert training_pages == 6 and 1 <= hospital_pages < 6
    assert counts.total == len(list(indexing.searchable_pages()))
    assert elastic.concept_rarities(parsed, counts) == [
        pytest.approx(params.rarity(6, counts.total)),
        pytest.approx(params.rarity(hospital_pages, counts.total)),
    ]


@es
def test_a_concept_a_phrase_claimed_is_as_rare_as_the_pages_with_its_expressions(elasticsearch, db):
    """«varsling sykehus utskrivningsklare pasienter»: the shipped synonym list's group claims
    «utskrivningsklare pasienter», the query's subject. Bounded at the other concepts' mean rarity, as an average word,
    it lost to a page about alerting that has nothing of the subject; as rare as the pages with
    any of its expressions (one here), the page with the subject comes first, as on the database."""
    from search import backends

    alerting = publish_page(
        "procedure",
        "sentral",
        "Varsling om smitte",
        "Sykehuset sender varsling til kommunen. Varsling om smitte skjer samme dag.",
        body_text="Varsling gjelder alle pasienter med smitte. Varsling gis på telefon.",
    )
    answer = publish_page(
        "procedure",
        "sentral",
        "Mottak i kommunen",
        "Kommunen tar imot utskrivningsklare pasienter fra sykehuset.",
        body_text="Sykehuset gir beskjed når pasienten kan reise hjem.",
    )
    _index_beside_seasonal_plans("varsling om pasienter på sykehus")
    query = "varsling sykehus utskrivningsklare pasienter"
    parsed = queries.parse(query)
    subject = parsed.concepts[2]
    assert "utskrivningsklare pasienter" in [alt.text for alt in subject.alternatives]
    assert elastic.typed_words(dataclasses.replace(parsed, concepts=[subject])) == []
    counts, _ = elastic.what_the_index_knows(parsed)
    assert counts.concepts[elastic.concept_key(subject)] == 1 and counts.known["pasienter"]
    assert elastic.concept_rarities(parsed, counts)[2] == pytest.approx(params.rarity(1, counts.total))
    titles = [hit.title for hit in _search(query).hits]
    assert titles.index(answer.title) < titles.index(alerting.title)
    database = [hit["title"] for hit in backends.database.find(parsed, {}, [], 0, 10)["hits"]]
    assert database.index(answer.title) < database.index(alerting.title)


@es
def test_a_concept_typed_in_a_word_no_page_has_is_as_common_as_its_synonyms(elasticsearch, db):
    """«utskrevet fra DPS»: no page has «utskrevet», and its synonym «utskrivning» is on every page
    about discharge. Counted by the typed word alone, the concept was the rarest there is, bounded
    far above «DPS», and the pages about discharge came before the page about leaving the DPS,
    which has both. Counted by the pages with any of its expressions, it is the common concept,
    and the page with both comes first, as on the database."""
    from search import backends

    for title in ("Utskrivning til sykehjem", "Utskrivning med tolk", "Utskrivning og legemidler"):
        publish_page(
            "procedure",
            "sentral",
            title,
            "Utskrivning fra sykehuset: utskrivning skjer etter plan.",
            body_text="Ved utskrivning får kommunen melding. Utskrivning avtales med pasienten.",
        )
    answer = publish_page(
        "procedure",
        "oslo",
        "Når DPS avslutter behandlingen",
        "DPS sender epikrise til fastlegen og bydelen ved utskrivning.",
        body_text="Bydelen får beskjed i god tid.",
    )
    # «DPS» on the seasonal plans as well: as common as «utskrivning», as the two are in the demo.
    _index_beside_seasonal_plans("DPS")
    parsed = queries.parse("utskrevet fra DPS")
    discharge = parsed.concepts[0]
    assert "utskrivning" in [alt.text for alt in discharge.alternatives]
    counts, unknown = elastic.what_the_index_knows(parsed)
    assert not counts.known["utskrevet"] and unknown == {"utskrevet"}
    # The three pages about discharge and the answer (and any page of another test's world with
    # «utskrivning», in the whole suite).
    assert counts.concepts[elastic.concept_key(discharge)] >= 4
    assert _search("utskrevet fra DPS").hits[0].title == answer.title
    database = [hit["title"] for hit in backends.database.find(parsed, {}, [], 0, 10)["hits"]]
    assert database[0] == answer.title


@es
def test_a_concepts_words_are_weighed_as_the_word_the_reader_typed(elasticsearch, db, monkeypatch):
    """«utskrivningsrapport»: one page has the word the reader typed, once; the page on messages
    has its synonym «utskrivningsmelding» twice, and three other pages have the synonym too (all in
    their summaries, which every page has: a word's rarity is of the pages, Lucene's of the pages
    with the field).
    Weighed by its own rarity, the typed word found once outscored the synonym found twice; weighed
    as the typed word, every word of the concept is one idea, and the page with it twice comes
    first, as on PostgreSQL, where a concept's words weigh alike (``postgres.ranking``)."""
    from search.models import Synonym

    Synonym.objects.update_or_create(term="utskrivningsrapport", defaults={"synonyms": "utskrivningsmelding"})
    once = publish_page(
        "procedure",
        "sentral",
        "Trening hjemme",
        "Fysioterapeuten leser utskrivningsrapport fra sykehuset før første besøk hjemme.",
    )
    twice = publish_page(
        "procedure",
        "sentral",
        "Meldinger mellom sykehus og kommune",
        "Sykehuset sender utskrivningsmelding samme dag, og en utskrivningsmelding er kort.",
    )
    for title in ("Ved hjemreise", "Ved overflytting", "Ved innleggelse"):
        publish_page("procedure", "sentral", title, "Kommunen får utskrivningsmelding og svarer samme dag.")
    _index_beside_seasonal_plans("hjelp")
    parsed = queries.parse("utskrivningsrapport")
    (concept,) = parsed.concepts
    assert [alt.text for alt in concept.alternatives] == ["utskrivningsrapport", "utskrivningsmelding"]
    counts, _ = elastic.what_the_index_knows(parsed)
    typed, synonym = (counts.stems[alt.stems[0]] for alt in concept.alternatives)
    assert typed == 1 and synonym >= 4
    # The synonym scores as the typed word does: up by its rarity's ratio to the typed word's.
    assert elastic.expression_weights(parsed, counts) == [
        {
            "utskrivningsrapport": 1.0,
            "utskrivningsmelding": pytest.approx(
                params.rarity(1, counts.total) / params.rarity(synonym, counts.total)
            ),
        }
    ]
    titles = [hit.title for hit in _search("utskrivningsrapport").hits]
    assert titles.index(twice.title) < titles.index(once.title)
    # Each word by its own rarity, the page with the typed word once came first.
    monkeypatch.setattr(
        elastic.request, "expression_weights", lambda parsed, counts: [{}] * len(parsed.concepts)
    )
    assert [hit.title for hit in _search("utskrivningsrapport").hits][0] == once.title


@es
def test_a_page_with_a_synonyms_phrase_scores_its_words_wherever_they_stand(elasticsearch, db, monkeypatch):
    """«dø hjemme» (a synonym of «hjemmedød»): the page on palliative care has the phrase once and
    «hjemme» throughout; its words count wherever they stand there (``elastic.request._phrase_words``), as
    PostgreSQL ranks a phrase's words where the phrase holds, and it comes before a page that has
    the query's other rare word once in its summary. Scored as the phrase alone, that page came
    first."""
    from search.models import Synonym

    Synonym.objects.update_or_create(term="hjemmedød", defaults={"synonyms": "dø hjemme"})
    answer = publish_page(
        "procedure",
        "sentral",
        "Lindrende behandling i hjemmet",
        "Hjemmesykepleien følger opp den syke hjemme, med lege og pårørende.",
        body_text="Mange vil dø hjemme. Hjemme er familien nær, og hjemme kan utstyr og legemidler"
        " stå klart. Tjenesten kommer hjem hver dag, også om natten, så lenge den syke er hjemme.",
    )
    other = publish_page(
        "procedure",
        "sentral",
        "Trening etter sykehusopphold",
        "Treningen starter når pasienten er klar for den.",
        body_text="Fysioterapeuten kommer hjem.",
    )
    _index_beside_seasonal_plans("hjelp")
    query = "vil dø hjemme, når er alt klar"
    assert "dø hjemme" in [alt.text for c in queries.parse(query).concepts for alt in c.alternatives]
    titles = [hit.title for hit in _search(query).hits]
    assert titles.index(answer.title) < titles.index(other.title)

    def phrase_alone(alt):
        return Q(
            "multi_match",
            query=alt.text,
            fields=elastic.FIELDS,
            type="phrase",
            boost=elastic.per_word(alt.stems),
        )

    monkeypatch.setattr(elastic.request, "_phrase_words", phrase_alone)
    titles = [hit.title for hit in _search(query).hits]
    assert titles.index(other.title) < titles.index(answer.title)


@es
def test_a_page_with_a_synonyms_words_apart_is_found_after_the_pages_with_the_phrase(elasticsearch, db):
    """«dø hjemme» (a synonym of «hjemmedød»): a page with both words, but apart, answers the query
    as it does on the database backends, which find a synonym's words anywhere and rank them only
    where the phrase holds; it comes after the page with the phrase, and a page with one of the
    words is not found: the pages its concept is counted on (``elastic.concept_rarities``). With
    the phrase as the test of finding as well, it was lost."""
    from search.models import Synonym

    Synonym.objects.update_or_create(term="hjemmedød", defaults={"synonyms": "dø hjemme"})
    phrase = publish_page(
        "procedure", "sentral", "Lindrende behandling", "Mange vil dø hjemme, med familien nær."
    )
    apart = publish_page(
        "recommendation",
        "sentral",
        "Samtale om livets siste fase",
        "Hvor vil pasienten dø? Noen ønsker å være hjemme, andre på sykehjem.",
    )
    one_word = publish_page("procedure", "sentral", "Trening hjemme", "Øvelser å gjøre hjemme.")
    _index_beside_seasonal_plans("hjelp")
    parsed = queries.parse("hjemmedød")
    assert "dø hjemme" in [alt.text for alt in parsed.concepts[0].alternatives]
    result = _search("hjemmedød")
    titles = [hit.title for hit in result.hits]
    assert titles[:2] == [phrase.title, apart.title]
    assert one_word.title not in titles
    assert result.total == 2


@es
def test_a_word_only_inside_a_compound_is_known_and_counted(elasticsearch, db):
    """«fall» stands on the page only inside «Fallforebygging», in its summary: the compound's parts
    go to the ``stems`` field with every other stem, so the word is known (not fuzzy) and its
    concept counts the page, as the search finds it there (``elastic.concept_rarities``)."""
    publish_page("procedure", "sentral", "Forebygging hjemme", "Fallforebygging i hjemmet gir færre brudd.")
    _index_beside_seasonal_plans("hjelp")
    parsed = queries.parse("fall brudd")
    counts, unknown = elastic.what_the_index_knows(parsed)
    assert counts.known["fall"] and unknown == set()
    # As many pages as the search finds for the concept: this one, and in the whole suite the pages
    # of other tests' worlds with «fall».
    falls = counts.concepts[elastic.concept_key(parsed.concepts[0])]
    assert falls >= 1 and falls == _search("fall").total


@es
def test_a_word_no_page_has_finds_the_page_with_another_form_of_its_stem(elasticsearch, db):
    """«antikoagulerte pasienter ved utskrivning»: no page has «antikoagulerte», and a page has
    «antikoagulasjon», more letters away than a typo; the words that begin with its stem find it,
    as on the database backends (``elastic.near_words``). Found by the other words alone, it came
    after the pages about discharge that have nothing of the subject."""
    from search import backends

    answer = publish_page(
        "procedure",
        "sentral",
        "Legemidler ved utskrivning",
        "Antikoagulasjon skal stå på listen som følger pasienten.",
    )
    others = [
        publish_page(
            "procedure",
            "sentral",
            f"Utskrivning av pasienter {place}",
            f"Pasienter som skrives ut {place} får en samtale ved utskrivning.",
        )
        for place in ("fra medisinsk avdeling", "fra kirurgisk avdeling", "til sykehjem")
    ]
    _index_beside_seasonal_plans("pasienter")
    query = "antikoagulerte pasienter ved utskrivning"
    counts, near = elastic.what_the_index_knows(queries.parse(query))
    assert near == {"antikoagulerte"} and not counts.known["antikoagulerte"]
    assert [hit.title for hit in _search(query).hits][0] == answer.title
    database = [hit["title"] for hit in backends.database.find(queries.parse(query), {}, [], 0, 10)["hits"]]
    assert database[0] == answer.title and {page.title for page in others} <= set(database)


@es
def test_a_short_word_no_page_has_finds_no_neighbours_of_another_meaning(elasticsearch, db):
    """«TUG» (a walking test no page names) is one letter from «tur», a walk; a stem of four letters
    or fewer is not looked for near its spelling (``elastic.FUZZINESS``), so the page about walks
    is no hit. A long misspelt word still finds its page, two letters off."""
    publish_page("procedure", "sentral", "Tur i nærmiljøet", "Beboerne går en tur hver formiddag.")
    answer = publish_page(
        "procedure",
        "sentral",
        "Legemiddelsamstemming ved innleggelse",
        "Sykehuset samstemmer listen med kommunen.",
    )
    _index_beside_seasonal_plans("hjelp")
    assert elastic.word_counts(["tug"]).unknown() == {"tug"}
    assert "Tur i nærmiljøet" not in [hit.title for hit in _search("tug").hits]
    assert answer.title in [hit.title for hit in _search("legemidelsamstemmng").hits]


@es
def test_a_word_of_a_question_finds_a_longer_word_of_a_body_that_begins_with_it(elasticsearch, db):
    """«pasienten snakker lite norsk»: the page about interpreters has «norsk» only at the start of
    «norskkunnskaper», a compound the splitter cannot part. The database backends search «norsk»
    as a prefix and find it there; so does Elasticsearch in a body (``elastic.prose_prefix``), and
    the page comes before the pages that have the query's other words alone."""
    from search import backends

    answer = publish_page(
        "procedure",
        "sentral",
        "Tolk ved samtaler",
        "Kvalifisert tolk bestilles i god tid.",
        body_text="Pasienten snakker lite og har svake norskkunnskaper; da bruker vi tolk, også på telefon.",
    )
    others = [
        publish_page(
            "procedure",
            "sentral",
            f"Samtaler {place}",
            "Samtalen planlegges sammen med pårørende.",
            body_text=f"Pasienten snakker lite {place}.",
        )
        for place in ("på sykehjem", "etter utskrivning", "i hjemmet")
    ]
    # «norsk» as a word of its own on a page about something else: known, so not looked for as the
    # beginning of a word by ``near_words``.
    publish_page("procedure", "oslo", "Norsk kvalitetsregister", "Registeret samler data fra kommunene.")
    _index_beside_seasonal_plans("hjelp")
    query = "pasienten snakker lite norsk"
    counts, unknown = elastic.what_the_index_knows(queries.parse(query))
    assert counts.known["norsk"] and unknown == set()
    for titles in (
        [hit.title for hit in _search(query).hits],
        [hit["title"] for hit in backends.database.find(queries.parse(query), {}, [], 0, 10)["hits"]],
    ):
        assert {answer.title, *(page.title for page in others)} <= set(titles)
        assert titles.index(answer.title) < min(titles.index(page.title) for page in others)
    # The word the prefix found is marked in the snippet, as on the database.
    (snippet,) = [hit.snippet for hit in _search(query).hits if hit.title == answer.title]
    assert "svake <mark>norskkunnskaper</mark>" in snippet
