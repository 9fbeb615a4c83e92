"""«Ta i bruk» for every kind of content: a published page of the central section is taken into a
community's listing of its kind, or, for the kinds shown everywhere as they are (a podcast series,
which a copy would take without its episodes, an episode, a topic page), the editor is told so and
is offered nothing."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from kompetanse.communities import ensure_community, listing_for
from kompetanse.factories import KnowledgePageFactory
from kompetanse.models import CONTENT_MODELS
from reuse.adopting import AdoptionError, adopt
from reuse.models import MODE_ADAPT, Adoption
from tests.reuse.conftest import copy_world_media
from tests.reuse.test_adopting import adopt_via_admin, editor
from tests.worlds import built_once, fresh

pytestmark = pytest.mark.django_db

FACTORIES = {factory._meta.model.content_kind: factory for factory in KnowledgePageFactory.__subclasses__()}
# The kinds whose pages are shown everywhere as they are, never copied.
NOT_COPIED = {"podcast": "Podkaster", "podcast_episode": "Podkastepisoder", "topic": "Temasider"}


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker, world_media):
    with built_once(django_db_blocker), override_settings(MEDIA_ROOT=str(world_media)):
        ensure_community("sentral")
        oslo = ensure_community("oslo", "Helsefellesskap Oslo")
        sources = {
            kind: FACTORIES[kind](community="sentral", title=f"Felles side ({kind})")
            for kind in CONTENT_MODELS
        }
        yield {
            "sources": sources,
            "oslo": oslo,
            "editor": editor(get_user_model(), oslo, "oslo-redaktor"),
            "admin": get_user_model().objects.create_superuser("sjef", "sjef@example.no", "passord"),
        }


@pytest.fixture
def world(_world, db, world_media, _media_root):
    copy_world_media(world_media, _media_root)
    return fresh(_world)


def offers(client, world, source):
    """Whether the admin offers «Ta i bruk» for the page: the button on its page in the admin (as
    the central team sees it) and the link in the local editor's list of content to take in."""
    link = f"/admin/gjenbruk/ta-i-bruk/{source.pk}/"
    client.force_login(world["admin"])
    button = link in client.get(f"/admin/pages/{source.pk}/").content.decode()
    client.force_login(world["editor"])
    listed = client.get("/admin/gjenbruk/ta-i-bruk/", {"q": source.title}).content.decode()
    return button, link in listed


def test_every_kind_of_content_has_a_factory_and_a_rule():
    assert set(FACTORIES) == set(CONTENT_MODELS)
    assert {kind for kind, model in CONTENT_MODELS.items() if not model.adoptable} == set(NOT_COPIED)


@pytest.mark.parametrize("kind", sorted(set(CONTENT_MODELS) - set(NOT_COPIED)))
def test_a_page_of_every_kind_is_adapted_into_the_communitys_listing_of_that_kind(client, world, kind):
    source, oslo = world["sources"][kind], world["oslo"]
    assert offers(client, world, source) == (True, True)

    response = adopt_via_admin(client, world["editor"], source, MODE_ADAPT, oslo)

    adoption = Adoption.objects.get(source_id=source.pk)
    copy = adoption.page.specific
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{copy.pk}/edit/"
    assert type(copy) is type(source) and copy.title == source.title and copy.summary == source.summary
    assert copy.get_parent().pk == listing_for(oslo, kind).pk and copy.live


@pytest.mark.parametrize("kind", sorted(NOT_COPIED))
def test_podcasts_and_topic_pages_are_not_offered_for_copying_and_the_editor_is_told_why(client, world, kind):
    source, oslo = world["sources"][kind], world["oslo"]

    assert offers(client, world, source) == (False, False)
    assert client.get(f"/admin/gjenbruk/ta-i-bruk/{source.pk}/").status_code == 404
    with pytest.raises(
        AdoptionError, match=f"^{NOT_COPIED[kind]} kan ikke tas i bruk som kopi; de vises i alle"
    ):
        adopt(source, oslo, MODE_ADAPT, world["editor"])
    assert not Adoption.objects.exists()


def test_a_film_whose_captions_file_is_gone_is_refused_in_norwegian_and_nothing_is_written(client, world):
    source, oslo = world["sources"]["film"], world["oslo"]
    Path(source.captions.file.path).unlink()

    response = adopt_via_admin(client, world["editor"], source, MODE_ADAPT, oslo)

    assert response.status_code == 200
    assert (
        "Siden kan ikke tas i bruk slik den er nå: Filen «Teksting» kan ikke leses."
        in response.content.decode()
    )
    assert not Adoption.objects.exists()
    assert not listing_for(oslo, "film").get_children().exists()
