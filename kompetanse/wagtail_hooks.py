"""Admin registrations for the shared vocabulary and the communities' topic introductions."""

from django.urls import path
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from kompetanse.models import ContentOwner, Level, TargetGroup, Topic
from kompetanse.owners import CommunityOwnerViewSet, ContentOwnerDeleteBulkAction, ContentOwnerForm
from kompetanse.topic_admin import (
    CreateTopicPageView,
    TopicDeleteBulkAction,
    TopicDeleteView,
    TopicIntroductionDeleteBulkAction,
    TopicIntroductionViewSet,
    can_create_topic_pages,
    topic_page_admin_url,
)


class TopicViewSet(SnippetViewSet):
    model = Topic
    delete_view_class = TopicDeleteView
    icon = "tag"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class ContentOwnerViewSet(CommunityOwnerViewSet):
    model = ContentOwner
    icon = "user"
    list_display = ["name", "unit", "email", "phone", Column("community_label", label="Helsefellesskap")]
    # Searched in the database (icontains on each field), not through the search backend: a few
    # owners per community need no full-text index, and with fields named Wagtail's SQLite backend
    # asked its full-text table for columns it does not have, so every search of the listing failed.
    search_backend_name = None
    search_fields = ["name", "unit"]
    edit_handler = ObjectList(
        [FieldPanel(name) for name in ("name", "unit", "email", "phone", "community")],
        base_form_class=ContentOwnerForm,
    )


class TargetGroupViewSet(SnippetViewSet):
    model = TargetGroup
    icon = "group"
    list_display = ["name", "slug"]


class LevelViewSet(SnippetViewSet):
    model = Level
    icon = "site"
    list_display = ["name", "slug"]


class VocabularyGroup(SnippetViewSetGroup):
    menu_label = "Vokabular"
    menu_icon = "tag"
    menu_order = 300
    items = (TopicViewSet, ContentOwnerViewSet, TargetGroupViewSet, LevelViewSet)


register_snippet(VocabularyGroup)
register_snippet(TopicIntroductionViewSet)
# After Wagtail's own snippet bulk delete (order 0), so that these replace it for their models.
hooks.register("register_bulk_action", ContentOwnerDeleteBulkAction, order=1)
hooks.register("register_bulk_action", TopicIntroductionDeleteBulkAction, order=1)
hooks.register("register_bulk_action", TopicDeleteBulkAction, order=1)


@hooks.register("register_admin_urls")
def topic_page_urls():
    return [
        path(
            "fagomrader/<int:topic_id>/temaside/",
            CreateTopicPageView.as_view(),
            name="kompetanse_create_topic_page",
        )
    ]


@hooks.register("register_snippet_listing_buttons")
def topic_page_button(snippet, user, next_url=None):
    """A topic's row leads to its page: «Rediger temaside», or «Opprett temaside» for the central team."""
    if not isinstance(snippet, Topic):
        return []
    label, url = topic_page_admin_url(snippet)
    if label == "Opprett temaside" and not can_create_topic_pages(user):
        return []
    return [Button(label, url, icon_name="doc-full", priority=20)]
