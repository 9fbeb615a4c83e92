"""Content owners per community: who sees, chooses and manages which owners in the admin.

An owner belongs to one community (``ContentOwner.community``) or is shared by all (no community).
The central team holds Django's model permissions on owners (editorial's setup) and manages them
all, the shared ones included. A local team manages its own community's owners through its page
permissions on the community's home page: editors (``change``) may add and edit, publishers
(``publish``) may also delete. Another community's owner is nowhere in a local team's admin: the
listing, every view of one owner, the chooser and the bulk delete answer as for an id that does not
exist. The chooser offers the user's own community's owners first, then the shared ones.
"""

from django import forms
from django.contrib.admin.utils import unquote
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404
from django.shortcuts import get_list_or_404
from django.utils.functional import cached_property
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.views import chooser
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from kompetanse.community_scope import CommunityScopedPermissionPolicy
from kompetanse.forms import PageFormExtension
from kompetanse.models import ContentOwner

# An action on owners → the page permission on a community's home that allows it there.
PAGE_PERMISSION_FOR = {"add": "change", "change": "change", "view": "change", "delete": "publish"}
ANY_ACTION = ("add", "change", "delete", "view")
SHARED_LABEL = "Felles for alle helsefellesskap"


class ContentOwnerPermissionPolicy(CommunityScopedPermissionPolicy):
    page_permission_for = PAGE_PERMISSION_FOR

    def manages_all(self, user, actions=ANY_ACTION):
        """Administrators and the central team (Django's model permissions) manage every owner."""
        return self.for_all_communities(user, actions)


permission_policy = ContentOwnerPermissionPolicy(ContentOwner)


def visible_owners(user):
    """The owners this user manages: their listing and the views of one owner."""
    return permission_policy.instances_user_has_any_permission_for(user, ANY_ACTION)


def choosable_owners(user):
    """The owners this user may choose for a page, their own community's first, then the shared
    ones (then, for the central team, the other communities')."""
    owners = ContentOwner.objects.all()
    own = permission_policy.communities(user, "change")
    if not permission_policy.manages_all(user):
        owners = owners.filter(Q(community__isnull=True) | Q(community__in=own))
    rank = Case(
        When(community__in=own, then=Value(0)),
        When(community__isnull=True, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return owners.annotate(choice_rank=rank).order_by("choice_rank", "community__path", "name", "pk")


class OwnerChoiceExtension(PageFormExtension):
    """The page form takes only the owners its chooser offers the editor (and the page's own), so a
    crafted post cannot give a page another community's owner. Registered in KompetanseConfig.ready."""

    def init(self, form):
        field = form.fields.get("content_owner")
        user = getattr(form, "for_user", None)
        if field is None or user is None:
            return
        current = form.instance.content_owner_id if form.instance.pk else None
        field.queryset = ContentOwner.objects.filter(
            Q(pk__in=choosable_owners(user).values("pk")) | Q(pk=current)
        )


class ContentOwnerForm(WagtailAdminModelForm):
    """A local team's owner belongs to one of its communities; only the central team (and
    administrators) may leave the community empty, which makes the owner shared."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("community")
        if field is None or self.for_user is None:
            return
        if permission_policy.manages_all(self.for_user):
            field.required = False
            field.empty_label = SHARED_LABEL
            return
        field.queryset = permission_policy.communities(self.for_user, "change").order_by("path")
        field.required = True
        field.empty_label = None
        if self.instance.pk is None and not self.initial.get("community"):
            self.initial["community"] = field.queryset.values_list("pk", flat=True).first()

    def clean_community(self):
        community = self.cleaned_data.get("community")
        if community is None and not permission_policy.manages_all(self.for_user):
            raise forms.ValidationError("Velg helsefellesskapet den innholdsansvarlige hører til.")
        return community


class OwnOwnerMixin:
    """For the views of one owner: 404 unless the user may do the view's action with it."""

    owner_actions = ANY_ACTION

    def get_object(self, *args, **kwargs):
        # Before Wagtail's own lookup, some of which refuse with 403 and so tell that the id exists.
        owners = permission_policy.instances_user_has_any_permission_for(
            self.request.user, self.owner_actions
        )
        if not owners.filter(pk=unquote(str(self.kwargs.get("pk")))).exists():
            raise Http404
        return super().get_object(*args, **kwargs)


class ChoosableOwnersMixin:
    """For the chooser's views: only the owners the user may choose, in the order to choose them."""

    ordering = None

    def owners(self):
        return choosable_owners(self.request.user)

    def get_object_list(self):
        return self.owners()

    def get_object(self, pk):
        return self.owners().get(pk=pk)

    def get_objects(self, pks):
        return self.owners().filter(pk__in=pks)


def _with(mixin, view_class, **attrs):
    return type(view_class.__name__, (mixin, view_class), attrs)


class ContentOwnerChooserViewSet(chooser.SnippetChooserViewSet):
    choose_view_class = _with(ChoosableOwnersMixin, chooser.ChooseView)
    choose_results_view_class = _with(ChoosableOwnersMixin, chooser.ChooseResultsView)
    chosen_view_class = _with(ChoosableOwnersMixin, chooser.SnippetChosenView)
    chosen_multiple_view_class = _with(ChoosableOwnersMixin, chooser.SnippetChosenMultipleView)


class CommunityOwnerViewSet(SnippetViewSet):
    """The snippet admin of content owners, scoped by community (see the module's docstring)."""

    edit_view_class = _with(OwnOwnerMixin, snippet_views.EditView, owner_actions=("change",))
    delete_view_class = _with(OwnOwnerMixin, snippet_views.DeleteView, owner_actions=("delete",))
    copy_view_class = _with(OwnOwnerMixin, snippet_views.CopyView, owner_actions=("add",))
    usage_view_class = _with(OwnOwnerMixin, snippet_views.UsageView)
    history_view_class = _with(OwnOwnerMixin, snippet_views.HistoryView)
    inspect_view_class = _with(OwnOwnerMixin, snippet_views.InspectView)
    chooser_viewset_class = ContentOwnerChooserViewSet

    @cached_property
    def permission_policy(self):
        return permission_policy

    def get_queryset(self, request):
        return visible_owners(request.user).select_related("community")


class ContentOwnerDeleteBulkAction(DeleteBulkAction):
    """The snippets' bulk delete for owners: only owners the user may see are listed, and only
    those they may delete are deleted (Wagtail's lists any id it is given, by name)."""

    models = [ContentOwner]

    def get_queryset(self, model, object_ids):
        return get_list_or_404(visible_owners(self.request.user), pk__in=object_ids)

    def check_perm(self, snippet):
        return permission_policy.user_has_permission_for_instance(self.request.user, "delete", snippet)
