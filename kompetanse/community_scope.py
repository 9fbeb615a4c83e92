"""Admin rows that belong to one community, and who may work them: the rule content owners
(kompetanse/owners.py) and newsletter issues (newsletter/permissions.py) share.

A Django model permission covers the rows of every community (administrators, the central team);
a local team works its own community's rows through its page permissions on the community's home
page, each action mapped to the page permission that allows it there (``page_permission_for``).
The rows name their community in a field ``community``.
"""

from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import page_permission_policy

from kompetanse.models import CommunityHomePage


class CommunityScopedPermissionPolicy(ModelPermissionPolicy):
    page_permission_for = {}  # action on the rows → page permission on the community's home

    def for_all_communities(self, user, actions):
        """Model permissions: the action on every community's rows."""
        return any(ModelPermissionPolicy.user_has_permission(self, user, action) for action in actions)

    def communities(self, user, action):
        """The communities in which the user may do this through their team's page permissions."""
        page_action = self.page_permission_for.get(action)
        if page_action is None or not user.is_active:
            return CommunityHomePage.objects.none()
        pages = page_permission_policy.instances_user_has_permission_for(user, page_action)
        return CommunityHomePage.objects.filter(pk__in=pages.values("pk"))

    def user_has_permission(self, user, action):
        return self.for_all_communities(user, [action]) or self.communities(user, action).exists()

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        rows = self.model._default_manager.all()
        if self.for_all_communities(user, actions):
            return rows
        own = Q(pk__in=[])
        for action in actions:
            own |= Q(community__in=self.communities(user, action))
        return rows.filter(own)

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.instances_user_has_any_permission_for(user, actions).filter(pk=instance.pk).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)
