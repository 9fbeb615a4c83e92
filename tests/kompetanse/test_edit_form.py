"""The page editor offers the shared vocabularies the same way: target groups, topics (fagområder)
and service levels are lists of checkboxes, one per term, so an editor sees every choice at once."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from kompetanse.communities import ensure_community, listing_for
from kompetanse.models import Level, TargetGroup, Topic

pytestmark = pytest.mark.django_db


def test_target_groups_topics_and_levels_are_checkboxes(admin_client):
    Topic.objects.get_or_create(slug="legemidler", defaults={"name": "Legemidler"})
    listing = listing_for(ensure_community("oslo", "Helsefellesskap Oslo"), "procedure")
    response = admin_client.get(
        reverse("wagtailadmin_pages:add", args=["kompetanse", "procedurepage", listing.pk])
    )
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    for field, model in (("target_groups", TargetGroup), ("topics", Topic), ("levels", Level)):
        boxes = soup.select(f'input[type="checkbox"][name="{field}"]')
        assert sorted(int(box["value"]) for box in boxes) == sorted(
            model.objects.values_list("pk", flat=True)
        ), field
        assert soup.select(f'select[name="{field}"]') == [], field
