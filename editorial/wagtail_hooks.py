"""Admin hooks: keep each team to its own community, and the site administrators' community view."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page
from wagtail.permissions import page_permission_policy

from core import wagtail_internals
from editorial import access, drafts, guide, media_guard
from editorial.bulk_actions import PAGE_BULK_ACTIONS
from editorial.views import CreateCommunityView
from kompetanse.models import LISTING_MODELS, CommunityHomePage


@hooks.register("construct_explorer_page_queryset")
def explorer_shows_own_community(parent_page, pages, request):
    """The explorer (and its search) never lists other communities' drafts or private pages."""
    return access.filter_admin_visible(pages, request.user)


@hooks.register("construct_page_chooser_queryset")
def chooser_shows_published_and_own(pages, request):
    """Link to any published page; drafts and private pages only in your own community."""
    return access.filter_admin_visible(pages, request.user)


class OwnDocumentsAdminAPIViewSet(wagtail_internals.DocumentsAdminAPIViewSet):
    """The admin API's documents: those in the collections the user may choose from."""

    def get_queryset(self):
        return (
            super().get_queryset().filter(pk__in=access.choosable_documents(self.request.user).values("pk"))
        )


class OwnImagesAdminAPIViewSet(wagtail_internals.ImagesAdminAPIViewSet):
    """The admin API's images: those in the collections the user may choose from."""

    def get_queryset(self):
        return super().get_queryset().filter(pk__in=access.choosable_images(self.request.user).values("pk"))


# After Wagtail's own registrations (order 0), which these replace under the same names.
@hooks.register("construct_admin_api", order=100)
def admin_api_answers_with_own_media(router):
    router.register_endpoint("documents", OwnDocumentsAdminAPIViewSet)
    router.register_endpoint("images", OwnImagesAdminAPIViewSet)


def is_structural(page):
    """A community's home page and its listing pages hold up the tree; only administrators move them."""
    return issubclass(page.specific_class, (CommunityHomePage, *LISTING_MODELS))


def _protect_structure(request, page):
    if is_structural(page) and not request.user.is_superuser:
        raise PermissionDenied


@hooks.register("before_delete_page")
def protect_structure_from_delete(request, page):
    _protect_structure(request, page)


@hooks.register("before_move_page")
def protect_structure_from_move(request, page, destination):
    _protect_structure(request, page)


@hooks.register("before_unpublish_page")
def protect_structure_from_unpublish(request, page):
    _protect_structure(request, page)


@hooks.register("before_bulk_action")
def protect_structure_from_bulk_actions(request, action_type, objects, action_class_instance):
    if action_type in ("delete", "move", "unpublish"):
        for obj in objects:
            if isinstance(obj, Page):
                _protect_structure(request, obj)


# After Wagtail's own page bulk actions (order 0), so that these replace them.
for action_class in PAGE_BULK_ACTIONS:
    hooks.register("register_bulk_action", action_class, order=1)


@hooks.register("construct_reports_menu")
def page_types_report_for_administrators_only(request, menu_items):
    """The page types report counts and names pages across the whole tree: administrators only
    (EditorialAccessMiddleware refuses the report itself)."""
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]


@hooks.register("register_admin_urls")
def register_community_admin_urls():
    return [
        path("helsefellesskap/nytt/", CreateCommunityView.as_view(), name="editorial_create_community"),
        path("veiledning/", guide.EditorGuideView.as_view(), name="editorial_guide"),
        path("rapporter/mine-utkast/", drafts.MyDraftsView.as_view(), name="editorial_my_drafts"),
        path(
            "rapporter/mine-utkast/resultater/",
            drafts.MyDraftsView.as_view(results_only=True),
            name="editorial_my_drafts_results",
        ),
    ]


class EditorMenuItem(MenuItem):
    def is_shown(self, request):
        return page_permission_policy.user_has_any_permission(request.user, ["add", "change", "publish"])


@hooks.register("register_reports_menu_item")
def register_my_drafts_menu_item():
    return EditorMenuItem(
        "Mine utkast", reverse("editorial_my_drafts"), name="mine-utkast", icon_name="draft", order=640
    )


@hooks.register("register_help_menu_item")
def register_editor_guide_menu_item():
    return MenuItem(
        "Redaktørveiledning",
        reverse("editorial_guide"),
        name="redaktorveiledning",
        icon_name="help",
        order=100,
    )


@hooks.register("construct_help_menu")
def help_menu_in_norwegian(request, items):
    items[:] = guide.without_wagtail_english_help(items)


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_community_menu_item():
    return SuperuserMenuItem(
        "Nytt helsefellesskap", reverse("editorial_create_community"), icon_name="site", order=50
    )


@hooks.register("before_create_page")
def refuse_other_teams_media_on_create(request, parent_page, page_class):
    return media_guard.check_create(request, parent_page, page_class)


@hooks.register("before_edit_page")
def refuse_other_teams_media_on_edit(request, page):
    return media_guard.check_edit(request, page)


@hooks.register("before_serve_document")
def serve_documents_of_published_pages_only(document, request):
    """A document is public once a published page uses it; before that only its team sees it."""
    if not access.may_download_document(request, document):
        raise Http404
