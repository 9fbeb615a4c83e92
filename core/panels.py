"""Admin panels of the portal's own."""

from wagtail.admin.panels import PageChooserPanel
from wagtail.admin.widgets import AdminPageChooser


class PublishedTitlePageChooser(AdminPageChooser):
    """A page chooser that names the chosen page by its title as published.

    Wagtail's names it by its newest draft title (``get_admin_display_title``). A page may link to
    another community's published page, and that page's draft, with a new title perhaps, is the
    other team's own. A page that was never published is chosen only in the editor's own community
    (editorial's chooser hooks), and its title is its draft's."""

    def get_display_title(self, instance):
        return instance.title


class PublishedTitlePageChooserPanel(PageChooserPanel):
    """``PageChooserPanel`` with ``PublishedTitlePageChooser``."""

    def get_form_options(self):
        opts = super().get_form_options()
        opts.setdefault("widgets", {})[self.field_name] = PublishedTitlePageChooser(
            target_models=self.page_type, can_choose_root=self.can_choose_root
        )
        return opts
