"""Who sees and works which community's newsletter issues in the admin.

The rule of kompetanse/community_scope.py, as for content owners: a Django model permission on
``Issue`` covers every community (administrators; the central team holds ``view_issue``, given by
editorial's team setup, and so sees all communities' issues), and a local team works its own
community's issues through its page permissions on the community's home page: editors and
publishers (``change``) see and edit them, publishers (``publish``) also send them. Another
community's issue is nowhere in a local team's admin: the list and every view of one issue answer
as for an id that does not exist (404).
"""

from kompetanse.community_scope import CommunityPermissionPolicy
from newsletter.models import Issue

ANY_ACTION = ("view", "change", "send")


class IssuePermissionPolicy(CommunityPermissionPolicy):
    page_permission_for = {"view": "change", "change": "change", "send": "publish"}


permission_policy = IssuePermissionPolicy(Issue)


def visible_issues(user):
    return permission_policy.instances_user_has_any_permission_for(user, ANY_ACTION)


def issues_for(user, action):
    return permission_policy.instances_user_has_permission_for(user, action)
