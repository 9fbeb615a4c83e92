"""Admin registrations for the shared vocabulary."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from kompetanse.models import ContentOwner, Level, TargetGroup, Topic


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class ContentOwnerViewSet(SnippetViewSet):
    model = ContentOwner
    icon = "user"
    list_display = ["name", "unit", "email", "phone"]
    search_fields = ["name", "unit"]


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
