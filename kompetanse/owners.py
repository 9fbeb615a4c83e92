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
from django.db.models import Case, IntegerField, Q, Value, When
from wagtail.admin.forms import WagtailAdminModelForm

from kompetanse.community_scope import (
    CommunityPermissionPolicy,
    CommunityScopedDeleteBulkAction,
    CommunityScopedViewSet,
    chooser_viewset_for,
)
from kompetanse.forms import PageFormExtension
from kompetanse.models import ContentOwner

SHARED_LABEL = "Felles for alle helsefellesskap"


class ContentOwnerPermissionPolicy(CommunityPermissionPolicy):
    """Owners as other per-community objects (kompetanse.community_scope)."""


permission_policy = ContentOwnerPermissionPolicy(ContentOwner)


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


class CommunityOwnerViewSet(CommunityScopedViewSet):
    """The snippet admin of content owners, scoped by community (see the module's docstring)."""

    policy = permission_policy
    chooser_viewset_class = chooser_viewset_for(choosable_owners)


class ContentOwnerDeleteBulkAction(CommunityScopedDeleteBulkAction):
    models = [ContentOwner]
    policy = permission_policy
