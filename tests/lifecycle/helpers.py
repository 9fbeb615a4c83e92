"""Helpers for the lifecycle tests: teams with page permissions, publishing, admin form data."""

import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import TestCase
from wagtail.blocks.base import BlockField
from wagtail.models import GroupPagePermission, Page

from core.public_forms import form_token
from kompetanse.communities import ensure_community
from kompetanse.factories import ContentOwnerFactory


def make_user(username, *, email=None, groups=(), superuser=False):
    User = get_user_model()
    user = User.objects.create_user(
        username,
        email if email is not None else f"{username}@example.no",
        "passord-123",
        is_superuser=superuser,
    )
    user.groups.set(groups)
    return user


def team_group(name, community, codenames=("add", "change", "publish")):
    group = Group.objects.create(name=name)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        GroupPagePermission.objects.create(
            group=group,
            page=community.page_ptr,
            permission=Permission.objects.get(codename=f"{codename}_page"),
        )
    return group


def content_owner():
    return ContentOwnerFactory(name="Kari Fagansvarlig", email="kari@example.no")


def oslo_publishing_team():
    """Oslo with a team that may add, change and publish its pages, one publisher in that team,
    and a content owner (not in the team)."""
    oslo = ensure_community("oslo", "Helsefellesskap Oslo")
    oslo_team = team_group("Oslo publiserere", oslo)
    publisher = make_user("publiserer", email="publiserer@oslo.example.no", groups=[oslo_team])
    return {"oslo": oslo, "oslo_team": oslo_team, "publisher": publisher, "owner": content_owner()}


def publish(page, note=None, user=None, **fields):
    """Edit fields, attach a change note like the admin form does, save a revision and publish it."""
    page = Page.objects.get(pk=page.pk).specific
    for name, value in fields.items():
        setattr(page, name, value)
    if note is not None:
        page._lifecycle_change_note = note
    # The publish's tasks (change notices) are enqueued when it commits; a test's transaction
    # never commits, so they run here as the commit would run them.
    with TestCase.captureOnCommitCallbacks(execute=True):
        revision = page.save_revision(user=user)
        revision.publish(user=user)
    return Page.objects.get(pk=page.pk).specific, revision


def save_draft(page, note=None, **fields):
    page = Page.objects.get(pk=page.pk).specific
    for name, value in fields.items():
        setattr(page, name, value)
    if note is not None:
        page._lifecycle_change_note = note
    return page.save_revision()


def old_token(page):
    """A form token issued a minute ago, as a person filling in the form would send it."""
    return form_token(page.pk, issued_at=time.time() - 60)


def edit_form_data(page, **overrides):
    """POST data for the admin edit form of ``page`` with its current values (stream fields empty)."""
    page = Page.objects.get(pk=page.pk).specific
    form_class = type(page).get_edit_handler().get_form_class()
    admin = get_user_model()(is_superuser=True, is_active=True)
    form = form_class(instance=page, parent_page=page.get_parent(), for_user=admin)
    data = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if isinstance(field, BlockField):
            data[f"{key}-count"] = "0"
            continue
        value = form[name].value()
        if value is None:
            data[key] = ""
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(getattr(item, "pk", item)) for item in value]
        else:
            formatted = field.widget.format_value(value)
            data[key] = "" if formatted is None else formatted
    for formset in getattr(form, "formsets", {}).values():
        prefix = formset.prefix
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(overrides)
    return data
