"""Template tags for the admin templates the editorial app overrides."""

from django import template

from editorial import access

register = template.Library()


@register.simple_tag
def admin_title(page, user):
    """The page's title as this user may see it: another community's draft title stays hidden."""
    return access.admin_title(page, user)
