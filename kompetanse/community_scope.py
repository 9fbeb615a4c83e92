"""Admin objects that belong to one community: who sees, chooses and manages which.

Content owners (kompetanse.owners), the communities' introductions to a topic
(``TopicIntroduction``) and newsletter issues (newsletter.permissions) each have a ``community``. Administrators, and anyone holding Django's
model permissions on the model (the central team, for owners: editorial's setup), manage them
all. A local team manages its own community's objects through its page permissions on the
community's home page: editors (``change``) may add and edit, publishers (``publish``) may also
delete. Another community's object is nowhere in a local team's admin: the listing, every view of
one object, the chooser and the bulk delete answer as for an id that does not exist.
"""

from django.contrib.admin.utils import unquote
from django.http import Http404
from django.shortcuts import get_list_or_404
from django.utils.functional import cached_property
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import page_permission_policy
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.views import chooser
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from kompetanse.models import CommunityHomePage, TopicIntroduction

# An action on the objects → the page permission on a community's home that allows it there.
PAGE_PERMISSION_FOR = {"add": "change", "change": "change", "view": "change", "delete": "publish"}
ANY_ACTION = ("add", "change", "delete", "view")


class CommunityPermissionPolicy(ModelPermissionPolicy):
    # A model whose actions differ (a newsletter issue is sent) maps its own.
    page_permission_for = PAGE_PERMISSION_FOR

    def manages_all(self, user, actions=ANY_ACTION):
        """Administrators and holders of Django's model permissions manage every object."""
        return any(super(CommunityPermissionPolicy, self).user_has_permission(user, a) for a in actions)

    def communities(self, user, action):
        """The communities in which the user may do this with the objects through their team's rights."""
        page_action = self.page_permission_for.get(action)
        if page_action is None or not user.is_active:
            return CommunityHomePage.objects.none()
        pages = page_permission_policy.instances_user_has_permission_for(user, page_action)
        return CommunityHomePage.objects.filter(pk__in=pages.values("pk"))

    def user_has_permission(self, user, action):
        return self.manages_all(user, [action]) or self.communities(user, action).exists()

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        objects = self.model._default_manager.all()
        if self.manages_all(user, actions):
            return objects
        own = CommunityHomePage.objects.none()
        for action in actions:
            own = own | self.communities(user, action)
        return objects.filter(community__in=own)

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.instances_user_has_any_permission_for(user, actions).filter(pk=instance.pk).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)


class OwnObjectMixin:
    """For the views of one object: 404 unless the user may do the view's action with it."""

    object_actions = ANY_ACTION

    def get_object(self, *args, **kwargs):
        # Before Wagtail's own lookup, some of which refuse with 403 and so tell that the id exists.
        objects = self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, self.object_actions
        )
        if not objects.filter(pk=unquote(str(self.kwargs.get("pk")))).exists():
            raise Http404
        return super().get_object(*args, **kwargs)


def with_mixin(mixin, view_class, **attrs):
    return type(view_class.__name__, (mixin, view_class), attrs)


def chooser_viewset_for(objects_for_user):
    """A snippet chooser that offers only ``objects_for_user(user)``, in that queryset's order."""

    class ChoosableObjectsMixin:
        ordering = None

        def objects(self):
            return objects_for_user(self.request.user)

        def get_object_list(self):
            return self.objects()

        def get_object(self, pk):
            return self.objects().get(pk=pk)

        def get_objects(self, pks):
            return self.objects().filter(pk__in=pks)

    class ChooserViewSet(chooser.SnippetChooserViewSet):
        choose_view_class = with_mixin(ChoosableObjectsMixin, chooser.ChooseView)
        choose_results_view_class = with_mixin(ChoosableObjectsMixin, chooser.ChooseResultsView)
        chosen_view_class = with_mixin(ChoosableObjectsMixin, chooser.SnippetChosenView)
        chosen_multiple_view_class = with_mixin(ChoosableObjectsMixin, chooser.SnippetChosenMultipleView)

    return ChooserViewSet


class CommunityScopedViewSet(SnippetViewSet):
    """The snippet admin of objects that belong to a community, scoped by ``policy``."""

    policy = None
    edit_view_class = with_mixin(OwnObjectMixin, snippet_views.EditView, object_actions=("change",))
    delete_view_class = with_mixin(OwnObjectMixin, snippet_views.DeleteView, object_actions=("delete",))
    copy_view_class = with_mixin(OwnObjectMixin, snippet_views.CopyView, object_actions=("add",))
    usage_view_class = with_mixin(OwnObjectMixin, snippet_views.UsageView)
    history_view_class = with_mixin(OwnObjectMixin, snippet_views.HistoryView)
    inspect_view_class = with_mixin(OwnObjectMixin, snippet_views.InspectView)

    @cached_property
    def permission_policy(self):
        return self.policy

    def get_queryset(self, request):
        return self.policy.instances_user_has_any_permission_for(request.user, ANY_ACTION).select_related(
            "community"
        )


class CommunityScopedDeleteBulkAction(DeleteBulkAction):
    """The snippets' bulk delete for such objects: only those the user may see are listed, and
    only those they may delete are deleted (Wagtail's lists any id it is given, by name)."""

    policy = None

    def get_queryset(self, model, object_ids):
        visible = self.policy.instances_user_has_any_permission_for(self.request.user, ANY_ACTION)
        return get_list_or_404(visible, pk__in=object_ids)

    def check_perm(self, snippet):
        return self.policy.user_has_permission_for_instance(self.request.user, "delete", snippet)


# The communities' introductions to topic pages (kompetanse.topic_admin, and package imports).
introduction_policy = CommunityPermissionPolicy(TopicIntroduction)
