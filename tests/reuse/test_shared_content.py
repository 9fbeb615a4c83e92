"""Shared content: the central section's pages appear in every community's listings, marked."""

import pytest

from kompetanse.communities import ensure_community, listing_for
from kompetanse.factories import GoodExamplePageFactory, ProcedurePageFactory, TopicFactory
from tests.worlds import built_once, fresh

pytestmark = pytest.mark.django_db


def under(community, kind):
    return listing_for(ensure_community(community), kind)


@pytest.fixture(scope="module")
def _pages(django_db_setup, django_db_blocker):
    """The pages are built once for the module; no test changes them."""
    with built_once(django_db_blocker):
        yield _build_pages()


@pytest.fixture
def pages(_pages, db):
    return fresh(_pages)


def _build_pages():
    fall = TopicFactory(slug="fall", name="Fallforebygging")
    legemidler = TopicFactory(slug="legemidler", name="Legemidler")
    return {
        "central": ProcedurePageFactory(
            parent=under("sentral", "procedure"), title="Felles prosedyre", topics=[fall]
        ),
        "central_other_topic": ProcedurePageFactory(
            parent=under("sentral", "procedure"), title="Felles legemidler", topics=[legemidler]
        ),
        "central_example": GoodExamplePageFactory(
            parent=under("sentral", "good_example"), title="Felles eksempel"
        ),
        "oslo": ProcedurePageFactory(
            parent=under("oslo", "procedure"), title="Oslo-prosedyre", topics=[fall]
        ),
        "ahus": ProcedurePageFactory(parent=under("ahus", "procedure"), title="Ahus-prosedyre"),
    }


def listed(listing):
    return sorted(page.title for page in listing.listed_pages())


def test_central_pages_of_the_type_appear_in_every_community_listing(pages):
    assert listed(under("oslo", "procedure")) == ["Felles legemidler", "Felles prosedyre", "Oslo-prosedyre"]
    assert listed(under("ahus", "procedure")) == ["Ahus-prosedyre", "Felles legemidler", "Felles prosedyre"]
    assert listed(under("oslo", "good_example")) == ["Felles eksempel"]
    assert listed(under("sentral", "procedure")) == ["Felles legemidler", "Felles prosedyre"]


def test_topic_filter_applies_to_shared_pages(pages, rf):
    listing = under("oslo", "procedure")
    found, *_ = listing.filtered_pages(rf.get("/", {"fagomrade": "fall"}).GET)
    assert sorted(p.title for p in found) == ["Felles prosedyre", "Oslo-prosedyre"]


def test_shared_pages_are_not_copied(pages):
    assert pages["central"].get_parent().get_parent().slug == "sentral"
    from kompetanse.models import ProcedurePage

    assert ProcedurePage.objects.filter(title="Felles prosedyre").count() == 1


def test_the_listing_marks_shared_content(client, pages):
    html = client.get(under("oslo", "procedure").url).content.decode()
    assert "Felles prosedyre" in html
    assert html.count('class="shared-marker">Felles innhold<') == 2
    html = client.get(under("sentral", "procedure").url).content.decode()
    assert "shared-marker" not in html
