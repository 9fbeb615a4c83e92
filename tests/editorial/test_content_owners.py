"""Content owners per community (issue #17, item 8): a local team chooses its own owners first,
adds and edits its own, and sees no other community's owners anywhere in the admin."""

import json

import pytest
from django.urls import reverse

from kompetanse.models import ContentOwner
from tests.editorial.helpers import page_form_data

pytestmark = pytest.mark.django_db

ADMIN = "wagtailsnippets_kompetanse_contentowner"
CHOOSER = "wagtailsnippetchoosers_kompetanse_contentowner"


@pytest.fixture
def owners(world):
    return {
        "A": ContentOwner.objects.create(name="Zakariassen i Oslo", community=world["A"].home),
        "B": ContentOwner.objects.create(name="Berit i Ahus", community=world["B"].home),
        "S": ContentOwner.objects.create(name="Sentral fagansvarlig", community=world["S"].home),
        "shared": ContentOwner.objects.create(name="Aasen felles"),
    }


def chooser_html(client):
    response = client.get(reverse(f"{CHOOSER}:choose"))
    assert response.status_code == 200
    return json.loads(response.content)["html"]


def owner_data(name, community=""):
    return {"name": name, "unit": "Enhet", "email": "eier@example.no", "phone": "", "community": community}


def test_the_chooser_lists_the_own_communitys_owners_first_then_the_shared_ones(login, owners):
    html = chooser_html(login("editor_a"))
    # By name the shared «Aasen» comes first; the editor's own «Zakariassen» is put before it.
    assert html.index("Zakariassen i Oslo") < html.index("Aasen felles") < html.index("Fagansvarlig")
    assert "Berit i Ahus" not in html and "Sentral fagansvarlig" not in html


def test_the_central_team_sees_and_chooses_every_owner(login, owners):
    client = login("editor_s")
    html = chooser_html(client)
    assert html.index("Sentral fagansvarlig") < html.index("Aasen felles")
    assert "Zakariassen i Oslo" in html and "Berit i Ahus" in html
    listing = client.get(reverse(f"{ADMIN}:list")).content.decode()
    for owner in owners.values():
        assert owner.name in listing
    edit = reverse(f"{ADMIN}:edit", args=[owners["B"].pk])
    assert client.get(edit).status_code == 200


def test_a_local_editor_adds_an_owner_to_the_own_community(login, world, owners):
    client = login("editor_a")
    form = client.get(reverse(f"{ADMIN}:add"))
    assert form.status_code == 200
    assert "Helsefellesskap Ahus" not in form.content.decode()
    response = client.post(reverse(f"{ADMIN}:add"), owner_data("Ny eier i Oslo", world["A"].home.pk))
    assert response.status_code == 302
    assert ContentOwner.objects.get(name="Ny eier i Oslo").community == world["A"].home

    # Not for another community, and not shared.
    for community in (world["B"].home.pk, ""):
        refused = client.post(reverse(f"{ADMIN}:add"), owner_data("Ikke tillatt", community))
        assert refused.status_code == 200
    assert not ContentOwner.objects.filter(name="Ikke tillatt").exists()


def test_a_local_editor_edits_the_own_communitys_owners_only(login, world, owners):
    client = login("editor_a")
    own = reverse(f"{ADMIN}:edit", args=[owners["A"].pk])
    assert client.post(own, owner_data("Zakariassen (ny enhet)", world["A"].home.pk)).status_code == 302
    assert ContentOwner.objects.get(pk=owners["A"].pk).name == "Zakariassen (ny enhet)"

    for key in ("B", "S", "shared"):
        pk = owners[key].pk
        for view in ("edit", "delete", "copy", "usage", "history", "inspect"):
            try:
                url = reverse(f"{ADMIN}:{view}", args=[pk])
            except Exception:  # a view the viewset does not have
                continue
            assert client.get(url).status_code == 404, (key, view)
    for key in ("B", "S"):
        assert client.get(reverse(f"{CHOOSER}:chosen", args=[owners[key].pk])).status_code == 404, key
    assert (
        client.post(
            reverse(f"{ADMIN}:edit", args=[owners["B"].pk]), owner_data("Overtatt", world["A"].home.pk)
        ).status_code
        == 404
    )
    assert ContentOwner.objects.get(pk=owners["B"].pk).name == "Berit i Ahus"

    listing = client.get(reverse(f"{ADMIN}:list")).content.decode()
    assert "Zakariassen" in listing
    assert "Berit i Ahus" not in listing and "Sentral fagansvarlig" not in listing


def test_only_the_publisher_deletes_and_only_the_own_communitys_owners(login, owners):
    delete = reverse(f"{ADMIN}:delete", args=[owners["A"].pk])
    assert login("editor_a").post(delete).status_code in (403, 404)
    assert ContentOwner.objects.filter(pk=owners["A"].pk).exists()

    client = login("publisher_a")
    assert client.post(delete).status_code == 302
    assert not ContentOwner.objects.filter(pk=owners["A"].pk).exists()

    bulk = (
        reverse("wagtail_bulk_action", args=["kompetanse", "contentowner", "delete"])
        + f"?id={owners['B'].pk}&id={owners['shared'].pk}"
    )
    assert client.get(bulk).status_code == 404
    assert client.post(bulk).status_code == 404
    assert ContentOwner.objects.filter(pk__in=[owners["B"].pk, owners["shared"].pk]).count() == 2


def test_the_central_team_manages_the_shared_owners(login, owners):
    client = login("editor_s")
    response = client.post(reverse(f"{ADMIN}:add"), owner_data("Ny felles eier"))
    assert response.status_code == 302
    assert ContentOwner.objects.get(name="Ny felles eier").community is None
    edit = reverse(f"{ADMIN}:edit", args=[owners["shared"].pk])
    assert client.post(edit, owner_data("Aasen felles (endret)")).status_code == 302
    assert ContentOwner.objects.get(pk=owners["shared"].pk).name == "Aasen felles (endret)"


def test_no_team_sees_no_owners(login, owners):
    client = login("no_team")
    assert client.get(reverse(f"{ADMIN}:list")).status_code in (302, 403)


def latest(page):
    return type(page).objects.get(pk=page.pk).get_latest_revision_as_object()


def test_the_page_form_takes_only_an_owner_the_editor_may_choose(login, world, owners):
    """The chooser offers A's and the shared owners; a post naming B's owner by hand is refused."""
    client = login("editor_a")
    draft = world["A"].draft
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    refused = client.post(url, page_form_data(draft, content_owner=owners["B"].pk))
    assert refused.status_code == 200
    assert refused.context["form"].errors["content_owner"] == [
        "Velg et gyldig valg. Valget er ikke av de tilgjengelige valgene."
    ]
    assert latest(draft).content_owner_id != owners["B"].pk
    accepted = client.post(url, page_form_data(draft, content_owner=owners["A"].pk))
    assert accepted.status_code == 302
    assert latest(draft).content_owner_id == owners["A"].pk
