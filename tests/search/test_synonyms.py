"""Synonyms: the starting list, lay words finding professional pages, one-way umbrella terms, and
the central team's CSV export and import in the admin (issue #16)."""

import importlib

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from editorial.communities import EDITOR, add_editor, setup_community
from search import queries, service, synonym_list
from search.analysis import stem, words
from search.models import Synonym
from tests.search.conftest import BACKENDS, publish_page, publish_seasonal_plans

LIST_URL = "/admin/snippets/search/synonym/"
IMPORT_URL = "/admin/snippets/search/synonym/importer/"
PASSWORD = "test-passord-123"

starting_list = importlib.import_module("search.migrations.0009_synonym_starting_list")


def _titles(query):
    result = service.run_search(query)
    return [hit.title for hit in result.hits]


def _alternatives(text):
    return {alt.text for concept in queries.parse(text).concepts for alt in concept.alternatives}


def _index_on_elasticsearch():
    """The pages published so far, in the test's own Elasticsearch index."""
    from search import indexing
    from search.backends import elastic

    elastic.rebuild(indexing.document_for(page) for page in indexing.searchable_pages())


# ---------------------------------------------------------------------------------- the starting list


def test_the_migration_loads_the_starting_list_of_at_least_300_groups(db):
    assert Synonym.objects.count() >= 300
    assert len(synonym_list.read_starting_list()) >= 300
    diabetes = Synonym.objects.get(term="diabetes")
    assert "sukkersyke" in synonym_list.split_synonyms(diabetes.synonyms)
    assert Synonym.objects.get(term="hjertesykdom").one_way
    assert not Synonym.objects.get(term="KOLS").one_way


def test_the_starting_list_loads_again_without_changing_anything_and_keeps_editors_changes(db):
    edited = Synonym.objects.get(term="diabetes")
    edited.synonyms = "sukkersyke"
    edited.save()
    Synonym.objects.filter(term="IP").delete()  # shipped by migration 0003: an editor removed it
    before = {s.term: (s.synonyms, s.one_way, s.updated_at) for s in Synonym.objects.all()}

    starting_list.load(apps, None)

    after = {s.term: (s.synonyms, s.one_way, s.updated_at) for s in Synonym.objects.all()}
    assert after == before


# ---------------------------------------------------------------------------------- searching


def test_lay_words_find_the_professional_page_through_the_search_service(pages):
    publish_page(
        "procedure",
        "oslo",
        "Forebygging av trykksår i hjemmesykepleien",
        "Risikovurdering, trykkavlastning og hudinspeksjon hos sengeliggende pasienter.",
    )
    publish_page(
        "procedure",
        "oslo",
        "Oppfølging av diabetes mellitus hos eldre",
        "Blodsukkermåling og fotundersøkelse for hjemmeboende.",
    )
    assert "Forebygging av trykksår i hjemmesykepleien" in _titles("liggesår")
    assert "Oppfølging av diabetes mellitus hos eldre" in _titles("sukkersyke")
    # and the professional word finds the page in lay words
    assert "Henvisning til BUP" in _titles("barnepsykiatri")


def test_lay_words_of_the_second_round_find_the_professional_page(pages):
    """Groups added to the starting list in issue #16's second round, as a fresh portal has them."""
    publish_page("procedure", "oslo", "Herpes zoster hos eldre", "Smertelindring og oppfølging hjemme.")
    publish_page("procedure", "ahus", "Claudicatio intermittens", "Gangtrening ved perifer karsykdom.")
    publish_page("procedure", "ahus", "Trøske hos spedbarn", "Behandling med mikstur.")
    publish_page("good_example", "ahus", "Soppinfeksjon i huden", "Et tilbud i kommunen.")
    assert _titles("helvetesild") == ["Herpes zoster hos eldre"]
    assert _titles("røykebein") == ["Claudicatio intermittens"]
    # «soppinfeksjon» is an umbrella term: it finds «trøske», which does not find it
    assert set(_titles("soppinfeksjon")) == {"Trøske hos spedbarn", "Soppinfeksjon i huden"}
    assert _titles("trøske") == ["Trøske hos spedbarn"]


