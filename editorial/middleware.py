"""Server-side guards for admin endpoints that Wagtail leaves open to every admin user.

Wagtail's choosers shape their listings by permission, but some of their endpoints answer for any
object id: the document chooser's «chosen» step, the image chooser's «select format» step and the
page chooser's «chosen» step for several pages; and the page chooser browses any parent page. The
workflow's action views and the move view's confirmation name any page's newest draft title before
they check the user's rights on it. This middleware answers 404 for objects the user may not see,
and opens the page chooser at the user's own community instead of the tree root. The page types
report counts and names pages across the whole tree and has no hook to narrow it: it is for
administrators only. The workflow editor's task chooser lists every community's tasks to any admin
user: it is for those who manage workflows.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from wagtail.models import Page
from wagtail.permissions import workflow_permission_policy

from core import wagtail_internals as wagtail
from editorial import access


def _ids(values):
    ids = []
    for value in values:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            raise Http404 from None
    return ids


class EditorialAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        if match is None or user is None or not user.is_authenticated or user.is_superuser:
            return None
        name = match.view_name
        if name == wagtail.PAGE_CHOOSER:
            return self.open_chooser_at_own_community(request, user)
        if name == wagtail.PAGE_CHOOSER_CHILDREN:
            page = Page.objects.filter(pk=view_kwargs.get("parent_page_id")).first()
            if page is not None and not access.page_is_admin_visible(page, user):
                raise Http404
        elif name in wagtail.IMAGE_CHOSEN:
            image_id = view_kwargs.get("pk", view_kwargs.get("image_id"))
            if not access.can_choose_image(user, _ids([image_id])[0]):
                raise Http404
        elif name == wagtail.DOCUMENT_CHOSEN:
            if not access.can_choose_document(user, _ids([view_kwargs.get("pk")])[0]):
                raise Http404
        elif name == wagtail.PAGE_CHOOSER_CHOSEN_MULTIPLE:
            self.refuse_pages_not_shown(user, _ids(request.GET.getlist("id")))
        elif name in wagtail.PAGE_VIEWS_OF_OWN_COMMUNITY:
            page = Page.objects.filter(pk=view_kwargs.get(wagtail.PAGE_VIEWS_OF_OWN_COMMUNITY[name])).first()
            if page is None or not access.in_own_community(page, user):
                raise Http404
        elif name in wagtail.PAGE_TYPES_REPORT:
            raise PermissionDenied
        elif name in wagtail.TASK_CHOOSER:
            if not workflow_permission_policy.user_has_any_permission(user, ["add", "change"]):
                raise PermissionDenied
        elif name in wagtail.MEDIA_CHOSEN_MULTIPLE:
            ids = set(_ids(request.GET.getlist("id")))
            allowed = (
                access.choosable_images if name.startswith("wagtailimages") else access.choosable_documents
            )
            if ids and allowed(user).filter(pk__in=ids).count() != len(ids):
                raise Http404
        return None

    @staticmethod
    def refuse_pages_not_shown(user, ids):
        """Wagtail answers with each page's newest draft title: refuse pages the user may not see,
        and other communities' pages whose draft has a new title."""
        pages = access.filter_admin_visible(Page.objects.filter(pk__in=ids), user)
        shown = [page for page in pages if access.admin_title(page, user) == page.get_admin_display_title()]
        if len(shown) != len(set(ids)):
            raise Http404

    def open_chooser_at_own_community(self, request, user):
        root = access.page_permission_policy.explorable_root_instance(user)
        if root is None or root.depth <= 2:
            return None
        url = reverse("wagtailadmin_choose_page_child", args=[root.pk])
        query = request.META.get("QUERY_STRING")
        return HttpResponseRedirect(f"{url}?{query}" if query else url)
