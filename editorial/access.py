"""Who may see what in the admin: the rules the hooks and the middleware enforce on the server.

A page is *visible in the admin* to a user when the user is a superuser, when it lies in a subtree
the user has page permissions on (their own community), or when it is published and not private
(anyone may read those on the public site anyway). Drafts, revisions and private pages of other
communities are not.
"""

from functools import reduce
from operator import or_

from django.db.models import Q
from wagtail.documents.permissions import permission_policy as document_permission_policy
from wagtail.images.permissions import permission_policy as image_permission_policy
from wagtail.models import Page, PageViewRestriction
from wagtail.permissions import page_permission_policy

_CACHE_ATTR = "_editorial_team_paths"


def team_paths(user):
    """Tree paths of the pages the user holds page permissions on (their communities)."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, _CACHE_ATTR):
        pages = page_permission_policy.instances_with_direct_explore_permission(user)
        setattr(user, _CACHE_ATTR, sorted({page.path for page in pages}))
    return getattr(user, _CACHE_ATTR)


def _under_any(paths):
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(path__startswith=path) for path in paths))


def in_own_community(page, user):
    """Whether the page lies in a community the user works in (administrators: everywhere)."""
    return user.is_superuser or any(page.path.startswith(path) for path in team_paths(user))


def admin_title(page, user):
    """The page's title as this user may see it in the admin.

    Wagtail shows a page's newest draft title. Outside the user's own communities that is another
    team's draft, so there the published title is shown (only published pages are visible there).
    """
    return page.get_admin_display_title() if in_own_community(page, user) else page.title


def public_live_q():
    """Published pages not under a view restriction (what an anonymous reader can open)."""
    restricted_paths = PageViewRestriction.objects.values_list("page__path", flat=True)
    restricted = _under_any(list(restricted_paths))
    return Q(live=True) & ~restricted


def admin_visible_pages_q(user):
    """A Q object selecting the pages this user may see in admin listings and choosers."""
    return public_live_q() | _under_any(team_paths(user))


def filter_admin_visible(pages, user):
    if user.is_superuser:
        return pages
    return pages.filter(admin_visible_pages_q(user))


def page_is_admin_visible(page, user):
    if user.is_superuser:
        return True
    return Page.objects.filter(pk=page.pk).filter(admin_visible_pages_q(user)).exists()


def choosable_images(user):
    return image_permission_policy.instances_user_has_any_permission_for(user, ["choose"])


def choosable_documents(user):
    return document_permission_policy.instances_user_has_any_permission_for(user, ["choose"])


def can_choose_image(user, image_id):
    return choosable_images(user).filter(pk=image_id).exists()


def can_choose_document(user, document_id):
    return choosable_documents(user).filter(pk=document_id).exists()


def may_download_document(request, document):
    """Whether a document file may be served to this request.

    Team members (and administrators) may download what is in collections they work with. Anyone
    else only gets documents that a published page they may read refers to, so that a draft's
    attachment is not public before the draft is.
    """
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ReferenceIndex

    user = request.user
    if user.is_authenticated and (
        user.is_superuser
        or document_permission_policy.user_has_any_permission_for_instance(
            user, ["choose", "add", "change"], document
        )
    ):
        return True
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = [
        int(object_id)
        for object_id in ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
        if str(object_id).isdigit()
    ]
    for page in Page.objects.live().filter(pk__in=page_ids):
        if all(restriction.accept_request(request) for restriction in page.get_view_restrictions()):
            return True
    return False
