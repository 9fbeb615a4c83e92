"""The page tree's bulk actions (delete, move, publish, unpublish), kept to the pages a user may see.

Wagtail's bulk actions list every id in the address on their confirmation page, with the page's
draft title, and leave the permission check to the action itself. Here the ids are first reduced
to the pages visible to the user in the admin (``editorial.access``): another community's draft or
private page answers 404 like an id that does not exist, and another community's published page
is listed under its published title (the user cannot act on it).
"""

from django.http import Http404
from django.shortcuts import get_list_or_404

from core.wagtail_internals import (
    DeleteBulkAction,
    MoveBulkAction,
    PublishBulkAction,
    UnpublishBulkAction,
)
from editorial import access


class VisiblePagesOnly:
    def get_queryset(self, model, object_ids):
        user = self.request.user
        pages = get_list_or_404(access.filter_admin_visible(model.objects.filter(pk__in=object_ids), user))
        for page in pages:
            # Read by the confirmation templates (get_admin_display_title); never saved, as
            # pages outside the user's communities fail the action's own permission check.
            if not access.in_own_community(page, user):
                page.draft_title = page.title
        return pages

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if "chooser" in form.fields:  # the move action's new parent page
            field = form.fields["chooser"]
            field.queryset = access.filter_admin_visible(field.queryset, self.request.user)
            # An invalid choice is shown again in the form, with its title.
            if form.is_bound and form.data.get("chooser") and "chooser" in form.errors:
                raise Http404
        return form


PAGE_BULK_ACTIONS = [
    type(action.__name__, (VisiblePagesOnly, action), {})
    for action in (DeleteBulkAction, MoveBulkAction, PublishBulkAction, UnpublishBulkAction)
]
