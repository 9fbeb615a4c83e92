"""A recommendation's agreement type and its responsibility parties are stored as English codes:
kompetanse's migration 0004 turns the Norwegian codes of existing pages, and of every revision of
them, into English ones, and back again when it is reversed."""

import importlib
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kompetanse.models import RecommendationPage
from tests.kompetanse.sample_data import create_full_page

pytestmark = pytest.mark.django_db

migration = importlib.import_module("kompetanse.migrations.0004_recommendation_codes_in_english")

OLD_ROWS = [
    {"type": "responsibility", "value": {"party": "kommune", "party_label": "", "tasks": "<p>A</p>"}},
    {"type": "responsibility", "value": {"party": "legevakt", "party_label": "", "tasks": "<p>B</p>"}},
    {"type": "responsibility", "value": {"party": "annen", "party_label": "NAV", "tasks": "<p>C</p>"}},
]


def models_as_of(name):
    """The app registry as it stood after kompetanse's migration `name`."""
    return MigrationExecutor(connection).loader.project_state(("kompetanse", name)).apps


def parties(raw):
    return [block["value"]["party"] for block in raw]


def test_old_codes_of_pages_and_revisions_become_english_and_back():
    page = create_full_page("recommendation")
    # The page as the portal stored it before: Norwegian codes on the row and in its revisions,
    # the StreamField as a JSON string in one revision's content (as Wagtail writes it) and as a
    # list in another.
    RecommendationPage.objects.filter(pk=page.pk).update(
        agreement_type="tjenesteavtale", responsibilities=OLD_ROWS
    )
    revision = page.latest_revision
    revision.content = {
        **revision.content,
        "agreement_type": "samarbeidsavtale",
        "responsibilities": json.dumps(OLD_ROWS),
    }
    revision.save(update_fields=["content"])
    listed = page.save_revision()
    listed.content = {**listed.content, "agreement_type": "annen", "responsibilities": OLD_ROWS}
    listed.save(update_fields=["content"])

    migration.to_english(models_as_of("0003_info_page"), None)

    page = RecommendationPage.objects.get(pk=page.pk)
    assert page.agreement_type == "service_agreement"
    assert page.get_agreement_type_display() == "Tjenesteavtale"
    assert parties(page.responsibilities.raw_data) == ["municipality", "out_of_hours", "other"]
    assert [row.value.party_name() for row in page.responsibilities] == ["Kommune", "Legevakt", "Annen"]
    revision.refresh_from_db()
    assert revision.content["agreement_type"] == "cooperation_agreement"
    assert isinstance(revision.content["responsibilities"], str)
    assert parties(json.loads(revision.content["responsibilities"])) == [
        "municipality",
        "out_of_hours",
        "other",
    ]
    assert revision.as_object().get_agreement_type_display() == "Samarbeidsavtale"
    listed.refresh_from_db()
    assert listed.content["agreement_type"] == "other"
    assert parties(listed.content["responsibilities"]) == ["municipality", "out_of_hours", "other"]

    migration.to_norwegian(models_as_of("0004_recommendation_codes_in_english"), None)

    page = RecommendationPage.objects.get(pk=page.pk)
    assert page.agreement_type == "tjenesteavtale"
    assert parties(page.responsibilities.raw_data) == ["kommune", "legevakt", "annen"]
    revision.refresh_from_db()
    assert revision.content["agreement_type"] == "samarbeidsavtale"
    assert parties(json.loads(revision.content["responsibilities"])) == ["kommune", "legevakt", "annen"]
    listed.refresh_from_db()
    assert listed.content["agreement_type"] == "annen"
    assert parties(listed.content["responsibilities"]) == ["kommune", "legevakt", "annen"]


def test_a_new_revision_stores_the_stream_as_a_json_string():
    # The migration's main case: what Wagtail writes into a revision today.
    page = create_full_page("recommendation")
    content = page.latest_revision.content
    assert isinstance(content["responsibilities"], str)
    assert parties(json.loads(content["responsibilities"])) == ["municipality", "gp"]
    assert content["agreement_type"] == "service_agreement"
