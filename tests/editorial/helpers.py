"""Test helpers: submit the admin's own page edit form the way a browser would."""

from django.contrib.auth import get_user_model
from wagtail.blocks.base import BlockField
from wagtail.models import Page


def page_form_data(page, **overrides):
    """POST data for the admin edit form of ``page``, filled with the page's current values.

    Stream fields are posted empty and inline panels with no rows: the test pages have neither.
    """
    page = page.specific
    form_class = type(page).get_edit_handler().get_form_class()
    admin = get_user_model()(is_superuser=True, is_active=True)
    form = form_class(instance=page, parent_page=page.get_parent(), for_user=admin)
    data = {}
    _fill(form, data)
    data.update(overrides)
    return data


def new_page_form_data(model, parent, **values):
    """POST data for the admin's create form of a new ``model`` page under ``parent``."""
    form_class = model.get_edit_handler().get_form_class()
    admin = get_user_model()(is_superuser=True, is_active=True)
    form = form_class(instance=model(), parent_page=parent, for_user=admin)
    data = {}
    _fill(form, data)
    data.update(values)
    return data


def _fill(form, data):
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        bound = form[name]
        if isinstance(field, BlockField):
            data[f"{key}-count"] = "0"
            continue
        value = bound.value()
        if value is None:
            data[key] = ""
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, (list, tuple)):
            data[key] = [str(getattr(item, "pk", item)) for item in value]
        else:
            formatted = field.widget.format_value(value)
            data[key] = "" if formatted is None else formatted
    for formset in getattr(form, "formsets", {}).values():
        prefix = formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"


def reload(page):
    return Page.objects.get(pk=page.pk).specific
