"""Admin: the «Gjenbruk» menu (take content into use, changed sources, export, import)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from reuse.permissions import can_import


@hooks.register("register_admin_urls")
def register_reuse_admin_urls():
    # Imported here: hooks load while kompetanse.content is still importing (rich text features).
    from reuse import views

    return [
        path("gjenbruk/eksport/", views.ExportView.as_view(), name="reuse_export"),
        path("gjenbruk/import/", views.ImportView.as_view(), name="reuse_import"),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_import(request.user)


def reuse_menu():
    return Menu(
        items=[
            MenuItem("Eksporter innhold", reverse("reuse_export"), icon_name="download", order=300),
            ImportMenuItem("Importer innhold", reverse("reuse_import"), icon_name="upload", order=400),
        ]
    )


@hooks.register("register_admin_menu_item")
def register_reuse_menu():
    return SubmenuMenuItem("Gjenbruk", reuse_menu(), icon_name="copy", order=350)
