"""Learning resources in a real browser (Debian's chromium): the film consent gate asks nothing of
YouTube until the reader presses the button, and every new page type passes axe at 390 and 1280 px."""

import re

import pytest

from kompetanse.factories import (
    CoursePageFactory,
    FilmPageFactory,
    PodcastEpisodePageFactory,
    PodcastPageFactory,
    TopicFactory,
    make_document,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THIRD_PARTY = re.compile(r"youtube|ytimg|googlevideo|vimeo|doubleclick|google", re.IGNORECASE)


def test_an_embedded_film_asks_nothing_of_youtube_until_the_reader_presses_the_button(browser, live_server):
    film = FilmPageFactory(
        title="Riktig inhalasjonsteknikk ved KOLS", embed_url="https://www.youtube.com/watch?v=kp-demo-001"
    )
    # The page's own Content-Security-Policy applies (no bypass): it must let the player's frame in.
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nb-NO")
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    # Nothing leaves the machine: the player's address answers with a stand-in.
    page.route(
        THIRD_PARTY, lambda route: route.fulfill(status=200, content_type="text/html", body="<p>spiller</p>")
    )

    page.goto(live_server.url + film.url, wait_until="networkidle")
    button = page.get_by_role("button", name="Vis videoen (YouTube lagrer informasjon om deg)")
    assert button.is_visible()
    assert page.locator("iframe").count() == 0
    assert [url for url in requested if THIRD_PARTY.search(url)] == []

    button.click()
    frame = page.locator("iframe")
    frame.wait_for()
    assert frame.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/kp-demo-001?rel=0")
    assert frame.get_attribute("title") == "Film: Riktig inhalasjonsteknikk ved KOLS"
    page.wait_for_load_state("networkidle")
    assert [url for url in requested if THIRD_PARTY.search(url)] == [
        "https://www.youtube-nocookie.com/embed/kp-demo-001?rel=0&autoplay=1"
    ]
    context.close()


def test_course_film_and_podcast_pages_pass_axe_and_fit_a_phone(browser, live_server):
    """axe-core (WCAG 2.1 A and AA) finds nothing on each new page type and listing at 390 and
    1280 px, and nothing scrolls sideways."""
    from tests.kompetanse.test_reader_browser import ARTIFACTS, axe_and_phone_fit_problems

    topic = TopicFactory(name="KOLS og lungesykdom", slug="kols-og-lungesykdom")
    course = CoursePageFactory(
        title="Digital hjemmeoppfølging av personer med KOLS, for hjemmesykepleien og lungepoliklinikken",
        credits="Godkjent med 2 timer i spesialistutdanningen for sykepleiere",
        duration_minutes=90,
        topics=[topic],
        target_groups=["flere-kroniske-lidelser"],
    )
    embedded = FilmPageFactory(title="Riktig inhalasjonsteknikk ved KOLS", topics=[topic])
    uploaded = FilmPageFactory(
        title="Munnstell ved livets slutt",
        embed_url="",
        video_file=make_document("Film", "munnstell.mp4", b"\x00\x00\x00\x18ftypmp42" + bytes(16)),
    )
    series = PodcastPageFactory(title="Samhandlingspodden", summary="Om samarbeid mellom kommune og sykehus.")
    episode = PodcastEpisodePageFactory(
        parent=series,
        title="KOLS hjemme: når målingene slår ut",
        transcript="<p><strong>Programleder:</strong> Velkommen.</p><h3>Varsler</h3><p>Vi ringer samme dag.</p>",
    )
    urls = {
        "course": course.url,
        "course_listing": course.get_parent().url,
        "film_embedded": embedded.url,
        "film_uploaded": uploaded.url,
        "film_listing": embedded.get_parent().url,
        "podcast_series": series.url,
        "podcast_episode": episode.url,
        "podcast_listing": series.get_parent().url,
    }
    ARTIFACTS.mkdir(exist_ok=True)
    assert (
        axe_and_phone_fit_problems(browser, {name: live_server.url + url for name, url in urls.items()}) == []
    )


def test_the_episode_player_reads_the_silent_mp3_and_the_film_its_captions(browser, live_server):
    """The browser decodes the factories' (and the demo's) hand-made MPEG audio, and loads a
    film's WebVTT file as its default Norwegian captions track."""
    episode = PodcastEpisodePageFactory(title="KOLS hjemme")
    film = FilmPageFactory(
        embed_url="", video_file=make_document("Film", "film.mp4", b"\x00\x00\x00\x18ftypmp42" + bytes(16))
    )
    context = browser.new_context(locale="nb-NO")
    page = context.new_page()
    page.goto(live_server.url + episode.url)
    duration = page.evaluate(
        """() => new Promise(resolve => {
            const audio = document.querySelector("audio");
            if (audio.readyState >= 1) return resolve(audio.duration);
            audio.addEventListener("loadedmetadata", () => resolve(audio.duration));
            audio.addEventListener("error", () => resolve(-1));
            audio.load();
        })"""
    )
    assert 0.8 < duration < 1.1
    page.goto(live_server.url + film.url)
    cue = page.evaluate(
        """() => new Promise(resolve => {
            const track = document.querySelector("video track");
            const done = () => resolve(track.track.cues && track.track.cues.length ? track.track.cues[0].text : null);
            if (track.readyState === 2) return done();
            track.addEventListener("load", done);
            track.addEventListener("error", () => resolve("error"));
            track.track.mode = "showing";
        })"""
    )
    assert cue == "Velkommen til filmen."
    context.close()
