"""Who may do what with reuse, on top of Wagtail's page permissions (and so of the editorial
teams, whatever groups they are made of)."""

from kompetanse.models import CENTRAL_SLUG, CommunityHomePage


def can_import(user):
    """Superusers, and publishers of the central section (Felles innhold)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.has_perm("reuse.import_content_package"):
        return True
    central = CommunityHomePage.objects.filter(slug=CENTRAL_SLUG).first()
    return central is not None and central.permissions_for_user(user).can_publish_subpage()


def can_adopt_into(user, listing):
    """A user may take a page into use where they may add a page: their own listing."""
    return listing.permissions_for_user(user).can_add_subpage()


def adoptable_communities(user):
    """Communities with a listing the user may add pages to."""
    from kompetanse.communities import LISTING_FOR_KIND  # noqa: F401

    result = []
    for community in CommunityHomePage.objects.order_by("title"):
        listings = community.get_children().specific()
        if any(listing.permissions_for_user(user).can_add_subpage() for listing in listings):
            result.append(community)
    return result