def test_a_lay_phrase_is_claimed_before_a_word_of_it_by_a_group_of_its_own(pages):
    """«lavt blodsukker» is the føling group's, not the word «lavt» and the blodsukker group's
    «blodsukker»: the longer expression claims the query's words first."""
    publish_page("procedure", "ahus", "Hypoglykemi hos eldre med diabetes", "Tiltak ved føling hjemme.")
    publish_page("procedure", "oslo", "Hypertensjon i sykehjem", "Oppfølging av beboere.")
    publish_page("procedure", "ahus", "Dyp venetrombose etter hoftebrudd", "Forebygging med LMH.")
    assert _titles("lavt blodsukker") == ["Hypoglykemi hos eldre med diabetes"]
    assert _titles("høyt blodtrykk") == ["Hypertensjon i sykehjem"]
    assert _titles("blodpropp i beinet") == ["Dyp venetrombose etter hoftebrudd"]
    concepts = queries.parse("lavt blodsukker").concepts
    assert len(concepts) == 1
    assert {"føling", "hypoglykemi"} <= {alt.text for alt in concepts[0].alternatives}
    # a group is still represented by the first of its expressions the query has: «FACT-team» is
    # the FACT group's «FACT» and the word «team»
    assert [[alt.text for alt in c.alternatives][:1] for c in queries.parse("FACT-team").concepts] == [
        ["fact"],
        ["team"],
    ]


def test_of_two_overlapping_expressions_as_long_the_one_written_first_claims_its_words(pages):
    """«terminal pleie hjemme» has two expressions of two words that share «pleie»: the shipped
    one-way groups «terminal pleie» (terminalpleie, palliasjon) and «pleie i hjemmet»
    (hjemmesykepleie). The list's order gave «pleie hjemme» to home nursing and left «terminal» a
    word of its own, so the pages about palliative care at home were not found by their subject;
    the expression the reader wrote first now claims its words, as one reads."""
    publish_page(
        "procedure", "ahus", "Palliasjon i hjemmet", "Lindrende behandling for pasienter som vil dø hjemme."
    )
    publish_page("procedure", "oslo", "Legemidler i hjemmesykepleien", "Hjemmesykepleien deler ut medisiner.")
    first, second = queries.parse("terminal pleie hjemme").concepts
    assert {"terminalpleie", "palliasjon"} <= {alt.text for alt in first.alternatives}
    assert [alt.text for alt in second.alternatives][:1] == ["hjemme"]
    assert _titles("terminal pleie hjemme")[0] == "Palliasjon i hjemmet"


