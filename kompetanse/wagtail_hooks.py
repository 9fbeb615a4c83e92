"""Admin registrations for the shared vocabulary."""

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from kompetanse.models import ContentOwner, Level, TargetGroup, Topic
from kompetanse.owners import CommunityOwnerViewSet, ContentOwnerDeleteBulkAction, ContentOwnerForm


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class ContentOwnerViewSet(CommunityOwnerViewSet):
    model = ContentOwner
    icon = "user"
    list_display = ["name", "unit", "email", "phone", Column("community_label", label="Helsefellesskap")]
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
# After Wagtail's own snippet bulk delete (order 0), so that this one replaces it for owners.
hooks.register("register_bulk_action", ContentOwnerDeleteBulkAction, order=1)
