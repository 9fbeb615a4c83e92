"""The content types' edit form, which the satellites extend through ``kompetanse.registry``.

``KnowledgePage.base_form_class`` is ``KnowledgePageForm``. A satellite that needs a field or a
check on the edit form (lifecycle: «Hva er endret?» and what a procedure needs to go live)
registers a ``PageFormExtension`` in its ``AppConfig.ready()``; the form takes the extension's
fields when Wagtail builds the edit handler (after every app is ready), runs its hooks, and
``ExtensionPanels`` in the model's ``content_panels`` shows its panel. Nothing is patched onto the
models at startup.
"""

import copy

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models.panels import PanelPlaceholder

from kompetanse import registry


class PageFormExtension:
    """One app's part of the content types' edit form. Subclass and register an instance."""

    # name → form field: added to the form (a copy for each form class Wagtail builds).
    fields = {}

    def panel(self):
        """The panel that shows ``fields`` at the end of the content tab, or None."""
        return None

    def init(self, form):
        """After the form is built (``form.instance`` is the page)."""

    def clean(self, form, cleaned_data):
        """After the form's own checks; may add errors and change ``cleaned_data``."""
        return cleaned_data

    def save(self, form, page):
        """Before the page is saved (``commit=False`` or not)."""


class KnowledgePageFormMetaclass(type(WagtailAdminPageForm)):
    def __new__(mcs, name, bases, attrs):
        # Wagtail builds the edit form as a subclass of base_form_class once every app is ready,
        # so the registered fields are there, declared, when it looks for the panels' fields.
        for extension in registry.page_form_extensions():
            for field_name, field in extension.fields.items():
                attrs.setdefault(field_name, copy.deepcopy(field))
        return super().__new__(mcs, name, bases, attrs)


class KnowledgePageForm(WagtailAdminPageForm, metaclass=KnowledgePageFormMetaclass):
    """The edit form of procedures, recommendations and good examples."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for extension in registry.page_form_extensions():
            extension.init(self)

    def clean_slug(self):
        """A new page whose title gives a slug a sibling already has gets the first free one
        («tittel-2», «tittel-3», …) instead of an error: the editor has not chosen the address,
        and a draft left behind earlier must not block the same title. An existing page keeps
        its slug, and Wagtail's check (in Norwegian) stops a clash the editor typed."""
        slug = self.cleaned_data.get("slug")
        if not slug or self.instance.pk or self.parent_page is None:
            return slug
        taken = set(
            self.parent_page.get_children().filter(slug__startswith=slug).values_list("slug", flat=True)
        )
        candidate, number = slug, 1
        while candidate in taken:
            number += 1
            candidate = f"{slug}-{number}"
        return candidate

    def clean(self):
        cleaned_data = super().clean()
        for extension in registry.page_form_extensions():
            cleaned_data = extension.clean(self, cleaned_data)
        return cleaned_data

    def save(self, commit=True):
        page = super().save(commit=False)
        for extension in registry.page_form_extensions():
            extension.save(self, page)
        if commit:
            page.save()
            self.save_m2m()
        return page


class ExtensionPanels(PanelPlaceholder):
    """In ``content_panels``: the registered extensions' panels, built with the edit handler.

    Wagtail turns a placeholder into its panel (or leaves it out, for None) when it binds the
    panels to the model, after every app is ready.
    """

    def __init__(self):
        super().__init__("wagtail.admin.panels.ObjectList", [], {})

    def construct(self):
        panels = [panel for extension in registry.page_form_extensions() if (panel := extension.panel())]
        if not panels:
            return None
        if len(panels) == 1:
            return panels[0]
        return self.panel_class(panels)
