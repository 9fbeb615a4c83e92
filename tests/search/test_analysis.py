"""Norwegian analysis: inflected forms meet, æøå survive folding, highlights are safe HTML."""

import pytest

from search.analysis import analyze, clean_query, fold, highlight, stem


@pytest.mark.parametrize(
    "forms",
    [
        ("prosedyre", "prosedyrer", "prosedyren", "prosedyrene"),
        ("legemiddel", "legemidler", "legemidlene", "legemidlet"),
        ("utskrivning", "utskrivningen"),
        ("sykehus", "sykehuset", "sykehusene"),
        ("regel", "regler"),
        # An agent noun's plural and definite forms with its base form (Snowball alone leaves
        # "brukere" and "brukeren" at "bruker", and "bruker" at "bruk").
        ("bruker", "brukere", "brukeren"),
        ("sykepleier", "sykepleiere", "sykepleieren"),
        ("kateter", "kateteret"),
        ("fastlege", "fastlegen", "fastleger", "fastlegene"),
        ("helselov", "helseloven", "helselovene"),
    ],
)
def test_inflected_forms_share_a_stem(forms):
    assert len({stem(fold(word)) for word in forms}) == 1


@pytest.mark.parametrize(
    ("compound", "word"), [("fastlege", "fast"), ("kommunelege", "kommune"), ("helseloven", "helse")]
)
def test_a_compound_of_lege_or_lov_does_not_meet_the_word_before_it(compound, word):
    """Snowball cuts -leg and -lov off, which made «fastlege» search for «fast»."""
    assert stem(compound) != stem(word)


def test_folding_keeps_norwegian_letters_and_drops_other_accents():
    assert fold("Blåbær, Søknad, Café, Åse, Ärlig, Öl") == "blåbær, søknad, cafe, åse, ærlig, øl"


def test_folding_changes_only_what_it_must_of_any_text():
    # Ligatures and letters of other alphabets' own, combining accents alone, signs that are no
    # letters: each as the character's decomposition without its accents.
    assert fold("Straße ﬁnne Łódź Þór œdem İ") == "strasse finne lodz thor oedem i"
    assert fold("e\u0301 x\u0308y") == "e xy"
    assert fold("40 °C – «varm» 😊") == "40 °c – «varm» 😊"


def test_question_words_are_not_searched_for():
    assert analyze("Hvem har ansvar for legemiddelsamstemming ved utskrivning?") == [
        stem("ansvar"),
        stem("legemiddelsamstemming"),
        stem("utskrivning"),
    ]


def test_highlight_marks_matching_words_and_escapes_everything_else():
    text = "Legemidler <script>alert(1)</script> & legemiddelliste"
    out = highlight(text, {stem("legemidler")})
    assert out.startswith("<mark>Legemidler</mark> &lt;script&gt;")
    assert "&amp;" in out and "<script>" not in out


def test_highlight_cuts_to_the_window_with_the_matches():
    text = "Innledning. " * 50 + "Her står det om fall hos eldre." + " Avslutning." * 50
    out = highlight(text, {stem("fall")}, length=120)
    assert "<mark>fall</mark>" in out and out.startswith("… ") and len(out) < 200


def test_highlights_sharing_what_they_have_seen_mark_the_same_words():
    # The hits of one search share ``seen``: a word tested for one text is not tested again.
    stems = {stem("legemidler"), stem("utskrivning")}
    first = "Legemidler ved utskrivning fra sykehus."
    second = "Ved utskrivningen gjennomgås legemidlene, og sykehus varsler fastlegen."
    seen = {}
    assert highlight(first, stems, seen=seen) == (
        "<mark>Legemidler</mark> ved <mark>utskrivning</mark> fra sykehus."
    )
    assert seen == {"Legemidler": True, "ved": False, "utskrivning": True, "fra": False, "sykehus": False}
    assert (
        highlight(second, stems, seen=seen)
        == highlight(second, stems)
        == (
            "Ved <mark>utskrivningen</mark> gjennomgås <mark>legemidlene</mark>, og sykehus varsler fastlegen."
        )
    )


def test_clean_query_removes_control_characters_and_bounds_length():
    assert clean_query("a\x00b\u200bc\n d") == "a b c d"
    assert len(clean_query("x" * 10_000)) == 500


def test_stemming_gives_the_same_stems_when_many_server_threads_stem_at_once():
    import threading

    from search.analysis import stem

    stem_uncached = stem.__wrapped__
    words_ = [
        f"{base}{ending}"
        for base in ("legemiddel", "prosedyre", "utskrivning", "samhandling")
        for ending in ("", "er", "ene", "en", "ens", "ers")
    ] * 40
    expected = [stem_uncached(w) for w in words_]
    results, errors = {}, []

    def work(n):
        try:
            results[n] = [stem_uncached(w) for w in words_]
        except Exception as exc:  # the shared stemmer raised IndexError here
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert all(result == expected for result in results.values())


@pytest.mark.parametrize(
    ("forms", "other"),
    [
        # Snowball cuts «migrene» to «migr», and a prefix search on that found «migrasjon».
        (("migrene", "migrenen", "migrener", "migrenene"), ("migrasjon", "migrert", "migrere")),
        # The -er rule cut «feber» to «feb», the short form of «februar».
        (("feber", "feberen", "febrer", "febrene"), ("feb", "februar")),
        # «senter» was «sent», whose prefix search found «sentral» and «sentrum».
        (("senter", "senteret", "sentre", "sentrene"), ("sentral", "sentrale", "sentrum")),
    ],
)
def test_a_word_the_stemmer_cuts_too_far_keeps_its_stem_from_the_exception_list(forms, other):
    stems = {stem(word) for word in forms}
    assert len(stems) == 1
    (own,) = stems
    assert len(own) >= 5
    for word in other:
        assert not stem(word).startswith(own)
        assert stem(word) != own
