"""The guidance first: a procedure comes before a course on the same words that answers as well, on
every backend (``params.OTHER_KIND_WEIGHT``), and a course that answers much better still wins."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache

from core import pagecache
from kompetanse.communities import ensure_community
from search import params
from tests.search.conftest import BACKENDS, on_backend, publish_page
from tests.worlds import built_once

pytestmark = pytest.mark.django_db

PROCEDURE = "Kompresjonsbehandling av leggsår i hjemmesykepleien"
COURSE = "Kompresjonsbehandling av leggsår"
COURSE_LABEL = "E-læringskurs"
SUMMARY = "Leggsår: kompresjonsbehandling av leggsår."
COURSE_FIELDS = {
    "course_url": "https://kurs.example.no/leggsar",
    "provider": "Kompetansebroen",
    "learning_outcomes": "<p>Kompresjonsbehandling av leggsår.</p>",
}


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        ensure_community("sentral", "Felles innhold")
        yield {
            "procedure": publish_page(
                "procedure", "sentral", PROCEDURE, "Måling, bandasjering og oppfølging."
            ),
            # The course has the words in a shorter title and in its summary: unweighted, it comes first.
            "course": publish_page("course", "sentral", COURSE, SUMMARY, **COURSE_FIELDS),
            # Only the course is about hand hygiene: the one page that answers, whatever its kind.
            # (Not support stockings, as before: the synonym list now links «støttestrømper» and
            # «kompresjonsbehandling», and in a world of three pages the rarer word outweighs both
            # of the query's.)
            "hygiene_course": publish_page(
                "course",
                "sentral",
                "Håndhygiene",
                "Håndhygiene: vask, hånddesinfeksjon og hansker.",
                **COURSE_FIELDS,
            ),
        }


@pytest.fixture(params=BACKENDS)
def world(request, _world, db):
    return on_backend(request, _world)


def hits(client, query):
    """(kind, title) of each hit, best first."""
    html = client.get("/sok/", {"q": query}).content.decode()
    return [
        (hit.select_one(".content-type").get_text(strip=True), hit.select_one("h2 a").get_text(strip=True))
        for hit in BeautifulSoup(html, "html.parser").select(".search-hit")
    ]


def test_other_kinds_than_the_guidance_are_weighted_below_it():
    assert params.OTHER_KIND_WEIGHT < 1
    assert set(params.kind_weights()) == {
        "news", "event", "course", "film", "podcast", "podcast_episode", "topic"
    }  # fmt: skip


def test_the_procedure_comes_before_a_course_that_answers_as_well(client, world, monkeypatch):
    assert hits(client, "kompresjonsbehandling leggsår")[:2] == [
        ("Prosedyre", PROCEDURE),
        (COURSE_LABEL, COURSE),
    ]
    # Without the weight, the course that says the words more often would come first.
    monkeypatch.setattr(params, "OTHER_KIND_WEIGHT", 1.0)
    cache.clear()  # the answers kept for a repeated search
    pagecache.clear()  # and the page as served
    assert hits(client, "kompresjonsbehandling leggsår")[:2] == [
        (COURSE_LABEL, COURSE),
        ("Prosedyre", PROCEDURE),
    ]


def test_a_course_that_alone_answers_is_still_found_first(client, world):
    assert hits(client, "håndhygiene")[0] == (COURSE_LABEL, "Håndhygiene")
