"""Index each page a request changes once, when the request is done (see ``indexing.batch``);
a request that only reads looks up the index version once (see ``database.one_version``)."""

from search import indexing
from search.backends import database


class IndexBatchMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            with database.one_version():
                return self.get_response(request)
        with indexing.batch():
            return self.get_response(request)
