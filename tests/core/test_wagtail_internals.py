"""Each Wagtail internal the portal leans on (core/wagtail_internals.py) still is what we take it for.

These fail on a Wagtail upgrade that renames, removes or rewrites one of them, naming which; the
features built on them have their own tests, which would fail less clearly or not at all (a dead
template override, a guard on a URL name no view answers to any more).
"""

import hashlib
from pathlib import Path

import pytest
import wagtail.admin
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.template.loader import get_template
from django.urls import URLResolver, get_resolver, resolve, reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from core import wagtail_internals as internals
from editorial import tags, workflow_reports
from editorial.site_history import SiteHistoryView
from kompetanse.models import ProcedurePage

WAGTAIL_TEMPLATES = Path(wagtail.admin.__file__).parent / "templates"


@pytest.mark.django_db
def test_the_reference_index_files_media_under_their_own_content_type():
    for model in (get_image_model(), get_document_model()):
        assert internals.base_content_type(model) == ContentType.objects.get_for_model(model)


@pytest.mark.django_db
def test_the_reference_index_reads_the_media_an_unsaved_page_refers_to():
    document_type = ContentType.objects.get_for_model(get_document_model()).id
    page = ProcedurePage(
        title="Ikke lagret",
        purpose='<p>Se <a linktype="document" id="4711">skjemaet</a>.</p>',
    )
    references = list(internals.references_of(page))
    assert (document_type, "4711") in [(reference[0], str(reference[1])) for reference in references]
    assert all(len(reference) == 4 for reference in references)


def _url_views(resolver=None, namespace=""):
    """Every named URL of the project: full name → the module of its view."""
    views = {}
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            views.update(_url_views(pattern, inner))
        elif pattern.name:
            views.setdefault(namespace + pattern.name, pattern.callback.__module__)
    return views


@pytest.mark.parametrize("name", internals.GUARDED_URL_NAMES)
def test_every_admin_url_name_the_portal_guards_is_still_a_wagtail_view(name):
    views = _url_views()
    assert name in views, f"Wagtail has no URL named {name!r} any more"
    assert views[name].startswith("wagtail."), views[name]


def test_the_tag_autocomplete_addresses_are_answered_by_the_portal_view():
    assert resolve(reverse("wagtailadmin_tag_autocomplete")).func is tags.autocomplete
    address = reverse("wagtailadmin_tag_model_autocomplete", args=["taggit", "tag"])
    assert resolve(address).func is tags.autocomplete


def test_the_workflow_report_addresses_are_answered_by_the_portal_views():
    for name, view in [
        ("wagtailadmin_reports:workflow", workflow_reports.WorkflowView),
        ("wagtailadmin_reports:workflow_results", workflow_reports.WorkflowView),
        ("wagtailadmin_reports:workflow_tasks", workflow_reports.WorkflowTasksView),
        ("wagtailadmin_reports:workflow_tasks_results", workflow_reports.WorkflowTasksView),
    ]:
        assert resolve(reverse(name)).func.view_class is view, name


def test_the_site_history_addresses_are_answered_by_the_portal_view():
    for name in internals.SITE_HISTORY:
        assert resolve(reverse(name)).func.view_class is SiteHistoryView


def test_the_publishing_buttons_are_still_named_as_the_change_note_expects():
    assert internals.PUBLISHING_BUTTONS == ("action-publish", "action-submit", "action-restart-workflow")
    edit_view = (WAGTAIL_TEMPLATES.parent / "views" / "pages" / "edit.py").read_text()
    assert f'"{internals.WORKFLOW_ACTION_BUTTON}"' in edit_view
    assert f'"{internals.WORKFLOW_ACTION_NAME}"' in edit_view


@pytest.mark.parametrize("name", sorted(internals.OVERRIDDEN_TEMPLATES))
def test_every_overridden_template_matches_the_wagtail_original_it_was_written_against(name):
    original = WAGTAIL_TEMPLATES / name
    assert original.exists(), f"Wagtail no longer has {name}: the override is dead"
    digest = hashlib.sha256(original.read_bytes()).hexdigest()
    assert digest == internals.OVERRIDDEN_TEMPLATES[name], (
        f"Wagtail's {name} changed: merge the change into the override, then update its hash"
    )
    # and the portal's copy is the one Django renders
    origin = Path(get_template(name).origin.name)
    assert Path(settings.BASE_DIR) in origin.parents and ".venv" not in origin.parts


def test_no_other_wagtail_template_is_overridden():
    ours = set()
    root = Path(settings.BASE_DIR)
    for templates in [root / "templates", *root.glob("*/templates")]:
        for path in templates.rglob("*"):
            name = path.relative_to(templates).as_posix()
            if path.is_file() and (WAGTAIL_TEMPLATES / name).is_file():
                ours.add(name)
    assert ours == set(internals.OVERRIDDEN_TEMPLATES)
