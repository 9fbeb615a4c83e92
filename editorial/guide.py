"""«Redaktørveiledning»: the editors' guide in Norwegian, in the admin's help menu.

Wagtail's own help menu links to its English guide on wagtail.org and to English release notes;
editors here need the portal's own workflow (teams, approval, reuse, review dates) in bokmål.
"""

from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

# The entries Wagtail puts in the help menu that lead to English pages outside the portal.
WAGTAIL_ENGLISH_HELP = ("editor-guide", "whats-new-in-wagtail-")


class EditorGuideView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "editorial/guide.html"
    page_title = "Redaktørveiledning"
    header_icon = "help"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]


def without_wagtail_english_help(items):
    """The help menu's items without Wagtail's links to its English guide and release notes."""
    return [item for item in items if not item.name.startswith(WAGTAIL_ENGLISH_HELP)]