def test_the_groups_are_read_once_per_content_version_and_a_new_synonym_at_once(db):
    """Within a reader's request the content version is read once (the page cache does), so
    parsing a query reads nothing of the synonym table; saving a synonym writes a new version."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core import pagecache

    queries.parse("KOLS")
    with pagecache.one_reading(), CaptureQueriesContext(connection) as queried:
        queries.parse("KOLS hjemme")
        queries.parse("kronisk obstruktiv lungesykdom")
    assert [q["sql"] for q in queried.captured_queries if "search_synonym" in q["sql"]] == []
    assert "fall" not in _alternatives("trappeulykke")
    Synonym.objects.create(term="trappeulykke", synonyms="fall")
    assert "fall" in _alternatives("trappeulykke")


def test_a_publish_that_changes_no_synonym_keeps_the_groups_built_and_an_edit_builds_them_again(pages):
    """Every publish writes a new content version, and each process reads the synonyms again at
    its next search; it builds the groups again only when their texts or the communities' names
    changed (building the shipped list's 1,309 groups took 21 ms of that search)."""
    # A process that has read the groups of this content version only (tests set the version
    # back, so this one may have kept groups of the same version built for an earlier test).
    queries.forget_groups()
    before = queries.synonym_groups()
    publish_page("procedure", "oslo", "Trappeulykker hjemme", "Om fall i trapper.")
    assert queries.synonym_groups() is before
    kols = Synonym.objects.get(term__iexact="kols")
    kols.synonyms += "\nrøykelunge"
    kols.save()
    assert queries.synonym_groups() is not before
    assert "røykelunge" in _alternatives("KOLS")


def test_after_a_publish_the_next_search_reads_the_groups_version_and_not_the_synonyms(pages):
    """A publish writes a new content version, and the next search of each process asks whether
    the groups changed (one row), not for the synonyms' texts and the communities' names again:
    that was 3 ms of every search after a publish."""
    from django.test.utils import CaptureQueriesContext

    queries.forget_groups()
    queries.parse("KOLS")
    publish_page("procedure", "oslo", "Trappeulykker hjemme", "Om fall i trapper.")
    with CaptureQueriesContext(connection) as queried:
        assert "kronisk obstruktiv lungesykdom" in _alternatives("KOLS")
    read = " ".join(q["sql"] for q in queried.captured_queries)
    assert "search_groupsversion" in read
    assert "search_synonym" not in read
    assert "kompetanse_communityhomepage" not in read


def test_a_community_renamed_on_its_home_page_is_a_place_at_the_next_search(pages):
    """The communities' names are part of the groups: a home page published with a new name
    moves the groups' version, and the next search knows the name as a place."""
    from kompetanse.models import CommunityHomePage

    assert not any(concept.place for concept in queries.parse("legevakt Storbyen").concepts)
    home = CommunityHomePage.objects.get(slug="oslo")
    home.short_name = "Storbyen"
    home.save_revision().publish()
    assert [concept.place for concept in queries.parse("legevakt Storbyen").concepts] == [False, True]


def test_the_groups_looked_up_by_first_stem_parse_as_the_whole_list_does(db):
    """The parser finds a query's groups through an index of their expressions' first stems; the
    concepts are the same as when every group of the list is tested in turn."""
    indexed = queries.synonym_groups()
    assert isinstance(indexed, queries.Groups)
    whole_list = list(indexed)
    terms = sorted(Synonym.objects.values_list("term", flat=True))
    asked = [
        "lavt blodsukker",
        "blodpropp i beinet hos eldre",
        "FACT-team i bydelen",
        "KOLS hjemme",
        "rus og psykiatri utskrivning",
        *(f"{a} {b} hjemme" for a, b in zip(terms[::7], terms[3::7], strict=False)),
    ]
    for text in asked:
        assert queries.parse(text, indexed, ()) == queries.parse(text, whole_list, ()), text
        # The index gives exactly what testing every expression of every group in turn gives.
        present = {stem(word) for word in words(text)}
        every_expression = [
            (order, rank, expr)
            for order, group in enumerate(whole_list)
            for rank, (expr, _) in enumerate(group[:1] if isinstance(group, queries.OneWayGroup) else group)
            if expr[0] in present
        ]
        assert queries._candidates(indexed, present) == every_expression, text


def test_a_claimed_phrase_that_finds_nothing_gives_way_to_its_words(pages):
    """«rus i svangerskapet» is a synonym group's phrase: as a phrase it claims both words, so a
    page that has the words apart («rus» … «svangerskap») is no hit. When nothing is found that
    way the words are searched each anywhere in a page; when the phrase finds a page, the search
    is as it was."""
    Synonym.objects.get_or_create(
        term="rus i svangerskapet", defaults={"synonyms": "gravide med rusproblemer"}
    )
    apart = publish_page(
        "recommendation",
        "ahus",
        "Oppfølging av gravide med rusmiddelproblemer",
        "Rus i tidlig svangerskap krever tett oppfølging fra kommunen.",
    )
    assert queries.parse("rus i svangerskapet").loosened() is not None
    assert _titles("rus i svangerskapet") == [apart.title]
    together = publish_page(
        "procedure", "oslo", "Kartlegging av rus i svangerskapet", "Spørsmål ved første kontroll."
    )
    # The page with the phrase comes first (PostgreSQL finds a phrase's words anywhere and ranks
    # the phrase first; SQLite finds the phrase only).
    assert _titles("rus i svangerskapet")[0] == together.title
    # A query no phrase claimed has nothing to loosen.
    assert queries.parse("svangerskap rus").loosened() is None


def test_a_claimed_phrase_whose_words_together_find_nothing_gives_way_to_each_word(pages):
    """«depresjon eldre» is claimed by the group «alderdomsdepresjon» (its «depresjon hos eldre»):
    with no page about depression, neither the phrase nor its words together found anything, so
    the search found nothing, where the two words without the group find the pages with either."""
    publish_page("procedure", "oslo", "Fallforebygging hos eldre", "Tiltak i hjemmet.")
    assert queries.parse("depresjon eldre").loosened() is not None
    assert "Fallforebygging hos eldre" in _titles("depresjon eldre")
    result = service.run_search("depresjon eldre")
    assert result.counted_without_hits == ""
    # A page with both words comes first, and the phrase's group is searched as before.
    publish_page("procedure", "ahus", "Depresjon hos eldre i sykehjem", "Kartlegging og samtaler.")
    assert _titles("depresjon eldre")[0] == "Depresjon hos eldre i sykehjem"
    assert "alderdomsdepresjon" in _alternatives("depresjon eldre")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_query_of_twelve_words_of_large_synonym_groups_is_answered(backend, request, db):
    """The central team may make a synonym group as large as it likes. Twelve words of groups of
    60 expressions each are over 700 alternatives: more terms than SQLite takes in one compound
    SELECT (500, ``sqlite.FOUND_BATCH``), and more clauses than any other query makes."""
    letters = "bcdfghjklmnpqrstv"
    terms = [f"kodeord{a}" for a in letters[:12]]
    for term in terms:
        expressions = [f"{term}{b}{c}" for b in letters[:6] for c in letters[:10]]
        Synonym.objects.create(term=term, synonyms="\n".join(expressions))
    page = publish_page("procedure", "oslo", "Rutine for kodeordbvc", "Om kodeordbvc i kommunen.")
    query = " ".join(terms)
    assert sum(len(concept.alternatives) for concept in queries.parse(query).concepts) > 700
    if backend == "elasticsearch":
        request.getfixturevalue("elasticsearch")
        _index_on_elasticsearch()
    result = service.run_search(query)
    assert result.backend == backend
    assert [hit.title for hit in result.hits] == [page.title]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_query_a_phrase_claims_whole_finds_its_words_apart_below_the_phrase(backend, request, db):
    """«palliasjon barn»: the shipped group of «palliasjon til barn» claims both words. Only the
    phrase found, the page on palliative care at home that also speaks of the children in the
    family was no hit on SQLite and Elasticsearch, where PostgreSQL found it; the words apart
    (``ParsedQuery.claimed_whole``) find it on every backend, below the page with the phrase."""
    children = publish_page(
        "procedure",
        "vestre-viken",
        "Palliasjon til barn hjemme",
        "Barnepalliativt team og kommunen samarbeider når et barn skal være hjemme.",
    )
    home = publish_page(
        "recommendation",
        "ahus",
        "Palliasjon i hjemmet",
        "Hjemmesykepleien og palliativt team følger opp palliasjon hjemme.",
        body_text="Snakk også med barn i familien om sykdommen.",
    )
    publish_seasonal_plans("tilbud om barn", "oslo")
    parsed = queries.parse("palliasjon barn")
    assert parsed.claimed_whole is parsed.concepts[0]
    # In a query of several concepts the others find pages: no words apart.
    assert queries.parse("palliasjon barn Oslo").claimed_whole is None
    if backend == "elasticsearch":
        request.getfixturevalue("elasticsearch")
        _index_on_elasticsearch()
    result = service.run_search("palliasjon barn")
    assert result.backend == backend
    assert [hit.title for hit in result.hits] == [children.title, home.title]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_synonyms_phrase_holds_on_a_page_that_writes_it_without_its_stop_word(backend, request, db):
    """«rehabilitering i hjemmet» (a synonym of «HRH»): the page that says «rehabilitering hjemme»
    has the phrase, as the database backends read a phrase without its stop words, and comes
    first; PostgreSQL and Elasticsearch also find a page with the two words apart, after it.
    Elasticsearch keeps a stop word's place in the index, and a phrase asked with «i» in it held
    only where a word stood between: the two pages tied, and the one indexed first came first."""
    Synonym.objects.update_or_create(term="HRH", defaults={"synonyms": "rehabilitering i hjemmet"})
    apart = publish_page(
        "procedure",
        "sentral",
        "Rehabilitering etter sykehusopphold",
        "Opptrening på institusjon, og oppfølging i hjemmet etterpå.",
    )
    together = publish_page(
        "recommendation", "sentral", "Etter hjerneslag", "Pasienten får rehabilitering hjemme fra første uke."
    )
    if backend == "elasticsearch":
        request.getfixturevalue("elasticsearch")
        _index_on_elasticsearch()
    result = service.run_search("HRH")
    assert result.backend == backend
    titles = [hit.title for hit in result.hits]
    if connection.vendor == "sqlite" and backend == "database":
        assert titles == [together.title]  # FTS5 asks for the phrase (``sqlite.match_expression``)
    else:
        assert titles == [together.title, apart.title]


@pytest.mark.elasticsearch
def test_a_claimed_phrase_that_finds_nothing_gives_way_to_its_words_on_elasticsearch(pages, elasticsearch):
    Synonym.objects.get_or_create(
        term="rus i svangerskapet", defaults={"synonyms": "gravide med rusproblemer"}
    )
    publish_page(
        "recommendation",
        "ahus",
        "Oppfølging av gravide med rusmiddelproblemer",
        "Rus i tidlig svangerskap krever tett oppfølging fra kommunen.",
    )
    _index_on_elasticsearch()
    result = service.run_search("rus i svangerskapet")
    assert result.backend == "elasticsearch"
    assert [hit.title for hit in result.hits] == ["Oppfølging av gravide med rusmiddelproblemer"]
    assert result.counted_without_hits == ""


def test_migraine_and_fever_do_not_find_migration_and_february(pages):
    """«migrene» was stemmed to «migr», whose prefix search found «migrasjon»; «feber» to «feb»,
    the short form of «februar» (search/data/stammer.txt)."""
    publish_page("procedure", "ahus", "Migrasjon av journaldata", "Flytting av journaler mellom systemer.")
    publish_page("procedure", "oslo", "Migrene hos ungdom", "Anfallsbehandling og forebygging.")
    publish_page("good_example", "oslo", "Fagdag 12. feb", "Program for dagen.")
    publish_page("procedure", "ahus", "Feber hos små barn", "Når skal barnet til lege?")
    assert _titles("migrene") == ["Migrene hos ungdom"]
    assert _titles("feber") == ["Feber hos små barn"]


def test_me_in_capitals_is_the_illness_and_me_in_lower_case_a_stop_word(pages):
    """The group «ME» (myalgisk encefalopati) had a term that is a stop word (Nynorsk «me», we),
    which took it out of every query: a search for «ME» found nothing. Written in capitals it is
    the illness; in lower case it is still the stop word."""
    publish_page("procedure", "oslo", "Myalgisk encefalopati hos ungdom", "Tilrettelegging i skolen.")
    publish_page("procedure", "ahus", "Skolehelsetjenesten for ungdom", "Samtaler på skolen.")
    assert _titles("ME") == ["Myalgisk encefalopati hos ungdom"]
    assert _titles("ME ungdom")[0] == "Myalgisk encefalopati hos ungdom"
    assert "myalgisk encefalopati" not in _alternatives("me og ungdom")
    assert _alternatives("me og ungdom") == {"ungdom", "unge", "tenåring", "ungdommer"}


@pytest.mark.elasticsearch
def test_me_and_a_claimed_phrase_given_way_to_each_word_on_elasticsearch(pages, elasticsearch):
    """The two fixes above reach Elasticsearch through the parser and the search service."""
    publish_page("procedure", "oslo", "Myalgisk encefalopati hos ungdom", "Tilrettelegging i skolen.")
    publish_page("procedure", "ahus", "Fallforebygging hos eldre", "Tiltak i hjemmet.")
    _index_on_elasticsearch()
    me = service.run_search("ME")
    assert me.backend == "elasticsearch"
    assert [hit.title for hit in me.hits] == ["Myalgisk encefalopati hos ungdom"]
    apart = service.run_search("depresjon eldre")
    assert apart.backend == "elasticsearch"
    assert "Fallforebygging hos eldre" in [hit.title for hit in apart.hits]


def test_lay_words_of_the_third_round_find_the_professional_page(pages):
    """Groups added to the starting list in issue #16's third round (migration 0014)."""
    publish_page("procedure", "ahus", "Lungeødem ved hjertesvikt", "Vanndrivende behandling og vekt.")
    publish_page("procedure", "oslo", "Hodepine hos barn", "Når skal barnet til lege?")
    publish_page("good_example", "oslo", "Sykmelding og NAV-kontoret", "Samarbeid om oppfølging.")
    publish_page("procedure", "ahus", "Acetylsalisylsyre før operasjon", "Når pauses behandlingen?")
    publish_page("procedure", "ahus", "Oksazepam ved abstinens", "Nedtrapping i kommunen.")
    publish_page("procedure", "ahus", "Henvisning til kardiolog", "Utredning av brystsmerter.")
    assert _titles("vann i lungene") == ["Lungeødem ved hjertesvikt"]
    assert _titles("vondt i hodet") == ["Hodepine hos barn"]
    assert _titles("trygdekontor") == ["Sykmelding og NAV-kontoret"]
    assert _titles("Albyl-E") == ["Acetylsalisylsyre før operasjon"]
    assert _titles("Sobril") == ["Oksazepam ved abstinens"]
    assert _titles("hjertelege") == ["Henvisning til kardiolog"]
    # «vannpiller» finds the page that says «vanndrivende» (the diuretika group's word)
    assert _titles("vannpiller") == ["Lungeødem ved hjertesvikt"]
    publish_page("procedure", "ahus", "Samarbeid om pasienter med ROP-lidelser", "Felles plan.")
    assert _titles("rus og psykiatri") == ["Samarbeid om pasienter med ROP-lidelser"]
    # a lay phrase of everyday words finds the professional word, one way only
    publish_page("procedure", "oslo", "Utskrivning til hjemmesykepleien", "Sjekkliste for avdelingen.")
    assert "Utskrivning til hjemmesykepleien" in _titles("hjem fra sykehuset")
    assert "hjem fra sykehuset" not in _alternatives("utskrivning")
    # a lay word for a symptom reaches the condition's page
    publish_page("procedure", "oslo", "Demensutredning hos fastlegen", "Kognitiv testing.")
    assert "Demensutredning hos fastlegen" in _titles("hukommelsesproblemer")


def test_lay_words_of_the_fifth_round_find_the_professional_page(pages):
    """Groups added to the starting list in issue #16's fifth round (migration 0018)."""
    publish_page("procedure", "ahus", "Oppfølging av type 2-diabetes i kommunen", "Kontroller hos fastlegen.")
    publish_page("procedure", "oslo", "Epikrise til fastlegen", "Frister og innhold.")
    publish_page("procedure", "oslo", "Mottak av utskrivningsklare pasienter", "Varsling av kommunen.")
    publish_page("procedure", "ahus", "Bruk av støttestrømper", "Måling og påkledning.")
    assert _titles("alderdomsdiabetes") == ["Oppfølging av type 2-diabetes i kommunen"]
    assert _titles("brev fra sykehuset") == ["Epikrise til fastlegen"]
    assert _titles("overliggere") == ["Mottak av utskrivningsklare pasienter"]
    # the umbrella term finds the stockings; the stockings do not search every compression treatment
    assert _titles("kompresjonsbehandling") == ["Bruk av støttestrømper"]
    assert "kompresjonsbehandling" not in _alternatives("støttestrømper")
    assert "kompresjonsstrømper" in _alternatives("støttestrømper")


def test_lay_words_of_the_general_health_language_round_find_the_professional_page(pages):
    """Groups added to the starting list in issue #16's round from general health language
    (migration 0019): lay names of specialists, examinations and places, and a one-way umbrella."""
    publish_page("procedure", "oslo", "Henvisning til gynekolog", "Hva fastlegen sender med.")
    publish_page("procedure", "ahus", "Elektrokardiogram hos eldre", "Tolkning og vanlige funn.")
    publish_page("procedure", "ahus", "Opphold på pasienthotell", "Hvem kan bo der før og etter behandling.")
    publish_page(
        "procedure", "oslo", "Forhøyet ALAT hos pasienter på statiner", "Når skal prøven tas på nytt."
    )
    assert _titles("kvinnelege") == ["Henvisning til gynekolog"]
    assert _titles("hjertefilm") == ["Elektrokardiogram hos eldre"]
    assert _titles("sykehotell") == ["Opphold på pasienthotell"]
    # the umbrella term finds the single test; the single test does not search every liver test
    assert _titles("leverprøver") == ["Forhøyet ALAT hos pasienter på statiner"]
    assert "leverprøver" not in _alternatives("ALAT")
    # «apoteker» is left out of the pharmacist's group: it stems as «apotek», the pharmacy, does
    assert "farmasøyt" not in _alternatives("apotek")
    assert "farmasøyt" in _alternatives("provisor")
    # an older name finds the equipment's page; an older umbrella name finds depression one way
    publish_page("procedure", "oslo", "Bruk av sengegrind på sykehjem", "Vurdering og dokumentasjon.")
    assert _titles("sengehest") == ["Bruk av sengegrind på sykehjem"]
    assert "depresjon" in _alternatives("melankoli")
    assert "melankoli" not in _alternatives("depresjon")


@pytest.mark.elasticsearch
def test_lay_words_of_the_general_health_language_round_work_on_elasticsearch(pages, elasticsearch):
    """The same shipped groups reach Elasticsearch: a lay name finds the professional page there."""
    publish_page("procedure", "oslo", "Henvisning til revmatolog", "Hva fastlegen sender med.")
    publish_page("procedure", "ahus", "Ekkokardiografi ved hjertesvikt", "Når undersøkelsen bestilles.")
    _index_on_elasticsearch()

    rheumatology = service.run_search("giktlege")
    echo = service.run_search("hjerteultralyd")
    assert rheumatology.backend == echo.backend == "elasticsearch"
    assert [hit.title for hit in rheumatology.hits] == ["Henvisning til revmatolog"]
    assert [hit.title for hit in echo.hits] == ["Ekkokardiografi ved hjertesvikt"]


def test_an_umbrella_term_finds_its_narrower_terms_but_not_the_reverse(pages):
    publish_page(
        "procedure",
        "ahus",
        "Oppfølging etter hjerteinfarkt",
        "Kontroll hos fastlegen de første ukene etter utskrivning.",
    )
    publish_page(
        "good_example",
        "ahus",
        "Trening for eldre med hjertesykdom",
        "Et lavterskeltilbud i kommunen.",
    )
    assert Synonym.objects.get(term="hjertesykdom").one_way
    umbrella = _titles("hjertesykdom")
    assert "Oppfølging etter hjerteinfarkt" in umbrella
    assert "Trening for eldre med hjertesykdom" in umbrella
    assert _titles("hjerteinfarkt") == ["Oppfølging etter hjerteinfarkt"]


def test_the_one_way_flag_decides_the_direction(db):
    Synonym.objects.create(term="luftveislidelse", synonyms="bronkiolitt\nepiglottitt", one_way=True)
    assert {"bronkiolitt", "epiglottitt"} <= _alternatives("luftveislidelse")
    assert _alternatives("bronkiolitt") == {"bronkiolitt"}
    assert _alternatives("epiglottitt hos barn") == {"epiglottitt", "barn"}

    group = Synonym.objects.get(term="luftveislidelse")
    group.one_way = False
    group.save()
    assert "luftveislidelse" in _alternatives("bronkiolitt")


def test_a_word_in_two_groups_gets_the_words_of_both(db):
    Synonym.objects.create(term="luftveissyk", synonyms="pustebesværlig")
    Synonym.objects.create(term="pustebesværlig", synonyms="andpusten", one_way=True)
    assert {"luftveissyk", "pustebesværlig", "andpusten"} <= _alternatives("pustebesværlig")
    assert "andpusten" not in _alternatives("luftveissyk")


@pytest.mark.elasticsearch
def test_a_one_way_synonym_works_the_same_on_elasticsearch(pages, elasticsearch):
    """The same expansion reaches Elasticsearch: the umbrella term finds both pages, the narrower
    term only its own. A group of its own keeps the request small: every alternative is a fuzzy
    query per field, and readers' searches give up after a few seconds."""
    Synonym.objects.create(term="luftveislidelse", synonyms="bronkiolitt\nepiglottitt", one_way=True)
    publish_page("procedure", "ahus", "Bronkiolitt hos spedbarn", "Vaksinasjon og smitteoppsporing.")
    publish_page("good_example", "ahus", "Luftveislidelse hos eldre", "Et tilbud i kommunen.")
    _index_on_elasticsearch()

    umbrella = service.run_search("luftveislidelse")
    narrow = service.run_search("bronkiolitt")
    assert umbrella.backend == narrow.backend == "elasticsearch"
    assert {hit.title for hit in umbrella.hits} == {"Bronkiolitt hos spedbarn", "Luftveislidelse hos eldre"}
    assert [hit.title for hit in narrow.hits] == ["Bronkiolitt hos spedbarn"]


@pytest.mark.elasticsearch
def test_a_lay_phrase_is_claimed_before_a_word_of_it_on_elasticsearch(pages, elasticsearch):
    """The longer expression's concept reaches Elasticsearch too: «lavt blodsukker» finds the page
    that says «hypoglykemi» and «føling», and «vann i lungene» the page on «lungeødem»."""
    publish_page("procedure", "ahus", "Hypoglykemi hos eldre med diabetes", "Tiltak ved føling hjemme.")
    publish_page("procedure", "ahus", "Lungeødem ved hjertesvikt", "Vanndrivende behandling og vekt.")
    _index_on_elasticsearch()

    low = service.run_search("lavt blodsukker")
    water = service.run_search("vann i lungene")
    assert low.backend == water.backend == "elasticsearch"
    assert [hit.title for hit in low.hits] == ["Hypoglykemi hos eldre med diabetes"]
    assert [hit.title for hit in water.hits] == ["Lungeødem ved hjertesvikt"]


# ---------------------------------------------------------------------------------- CSV in the admin


@pytest.fixture(scope="module")
def _teams(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            setup_community("sentral")
            setup_community("oslo")
            central, _ = add_editor("redaktor-sentral-syn", "sentral", EDITOR, password=PASSWORD)
            local, _ = add_editor("redaktor-oslo-syn", "oslo", EDITOR, password=PASSWORD)
            yield {"central": central.pk, "local": local.pk}
            transaction.set_rollback(True)


@pytest.fixture
def as_user(client, _teams, db):
    from django.contrib.auth import get_user_model

    def _login(who):
        client.force_login(get_user_model().objects.get(pk=_teams[who]))
        return client

    return _login


def _export(client):
    response = client.get(LIST_URL, {"export": "csv"})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _import(client, data):
    return client.post(
        IMPORT_URL, {"file": SimpleUploadedFile("synonymer.csv", data, content_type="text/csv")}
    )


def _state():
    return {s.term: (s.synonyms, s.one_way, s.updated_at) for s in Synonym.objects.all()}


def test_a_central_editor_exports_the_list_as_csv(as_user):
    data = _export(as_user("central"))
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "term;synonyms;retning"
    assert "KOLS;kronisk obstruktiv lungesykdom|røykelunge;begge" in lines
    assert any(
        line.startswith("hjertesykdom;hjerteinfarkt|hjertesvikt|") and line.endswith(";en-vei")
        for line in lines
    )
    assert len(lines) == Synonym.objects.count() + 1


def test_exporting_and_importing_the_export_changes_nothing(as_user):
    client = as_user("central")
    before = _state()
    response = _import(client, _export(client))
    assert response.status_code == 302
    assert _state() == before
    message = str(list(get_messages(response.wsgi_request))[0])
    assert message == f"Importert: 0 nye, 0 endrede og {len(before)} uendrede synonymgrupper."


def test_a_good_file_adds_and_updates_groups(as_user):
    data = (
        b"term;synonyms;retning\n"
        b"hoftesmerter;vondt i hofta|hofteplager;begge\n"
        b"luftveislidelse;kikhoste|krupp;en-vei\n"
        b"kols;kronisk obstruktiv lungesykdom;begge\n"
    )
    response = _import(as_user("central"), data)
    assert response.status_code == 302
    assert Synonym.objects.get(term="hoftesmerter").synonyms == "vondt i hofta\nhofteplager"
    assert Synonym.objects.get(term="luftveislidelse").one_way
    kols = Synonym.objects.get(term__iexact="kols")  # the existing group, matched in any case
    assert kols.synonyms == "kronisk obstruktiv lungesykdom"
    assert "krupp" in _alternatives("luftveislidelse")


LONG_LINE = "ordet;" + "x" * 4988 + ";begge"  # 5,000 characters
BAD_FILES = {
    "missing column": (
        b"term;synonyms\nKOLS;kronisk obstruktiv lungesykdom\n",
        "Linje 1: kolonne mangler: «retning».",
    ),
    "empty term": (
        b"term;synonyms;retning\nhoftesmerter;hofteplager;begge\n;vondt;begge\n",
        "Linje 3: «term» er tom.",
    ),
    "line of 5,000 characters": (
        f"term;synonyms;retning\nhoftesmerter;hofteplager;begge\n{LONG_LINE}\n".encode(),
        "Linje 3: linjen er for lang (5000 tegn; høyst 2000).",
    ),
    "not UTF-8": (
        "term;synonyms;retning\nhoftesmerter;hofteplager;begge\nsøvn;søvnvansker;begge\n".encode("latin-1"),
        "Linje 3: teksten er ikke UTF-8. Lagre filen som «CSV UTF-8».",
    ),
    "unknown direction": (
        b"term;synonyms;retning\nhoftesmerter;hofteplager;frem\n",
        "Linje 2: «retning» må være «begge» eller «en-vei», ikke «frem».",
    ),
    "same term twice": (
        b"term;synonyms;retning\nhoftesmerter;hofteplager;begge\nHoftesmerter;vondt i hofta;begge\n",
        "Linje 3: «Hoftesmerter» står også på linje 2.",
    ),
}


@pytest.mark.parametrize("data, error", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_names_the_line_and_imports_nothing(as_user, data, error):
    before = _state()
    response = _import(as_user("central"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ingenting ble importert." in html
    assert error in html
    assert _state() == before
    assert not Synonym.objects.filter(term="hoftesmerter").exists()


def test_a_local_editor_can_neither_import_nor_export(as_user):
    client = as_user("local")
    assert client.get(IMPORT_URL).status_code == 403
    assert _import(client, b"term;synonyms;retning\nhoftesmerter;hofteplager;begge\n").status_code == 403
    assert client.get(LIST_URL, {"export": "csv"}).status_code in (302, 403)
    assert not Synonym.objects.filter(term="hoftesmerter").exists()


def test_the_import_page_shows_the_form_to_the_central_team(as_user):
    response = as_user("central").get(IMPORT_URL)
    assert response.status_code == 200
    assert "Importer synonymer" in response.content.decode()
    listing = as_user("central").get(LIST_URL).content.decode()
    assert "Eksporter CSV" in listing and "Importer CSV" in listing
