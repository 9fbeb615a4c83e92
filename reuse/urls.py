"""Public URLs of reuse: the read API and the Atom feeds."""

from django.urls import path

from reuse.api import api_router
from reuse.feeds import ChangesFeed

feed = ChangesFeed()

urlpatterns = [
    path("api/v2/", api_router.urls),
    path("nytt/", feed, name="reuse_feed_all"),
    path("nytt/<slug:community>/", feed, name="reuse_feed_community"),
    path("nytt/<slug:community>/<slug:kind>/", feed, name="reuse_feed_kind"),
]
