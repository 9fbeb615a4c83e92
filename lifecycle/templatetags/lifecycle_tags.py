from django import template

from core.public_forms import form_token
from lifecycle.history import published_versions
from lifecycle.review import is_overdue

register = template.Library()


@register.simple_tag
def lifecycle_is_overdue(page):
    return is_overdue(page)


@register.simple_tag
def lifecycle_versions(page):
    """Published versions of the live page, newest first (never drafts)."""
    if not page or not page.pk:
        return []
    return list(published_versions(page))


@register.simple_tag
def lifecycle_form_token(page):
    return form_token(page.pk)
