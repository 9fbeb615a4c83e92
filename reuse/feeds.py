"""Atom feeds of new and changed pages («Nytt og endret»), per community and per content type."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from kompetanse.models import CONTENT_MODELS, CommunityHomePage, KnowledgePage

FEED_SIZE = 30
# The feed URLs use the listing pages' Norwegian names for the content types.
KIND_SLUGS = {
    "prosedyrer": "procedure",
    "samarbeidsanbefalinger": "recommendation",
    "gode-eksempler": "good_example",
    "nyheter": "news",
    "arrangementer": "event",
    "e-laering": "course",
    "filmer": "film",
    "podkaster": "podcast",
    "podkastepisoder": "podcast_episode",
}
KIND_NAMES = {
    "procedure": "prosedyrer",
    "recommendation": "samarbeidsanbefalinger",
    "good_example": "gode eksempler",
    "news": "nyheter",
    "event": "kurs og arrangementer",
    "course": "e-læringskurs",
    "film": "filmer",
    "podcast": "podkaster",
    "podcast_episode": "podkastepisoder",
}
ALL = "alle"


class ChangesFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, community=ALL, kind=None):
        home = None
        if community != ALL:
            home = CommunityHomePage.objects.live().filter(slug=community).first()
            if home is None:
                raise Http404("Ukjent helsefellesskap")
        if kind is not None and kind not in KIND_SLUGS:
            raise Http404("Ukjent innholdstype")
        return {"community": home, "kind": KIND_SLUGS.get(kind), "request": request}

    def title(self, obj):
        where = obj["community"].title if obj["community"] else "Kompetanseportalen"
        what = f" – {KIND_NAMES[obj['kind']]}" if obj["kind"] else ""
        return f"Nytt og endret: {where}{what}"

    def link(self, obj):
        return obj["community"].url if obj["community"] else "/"

    def subtitle(self, obj):
        return (
            "Nye og endrede prosedyrer, samarbeidsanbefalinger og gode eksempler, nyheter og arrangementer, "
            "e-læringskurs, filmer og podkaster."
        )

    def items(self, obj):
        model = CONTENT_MODELS[obj["kind"]] if obj["kind"] else KnowledgePage
        pages = model.objects.live().public()
        if obj["community"]:
            pages = pages.descendant_of(obj["community"])
        return pages.order_by("-last_published_at")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Django's Atom feed declares the summary as HTML (<summary type="html">); the summary is
        # plain text, so it goes in as the HTML that shows that text ("<" as "&lt;", "&" as "&amp;").
        return escape(item.summary)

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_guid(self, item):
        # One entry per page; a new version updates it (Atom readers use <updated>).
        return f"tag:kompetanseportalen,2026:side-{item.pk}"

    item_guid_is_permalink = False
