"""Error report statuses are stored as English codes: lifecycle's migration 0004 turns the
Norwegian codes of existing rows into English ones, and back again when it is reversed."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import Page

from lifecycle.models import ErrorReport

pytestmark = pytest.mark.django_db

migration = importlib.import_module("lifecycle.migrations.0004_error_report_status_in_english")


def models_as_of(name):
    """The app registry as it stood after lifecycle's migration `name`."""
    return MigrationExecutor(connection).loader.project_state(("lifecycle", name)).apps


def test_old_codes_become_english_and_back():
    old_apps = models_as_of("0003_community_row_log_entries")
    OldReport = old_apps.get_model("lifecycle", "ErrorReport")
    page_id = Page.objects.first().pk
    old_codes = ["ny", "under_behandling", "lost"]
    reports = [OldReport.objects.create(page_id=page_id, message=code, status=code) for code in old_codes]
    assert OldReport._meta.get_field("status").default == "ny"

    migration.to_english(old_apps, None)
    statuses = [ErrorReport.objects.get(pk=report.pk).status for report in reports]
    assert statuses == [ErrorReport.Status.NEW, ErrorReport.Status.IN_PROGRESS, ErrorReport.Status.RESOLVED]
    assert [ErrorReport.objects.get(pk=report.pk).get_status_display() for report in reports] == [
        "Ny",
        "Under behandling",
        "Løst",
    ]

    migration.to_norwegian(models_as_of("0004_error_report_status_in_english"), None)
    assert [OldReport.objects.get(pk=report.pk).status for report in reports] == old_codes


def test_the_open_statuses_are_new_and_in_progress():
    assert ErrorReport.OPEN_STATUSES == ("new", "in_progress")
    assert ErrorReport._meta.get_field("status").default == "new"
