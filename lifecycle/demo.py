"""Demo content for the lifecycle: a second published version with a change note on a few pages,
and an open error report, so the change log, the differences and the review list have something
to show. Safe to run again: pages that already have a later version are left alone."""

from kompetanse.models import CommunityHomePage, KnowledgePage
from lifecycle.models import ErrorReport, PublishedVersion

DEMO_CHANGES = [
    {
        "community": "sentral",
        "slug": "forebygging-av-fall-hos-hjemmeboende-eldre",
        "replace": ("sette inn tiltak som virker", "sette inn tiltak med dokumentert effekt"),
        "note": "Presisert at tiltakene skal ha dokumentert effekt.",
    },
    {
        "community": "sentral",
        "slug": "legemiddelliste-og-kjernejournal-ved-overganger",
        "replace": ("før de når pasienten", "senest ved første utdeling av legemidler etter flyttingen"),
        "note": "Tydeligere frist for når avvik i legemiddellisten skal være rettet.",
    },
]
DEMO_REPORTS = [
    {
        "community": "sentral",
        "slug": "elektronisk-dialog-fastlege-og-sykehus",
        "message": "Lenken til meldingsstandarden går til en side som ikke finnes lenger.",
    },
]


def _page(community_slug, slug):
    community = CommunityHomePage.objects.filter(slug=community_slug).first()
    if community is None:
        return None
    page = KnowledgePage.objects.filter(slug=slug, path__startswith=community.path).first()
    return page.specific if page else None


def add_demo_history(log=None):
    changed = 0
    for item in DEMO_CHANGES:
        page = _page(item["community"], item["slug"])
        if page is None or not page.live or PublishedVersion.objects.filter(page_id=page.pk).count() > 1:
            continue
        old, new = item["replace"]
        if old not in page.summary:
            continue
        page.summary = page.summary.replace(old, new)
        page._lifecycle_change_note = item["note"]
        page.save_revision().publish()
        changed += 1
    for item in DEMO_REPORTS:
        page = _page(item["community"], item["slug"])
        if (
            page is not None
            and not ErrorReport.objects.filter(page_id=page.pk, message=item["message"]).exists()
        ):
            ErrorReport.objects.create(page=page, message=item["message"])
    if log and changed:
        log(f"Endringslogg: {changed} demosider har fått en ny versjon med endringsnotat.")
