"""Public URLs of reuse: the read API, the Atom feeds and the readers' side-by-side comparison."""

from django.urls import path

from reuse.api import api_router
from reuse.feeds import ChangesFeed
from reuse.reader_views import public_compare

feed = ChangesFeed()

urlpatterns = [
    path("api/v2/", api_router.urls),
    path("nytt/", feed, name="reuse_feed_all"),
    path("nytt/<slug:community>/", feed, name="reuse_feed_community"),
    path("nytt/<slug:community>/<slug:kind>/", feed, name="reuse_feed_kind"),
    path("sammenlign/<int:left_id>/<int:right_id>/", public_compare, name="reuse_public_compare"),
]
