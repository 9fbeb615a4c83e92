"""Admin for the central team: the synonym list and the report of searches without results."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from search.models import Synonym, ZeroResultQuery


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "list-ul"
    menu_label = "Synonymer og forkortelser"
    list_display = ["term", "synonyms", "updated_at"]
    search_fields = ["term", "synonyms"]


class ZeroResultQueryViewSet(SnippetViewSet):
    """Søk uten treff: what readers looked for and did not find, most frequent first.

    Editors delete a row once the content (or a synonym) is in place.
    """

    model = ZeroResultQuery
    icon = "warning"
    menu_label = "Søk uten treff"
    list_display = ["query", "count", "first_seen", "last_seen"]
    search_fields = ["query"]
    ordering = ["-count", "-last_seen"]
    list_per_page = 50


class SearchGroup(SnippetViewSetGroup):
    menu_label = "Søk"
    menu_icon = "search"
    menu_order = 310
    items = (SynonymViewSet, ZeroResultQueryViewSet)


register_snippet(SearchGroup)
