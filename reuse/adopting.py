"""«Ta i bruk»: take a published page of another community into your own, in one of three modes,
and keep live copies in step with their source.

Wagtail's copy and alias actions need edit rights on the source; taking into use needs only that
the source is published and that the user may add pages to the target listing.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.html import strip_tags

from kompetanse.communities import listing_for
from kompetanse.models import KnowledgePage
from kompetanse.packages import free_slug
from kompetanse.packages.mapping import apply_data, page_data
from reuse.models import LIVE_COPY_MODES, MODE_ADAPT, MODE_WITH_LOCAL, Adoption, LocalAddition

# Fields that are never copied from the source to a copy.
NOT_CONTENT = {"slug"}

FIELD_LABELS = {
    "title": "Tittel",
    "seo_title": "Tittel for søkemotorer",
    "search_description": "Beskrivelse for søkemotorer",
    "owner": "Innholdsansvarlig",
    "contact": "Kontakt",
    "images": "Bilder",
    "parties": "Parter",
    "partners": "Samarbeidspartnere",
}


class AdoptionError(Exception):
    pass


def field_label(page, key):
    if key in FIELD_LABELS:
        return FIELD_LABELS[key]
    try:
        return str(page._meta.get_field(key).verbose_name).capitalize()
    except Exception:
        return key


def content_data(page):
    data = page_data(page)
    for key in NOT_CONTENT:
        data.pop(key, None)
    return data


def is_adoptable(page):
    return page.live and KnowledgePage.objects.filter(pk=page.pk).live().public().exists()


@transaction.atomic
def adopt(source, community, mode, user):
    """Create the community's page from `source` (its published version); returns the new page."""
    source = source.specific
    if not is_adoptable(source):
        raise AdoptionError("Bare publiserte, offentlige sider kan tas i bruk.")
    if source.community is not None and source.community.pk == community.pk:
        raise AdoptionError("Siden hører allerede til dette helsefellesskapet.")
    kind = source.content_kind
    listing = listing_for(community, kind)
    permissions = listing.permissions_for_user(user)
    if not permissions.can_add_subpage():
        raise PermissionDenied
    page = type(source)(slug=free_slug(listing, source.slug))
    apply_data(page, kind, content_data(source))
    page.live = False
    listing.add_child(instance=page)
    revision = page.save_revision(user=user, log_action=True)
    # The adoption exists before the page is published, so that search (which leaves live copies
    # out, see reuse.models.is_live_copy) already knows what the page is when it is indexed.
    Adoption.objects.create(
        page=page, source=source, mode=mode, source_revision=source.live_revision, adopted_by=user
    )
    if mode == MODE_WITH_LOCAL:
        LocalAddition.objects.create(page=page)
    if permissions.can_publish_subpage():
        revision.publish(user=user)
    return page


def sync_live_copies(source):
    """After `source` is published: bring its live copies up to date (and publish those that are
    live); returns the ids of the copies it changed. Copies already made from the source's live
    revision are left as they are. Local additions are separate and never touched."""
    source = source.specific
    data = content_data(source)
    updated = []
    adoptions = (
        Adoption.objects.filter(source_id=source.pk, mode__in=LIVE_COPY_MODES)
        .exclude(source_revision_id=source.live_revision_id)
        .select_related("page")
    )
    for adoption in adoptions:
        copy = adoption.page.specific
        apply_data(copy, copy.content_kind, data)
        revision = copy.save_revision()
        if copy.live:
            revision.publish()
        adoption.source_revision = source.live_revision
        adoption.save(update_fields=["source_revision"])
        updated.append(copy.pk)
    return updated


def source_changes(adoption):
    """What changed in the source since the copy was made (or last brought up to date):
    a list of {key, label, before, after} for each field that differs."""
    source = adoption.source.specific
    current = content_data(source)
    if adoption.source_revision is not None:
        before = content_data(adoption.source_revision.as_object())
    else:
        before = {}
    return [
        {
            "key": key,
            "label": field_label(source, key),
            "before": readable(before.get(key)),
            "after": readable(value),
        }
        for key, value in current.items()
        if comparable(before.get(key)) != comparable(value)
    ]


def take_over(adoption, keys, user):
    """Copy the chosen fields from the source's published version onto a new draft of the adapted
    page; the notice goes away until the source changes again."""
    source = adoption.source.specific
    data = content_data(source)
    chosen = {key: data[key] for key in keys if key in data}
    page = adoption.page.specific.get_latest_revision_as_object()
    if chosen:
        apply_data(page, page.content_kind, chosen)
        page.save_revision(user=user, log_action=True)
    adoption.source_revision = source.live_revision
    adoption.dismissed_revision = None
    adoption.save(update_fields=["source_revision", "dismissed_revision"])
    return chosen


def dismiss(adoption):
    adoption.dismissed_revision = adoption.source.live_revision
    adoption.save(update_fields=["dismissed_revision"])


def changed_adaptations():
    """Every adapted page whose source has been published again since, not dismissed."""
    adoptions = Adoption.objects.filter(mode=MODE_ADAPT, source__live=True).select_related(
        "page", "source", "source_revision"
    )
    return [adoption for adoption in adoptions if adoption.source_has_changed()]


def comparable(value):
    """Values compared as a reader would see them: images and documents by id, text as text."""
    if hasattr(value, "pk"):
        return (type(value).__name__, value.pk)
    if isinstance(value, dict):
        return {key: comparable(entry) for key, entry in value.items() if key != "id"}
    if isinstance(value, (list, tuple)):
        return [comparable(entry) for entry in value]
    return value


def readable(value):
    """A field's value as plain text for a side-by-side comparison."""
    if value is None or value == "" or value == []:
        return ""
    if hasattr(value, "title") and hasattr(value, "pk"):
        return value.title
    if isinstance(value, str):
        return strip_tags(value.replace("</p>", "\n").replace("<br/>", "\n").replace("</li>", "\n")).strip()
    if isinstance(value, dict):
        parts = [readable(entry) for key, entry in value.items() if key not in {"id", "level", "decorative"}]
        return " – ".join(part for part in parts if part)
    if isinstance(value, (list, tuple)):
        if len(value) == 2 and isinstance(value[0], str) and not isinstance(value[1], str | type(None)):
            return readable(value[1])
        if len(value) == 2 and all(isinstance(v, str) for v in value) and value[0] in {"paragraph"}:
            return readable(value[1])
        return "\n".join(part for part in (readable(entry) for entry in value) if part)
    return str(value)
