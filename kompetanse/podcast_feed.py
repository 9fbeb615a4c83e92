"""A podcast series as RSS 2.0 with the iTunes tags, as podcast apps read it.

Django's feed generator writes the RSS (dates in RFC 822, enclosures, guid); this adds the
``itunes:`` namespace: the author, the cover image if there is one, explicit «false», the
category, and each episode's duration. An episode's guid is its translation key, which never
changes when the episode is edited, renamed or moved, so apps do not download it again.
"""

from django.http import HttpResponse
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
# Apple's category list: «Health & Fitness» › «Medicine».
ITUNES_CATEGORY = ("Health & Fitness", "Medicine")
LANGUAGE = "nb"


class PodcastFeed(Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:itunes": ITUNES_NS}

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        feed = self.feed
        handler.addQuickElement("itunes:author", feed["itunes_author"])
        handler.addQuickElement("itunes:summary", feed["description"])
        handler.addQuickElement("itunes:explicit", "false")
        if feed.get("itunes_image"):
            handler.addQuickElement("itunes:image", None, {"href": feed["itunes_image"]})
        category, subcategory = ITUNES_CATEGORY
        handler.startElement("itunes:category", {"text": category})
        handler.addQuickElement("itunes:category", None, {"text": subcategory})
        handler.endElement("itunes:category")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("itunes:duration", item["itunes_duration"])
        handler.addQuickElement("itunes:explicit", "false")


def podcast_feed_response(series, episodes, request):
    link = series.get_full_url(request)
    image = None
    if series.cover_image:
        rendition = series.cover_image.get_rendition("fill-1400x1400")
        image = request.build_absolute_uri(rendition.url)
    feed = PodcastFeed(
        title=series.title,
        link=link,
        description=series.summary,
        language=LANGUAGE,
        author_name=series.author,
        feed_url=request.build_absolute_uri(),
        itunes_author=series.author,
        itunes_image=image,
        categories=[topic.name for topic in series.topics.all()],
    )
    for episode in episodes:
        if episode.audio is None:
            continue
        feed.add_item(
            title=episode.title,
            link=episode.get_full_url(request),
            description=episode.summary,
            pubdate=episode.published_moment,
            updateddate=episode.last_published_at,
            unique_id=f"podkast-{episode.translation_key}",
            unique_id_is_permalink=False,
            enclosures=[
                Enclosure(
                    request.build_absolute_uri(episode.audio.url),
                    str(episode.audio.get_file_size() or 0),
                    episode.audio_type,
                )
            ],
            itunes_duration=episode.duration_clock,
        )
    response = HttpResponse(content_type="application/rss+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
