"""The readers' side-by-side view of two communities' versions of the same content.

The comparison is the one the admin shows (``kompetanse.comparison.compare``, the same include);
here only published pages that anyone may read are compared, as they are published: a draft, a
page behind a view restriction, or one under an unpublished community answers 404, as the page
itself would.
"""

from django.http import Http404
from django.shortcuts import render

from kompetanse.comparison import compare
from kompetanse.models import KnowledgePage


def _published(page_id):
    page = KnowledgePage.objects.live().public().filter(pk=page_id).first()
    if page is None or page.get_ancestors().filter(depth__gt=1).not_live().exists():
        raise Http404("Siden finnes ikke eller er ikke publisert.")
    # The page row holds the published version (drafts live in revisions only).
    return page.specific


def public_compare(request, left_id, right_id):
    if left_id == right_id:
        raise Http404("En side sammenlignes med en annen side.")
    left, right = _published(left_id), _published(right_id)
    left_community, right_community = left.community, right.community
    return render(
        request,
        "reuse/compare.html",
        {
            "left": left,
            "right": right,
            "left_community": left_community,
            "right_community": right_community,
            "rows": compare(left, right),
        },
    )
