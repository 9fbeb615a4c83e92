"""Who may see which rows of the admin's community-bound models: error reports and subscriptions.

Django's model permissions say what a team may do with error reports at all; a row belongs to a
community through its page, so the policy here also limits every row to the pages the user may
edit. A team sees and works the rows of its own community, administrators (superusers) all of them
(docs/editorial-model.md: nothing in another community, for any role).
"""

from functools import reduce
from operator import or_

from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import page_permission_policy

# The actions that let a user see a row at all: the admin shows a row only for one of these.
ROW_ACTIONS = ("view", "change", "delete")


class CommunityRowPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, for the rows whose page (``model.community_page_fields``) the user may edit."""

    def _own_rows(self, user):
        pages = page_permission_policy.instances_user_has_permission_for(user, "change")
        fields = self.model.community_page_fields
        return reduce(or_, (Q(**{f"{field}__in": pages}) for field in fields))

    def instances_user_has_any_permission_for(self, user, actions):
        rows = super().instances_user_has_any_permission_for(user, actions)
        if user.is_active and user.is_superuser:
            return rows
        return rows.filter(self._own_rows(user))

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.instances_user_has_any_permission_for(user, actions).filter(pk=instance.pk).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def users_with_any_permission_for_instance(self, actions, instance):
        editors = Q(is_superuser=True)
        for field in self.model.community_page_fields:
            page = getattr(instance, field)
            if page is not None:
                users = page_permission_policy.users_with_permission_for_instance("change", page)
                editors |= Q(pk__in=users.values("pk"))
        return self.users_with_any_permission(actions).filter(editors)


def visible_rows(model, user):
    """The rows of a community-bound model that this user may see in the admin."""
    return CommunityRowPermissionPolicy(model).instances_user_has_any_permission_for(user, ROW_ACTIONS)
