"""An index built by other analysis code is rebuilt at the next release (search/fingerprint.py,
``rebuild_search_index --if-stale``, run by the Procfile's release step); one built by the running
code is left alone."""

import shutil

import pytest
from django.core.management import call_command

from search import analysis, fingerprint
from search.backends import elastic
from search.documents import alias, build_index
from search.models import IndexAnalysis, SearchDocument
from search.service import run_search

pytestmark = pytest.mark.django_db


def rebuild(capsys, **options):
    call_command("rebuild_search_index", no_progress=True, **options)
    return capsys.readouterr().out


def titles(query):
    return [hit.title for hit in run_search(query).hits]


@pytest.fixture
def fresh_fingerprint():
    fingerprint.database.cache_clear()
    yield
    fingerprint.database.cache_clear()


def test_a_full_rebuild_records_the_analysis_and_a_second_run_if_stale_leaves_the_index_alone(pages, capsys):
    rebuild(capsys)
    assert IndexAnalysis.objects.get().fingerprint == fingerprint.database()
    SearchDocument.objects.filter(title="Henvisning til BUP").delete()  # so a rebuild would show

    out = rebuild(capsys, if_stale=True)

    assert "Databaseindeksen er bygget med denne analysen." in out
    assert "sider indeksert" not in out
    assert titles("BUP") == []


@pytest.mark.parametrize("built", [None, "0" * 64], ids=["never-recorded", "other-analysis"])
def test_an_index_built_before_the_record_or_with_other_analysis_is_rebuilt_if_stale(pages, capsys, built):
    rebuild(capsys)
    if built is None:
        IndexAnalysis.objects.all().delete()  # a portal upgraded from before the record
    else:
        IndexAnalysis.objects.update(fingerprint=built)
    SearchDocument.objects.filter(title="Henvisning til BUP").delete()

    out = rebuild(capsys, if_stale=True)

    assert "5 sider indeksert" in out
    assert titles("BUP") == ["Henvisning til BUP"]
    assert IndexAnalysis.objects.get().fingerprint == fingerprint.database()


def test_a_changed_word_list_changes_the_fingerprint_and_the_synonym_list_does_not(
    tmp_path, fresh_fingerprint
):
    before = fingerprint.database()
    data = tmp_path / "data"
    shutil.copytree(fingerprint.DATA_DIR, data)
    original = fingerprint.DATA_DIR
    try:
        fingerprint.DATA_DIR = data
        with (data / "synonymer.csv").open("a", encoding="utf-8") as synonyms:
            synonyms.write("trillebår;rullestol\n")  # applied to queries: no rebuild needed
        fingerprint.database.cache_clear()
        assert fingerprint.database() == before
        with (data / "helseord.txt").open("a", encoding="utf-8") as words:
            words.write("sjøsyke\n")  # a new compound part: pages split differently
        fingerprint.database.cache_clear()
        assert fingerprint.database() != before
    finally:
        fingerprint.DATA_DIR = original


def test_a_changed_stem_changes_the_fingerprint(monkeypatch, fresh_fingerprint):
    """The chain is fingerprinted by its output: code that stems one listed word otherwise (as
    when «migrene» stopped being «migr») gives another fingerprint, with no number to bump."""
    before = fingerprint.database()
    real_analyze = analysis.analyze

    def analyze_pleie_otherwise(text, **kwargs):  # «pleie», a word of helseord.txt, stemmed «pleiee»
        return ["pleiee" if s == analysis.stem("pleie") else s for s in real_analyze(text, **kwargs)]

    monkeypatch.setattr(analysis, "analyze", analyze_pleie_otherwise)
    fingerprint.database.cache_clear()
    assert fingerprint.database() != before


@pytest.mark.elasticsearch
def test_an_elasticsearch_index_built_by_other_code_is_rebuilt_if_stale_and_a_current_one_is_not(
    pages, capsys, elasticsearch
):
    rebuild(capsys)
    first = elastic.built_fingerprint()
    assert first == elastic.current_fingerprint()

    out = rebuild(capsys, if_stale=True)
    assert "Elasticsearch-indeksen er bygget med denne analysen." in out
    assert "Elasticsearch: ny indeks" not in out
    kept = set(elastic.admin_client().indices.get_alias(name=alias()))

    # An index as releases before the record built it: the same definition without the _meta.
    es = elastic.admin_client()
    old = f"{alias()}-19990101000000000000"
    body = build_index(old).to_dict()
    del body["mappings"]["_meta"]
    es.indices.create(index=old, **body)
    swap = [{"remove": {"index": name, "alias": alias()}} for name in kept]
    es.indices.update_aliases(actions=[*swap, {"add": {"index": old, "alias": alias()}}])
    assert elastic.built_fingerprint() is None

    out = rebuild(capsys, if_stale=True)

    assert "Databaseindeksen er bygget med denne analysen." in out
    assert "Elasticsearch: ny indeks" in out
    now = set(es.indices.get_alias(name=alias()))
    assert old not in now and not now & kept
    assert elastic.built_fingerprint() == elastic.current_fingerprint()
    assert [hit.title for hit in run_search("BUP").hits] == ["Henvisning til BUP"]
    assert run_search("BUP").backend == "elasticsearch"
