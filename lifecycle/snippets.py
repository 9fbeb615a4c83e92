"""Snippet admin for community-bound rows: every view of a row checks the row's community.

Wagtail's snippet views check model permissions, and the viewset's ``get_queryset`` filters only
the listing. Here the listing, the export, the edit, delete, copy, usage, history and inspect views,
the snippet chooser and the bulk delete all go through ``CommunityRowPermissionPolicy``: a row of
another community answers 404, as an id that does not exist does.
"""

from django.http import Http404
from django.shortcuts import get_list_or_404
from django.utils.functional import cached_property, classproperty
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.models import get_snippet_models
from wagtail.snippets.views import chooser
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from kompetanse.community_scope import with_mixin
from lifecycle.permissions import ROW_ACTIONS, CommunityRowPermissionPolicy, visible_rows


class OwnRowMixin:
    """For the views of one row: 404 unless the user may see the row."""

    def get_object(self, *args, **kwargs):
        row = super().get_object(*args, **kwargs)
        if not self.permission_policy.user_has_any_permission_for_instance(
            self.request.user, ROW_ACTIONS, row
        ):
            raise Http404
        return row


class OwnRowsChooserMixin:
    """For the snippet chooser's views: only the rows the user may see are offered or chosen."""

    def rows(self):
        return visible_rows(self.model_class, self.request.user)

    def get_object_list(self):
        return self.rows()

    def get_object(self, pk):
        return self.rows().get(pk=pk)

    def get_objects(self, pks):
        return self.rows().filter(pk__in=pks)


class CommunityRowChooserViewSet(chooser.SnippetChooserViewSet):
    choose_view_class = with_mixin(OwnRowsChooserMixin, chooser.ChooseView)
    choose_results_view_class = with_mixin(OwnRowsChooserMixin, chooser.ChooseResultsView)
    chosen_view_class = with_mixin(OwnRowsChooserMixin, chooser.SnippetChosenView)
    chosen_multiple_view_class = with_mixin(OwnRowsChooserMixin, chooser.SnippetChosenMultipleView)


class CommunityRowViewSet(SnippetViewSet):
    """A snippet whose rows belong to a community through ``model.community_page_fields``."""

    edit_view_class = with_mixin(OwnRowMixin, snippet_views.EditView)
    delete_view_class = with_mixin(OwnRowMixin, snippet_views.DeleteView)
    copy_view_class = with_mixin(OwnRowMixin, snippet_views.CopyView)
    usage_view_class = with_mixin(OwnRowMixin, snippet_views.UsageView)
    history_view_class = with_mixin(OwnRowMixin, snippet_views.HistoryView)
    inspect_view_class = with_mixin(OwnRowMixin, snippet_views.InspectView)
    chooser_viewset_class = CommunityRowChooserViewSet

    @cached_property
    def permission_policy(self):
        return CommunityRowPermissionPolicy(self.model)

    def get_queryset(self, request):
        return visible_rows(self.model, request.user)


class CommunityRowDeleteBulkAction(DeleteBulkAction):
    """The snippets' bulk delete for community-bound rows: it lists and deletes only rows the user
    may see (Wagtail's lists any id it is given, with the row's text)."""

    @classproperty
    def models(cls):
        return [
            model for model in get_snippet_models() if isinstance(model.snippet_viewset, CommunityRowViewSet)
        ]

    def get_queryset(self, model, object_ids):
        return get_list_or_404(visible_rows(model, self.request.user), pk__in=object_ids)
