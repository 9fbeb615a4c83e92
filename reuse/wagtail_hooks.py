"""Admin: the «Gjenbruk» menu, «Ta i bruk» buttons, and locked live copies."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.widgets import Button

from kompetanse.models import KnowledgePage
from reuse import views
from reuse.models import MODE_ADAPT, MODE_AS_IS, MODE_WITH_LOCAL, Adoption
from reuse.permissions import can_import
from reuse.relations import counterparts


@hooks.register("register_admin_urls")
def register_reuse_admin_urls():
    return [
        path("gjenbruk/eksport/", views.ExportView.as_view(), name="reuse_export"),
        path("gjenbruk/import/", views.ImportView.as_view(), name="reuse_import"),
        path(
            "gjenbruk/import/<int:import_id>/",
            views.ImportProgressView.as_view(),
            name="reuse_import_progress",
        ),
        path(
            "gjenbruk/import/<int:import_id>/status/",
            views.ImportStatusView.as_view(),
            name="reuse_import_status",
        ),
        path("gjenbruk/ta-i-bruk/", views.AdoptListView.as_view(), name="reuse_adopt_list"),
        path("gjenbruk/ta-i-bruk/<int:source_id>/", views.AdoptView.as_view(), name="reuse_adopt"),
        path("gjenbruk/lokalt/<int:page_id>/", views.LocalAdditionView.as_view(), name="reuse_local"),
        path("gjenbruk/kopi/<int:page_id>/", views.CopyView.as_view(), name="reuse_copy"),
        path(
            "gjenbruk/godkjenning/<int:page_id>/",
            views.LiveCopyApprovalView.as_view(),
            name="reuse_live_copy_approval",
        ),
        path(
            "gjenbruk/kilde-endret/<int:page_id>/",
            views.SourceChangesView.as_view(),
            name="reuse_source_changes",
        ),
        path("gjenbruk/endrede-kilder/", views.ChangedReportView.as_view(), name="reuse_changed_report"),
        path(
            "gjenbruk/sammenlign/<int:left_id>/<int:right_id>/",
            views.CompareView.as_view(),
            name="reuse_compare",
        ),
        path(
            "gjenbruk/tilpass/<int:page_id>/",
            views.MakeAdaptationView.as_view(),
            name="reuse_make_adaptation",
        ),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_import(request.user)


def reuse_menu():
    return Menu(
        items=[
            MenuItem("Ta i bruk innhold", reverse("reuse_adopt_list"), icon_name="copy", order=100),
            MenuItem(
                "Tilpassede sider med endret kilde",
                reverse("reuse_changed_report"),
                icon_name="warning",
                order=200,
            ),
            MenuItem("Eksporter innhold", reverse("reuse_export"), icon_name="download", order=300),
            ImportMenuItem("Importer innhold", reverse("reuse_import"), icon_name="upload", order=400),
        ]
    )


@hooks.register("register_admin_menu_item")
def register_reuse_menu():
    return SubmenuMenuItem("Gjenbruk", reuse_menu(), icon_name="copy", order=350)


def _adoption(page):
    return Adoption.objects.filter(page_id=page.pk).select_related("source").first()


@hooks.register("before_edit_page")
def live_copies_are_not_edited_locally(request, page):
    """A page used as is (or with local additions) follows its source: editing goes to the local
    additions, or to the copy's own view (where it is sent to approval). An adapted page whose
    source changed shows «Kilden er endret»."""
    adoption = _adoption(page)
    if adoption is None or adoption.source is None:
        return None
    source = adoption.source.specific
    community = source.community
    where = community.title if community else "kilden"
    if adoption.mode == MODE_WITH_LOCAL:
        messages.info(
            request,
            f"Teksten på «{page.title}» hentes fra {where} og redigeres ikke her. Her redigerer dere de lokale tilleggene.",
        )
        return redirect("reuse_local", page.pk)
    if adoption.mode == MODE_AS_IS:
        messages.info(request, f"«{page.title}» brukes som den er fra {where} og redigeres ikke her.")
        return redirect("reuse_copy", page.pk)
    if adoption.mode == MODE_ADAPT and adoption.source_has_changed():
        messages.warning(
            request,
            format_html(
                'Kilden er endret: «{}» i {} er publisert på nytt. <a href="{}">Se hva som er endret</a>.',
                source.title,
                where,
                reverse("reuse_source_changes", args=[page.pk]),
            ),
        )
    return None


@hooks.register("register_page_header_buttons")
def adopt_button_in_header(page, user, view_name=None, next_url=None):
    yield from _adopt_buttons(page, user)


@hooks.register("register_page_listing_more_buttons")
def adopt_button_in_listing(page, user, next_url=None):
    yield from _adopt_buttons(page, user)


def _adopt_buttons(page, user):
    if not issubclass(page.specific_class or object, KnowledgePage) or not page.live:
        return
    if not page.specific_class.adoptable:
        return
    yield Button("Ta i bruk", reverse("reuse_adopt", args=[page.pk]), priority=50)


@hooks.register("register_page_header_buttons")
def compare_buttons_in_header(page, user, view_name=None, next_url=None):
    """«Sammenlign med …» for each version of the same content in another community."""
    if not issubclass(page.specific_class or object, KnowledgePage) or page.pk is None:
        return
    for other in counterparts(page):
        where = other.reuse_community.title if other.reuse_community else other.title
        yield Button(
            f"Sammenlign med {where}", reverse("reuse_compare", args=[page.pk, other.pk]), priority=60
        )
