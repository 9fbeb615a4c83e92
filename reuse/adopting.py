"""«Ta i bruk»: take a published page of another community into your own, in one of three modes,
and keep live copies in step with their source.

Wagtail's copy and alias actions need edit rights on the source; taking into use needs only that
the source is published and that the user may add pages to the target listing.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import capfirst

from kompetanse.communities import listing_for
from kompetanse.comparison import compare
from kompetanse.models import CONTENT_MODELS, KnowledgePage
from kompetanse.packages import free_slug
from kompetanse.packages.mapping import apply_data, page_data
from reuse.models import LIVE_COPY_MODES, MODE_ADAPT, MODE_WITH_LOCAL, Adoption, LocalAddition

# Fields that are never copied from the source to a copy.
NOT_CONTENT = {"slug"}

# The comparison names model fields, packages (apply_data) their own keys; where they differ.
# The four contact fields are one package key, taken over field by field.
PACKAGE_KEYS = {
    "content_owner": "owner",
    "gallery_images": "images",
    "contact_name": "contact",
    "contact_role": "contact",
    "contact_email": "contact",
    "contact_phone": "contact",
}


class AdoptionError(Exception):
    pass


def content_data(page):
    data = page_data(page)
    for key in NOT_CONTENT:
        data.pop(key, None)
    return data


def is_adoptable(page):
    return (
        page.live
        and page.specific_class.adoptable
        and KnowledgePage.objects.filter(pk=page.pk).live().public().exists()
    )


def adoptable_kinds():
    """{kind: model} of the kinds a community may take into use (not topic pages, for one)."""
    return {kind: model for kind, model in CONTENT_MODELS.items() if model.adoptable}


@transaction.atomic
def adopt(source, community, mode, user):
    """Create the community's page from `source` (its published version); returns the new page."""
    source = source.specific
    if not source.adoptable:
        kinds = capfirst(source._meta.verbose_name_plural)
        raise AdoptionError(
            f"{kinds} kan ikke tas i bruk som kopi; de vises i alle helsefellesskap slik de er."
        )
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
    try:
        listing.add_child(instance=page)
        revision = page.save_revision(user=user, log_action=True)
    except ValidationError as exc:
        # The source as published no longer passes the page's checks (a file it names is gone):
        # nothing is written (atomic), and the editor is told what is wrong.
        raise AdoptionError("Siden kan ikke tas i bruk slik den er nå: " + " ".join(exc.messages)) from exc
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


def package_key(name):
    """The key under which a package (content_data, apply_data) carries a compared field."""
    return PACKAGE_KEYS.get(name, name)


def source_changes(adoption):
    """What changed in the source since the copy was made (or last brought up to date): the
    FieldComparisons (kompetanse.comparison) of the fields that differ and can be taken over,
    left the version the copy started from, right the source as published now."""
    source = adoption.source.specific
    if adoption.source_revision is not None:
        before = adoption.source_revision.as_object()
    else:
        before = type(source)(title="")
    keys = content_data(source).keys()
    return [row for row in compare(before, source) if row.changed and package_key(row.name) in keys]


def take_over(adoption, names, user):
    """Copy the chosen fields (names as in source_changes) from the source's published version
    onto a new draft of the adapted page; the notice goes away until the source changes again.
    Returns the names taken over."""
    source = adoption.source.specific
    data = content_data(source)
    page = adoption.page.specific.get_latest_revision_as_object()
    chosen, taken = {}, []
    for name in names:
        key = package_key(name)
        if key not in data:
            continue
        taken.append(name)
        if key == "contact":
            contact = chosen.setdefault("contact", dict(page_data(page)["contact"]))
            part = name.removeprefix("contact_")
            contact[part] = (data["contact"] or {}).get(part, "")
        else:
            chosen[key] = data[key]
    if chosen:
        apply_data(page, page.content_kind, chosen)
        page.save_revision(user=user, log_action=True)
    adoption.source_revision = source.live_revision
    adoption.dismissed_revision = None
    adoption.save(update_fields=["source_revision", "dismissed_revision"])
    return taken


def dismiss(adoption):
    adoption.dismissed_revision = adoption.source.live_revision
    adoption.save(update_fields=["dismissed_revision"])


def changed_adaptations():
    """Every adapted page whose source has been published again since, not dismissed."""
    adoptions = Adoption.objects.filter(mode=MODE_ADAPT, source__live=True).select_related(
        "page", "source", "source_revision"
    )
    return [adoption for adoption in adoptions if adoption.source_has_changed()]
