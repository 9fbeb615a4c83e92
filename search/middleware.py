"""Index each page a request changes once, when the request is done (see ``indexing.batch``)."""

from search import indexing


class IndexBatchMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return self.get_response(request)
        with indexing.batch():
            return self.get_response(request)
