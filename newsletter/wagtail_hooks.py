"""Admin integration: the «Nyhetsbrev» menu item and its views."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from newsletter import admin_views
from newsletter.permissions import ANY_ACTION, permission_policy

admin_urls = (
    [
        path("", admin_views.IssueIndexView.as_view(), name="index"),
        path("<int:issue_id>/", admin_views.IssueEditView.as_view(), name="edit"),
        path("<int:issue_id>/forhandsvisning/", admin_views.IssuePreviewView.as_view(), name="preview"),
        path("<int:issue_id>/send/", admin_views.IssueSendView.as_view(), name="send"),
    ],
    "newsletter_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("nyhetsbrev/", include(admin_urls))]


class NewsletterMenuItem(MenuItem):
    def is_shown(self, request):
        return permission_policy.user_has_any_permission(request.user, ANY_ACTION)


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return NewsletterMenuItem(
        "Nyhetsbrev", reverse("newsletter_admin:index"), name="nyhetsbrev", icon_name="mail", order=260
    )
