"""Who may do what with reuse, on top of Wagtail's page permissions (and so of the editorial
teams, whatever groups they are made of)."""

from wagtail.permission_policies.pages import PagePermissionPolicy

from kompetanse.models import CommunityHomePage


def can_import(user):
    """Who sees «Importer innhold»: anyone who may add pages somewhere. What an import then
    writes is checked item by item against the same page permissions (kompetanse.packages.reading)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.has_perm("reuse.import_content_package"):
        return True
    return PagePermissionPolicy().user_has_permission(user, "add")


def can_adopt_into(user, listing):
    """A user may take a page into use where they may add a page: their own listing."""
    return listing.permissions_for_user(user).can_add_subpage()


def adoptable_communities(user):
    """Communities with a listing the user may add pages to."""
    result = []
    for community in CommunityHomePage.objects.order_by("title"):
        listings = community.get_children().specific()
        if any(listing.permissions_for_user(user).can_add_subpage() for listing in listings):
            result.append(community)
    return result
