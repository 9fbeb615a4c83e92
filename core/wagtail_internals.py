"""Every use the portal makes of Wagtail's internals, in one place.

Wagtail documents hooks, panels, generic admin views, viewsets and the search API; the portal uses
those wherever they exist. Where they do not reach, it leans on parts Wagtail keeps to itself:
private methods, the names of its admin URLs and form buttons, and templates it overrides. Each
such use is named here, with why, and nowhere else; `tests/core/test_wagtail_internals.py` checks
every one of them against the installed Wagtail, so an upgrade that changes one fails there, by
name, instead of somewhere downstream (or silently, as a dead template override would).

Checked against Wagtail 7.4.
"""

from wagtail.admin.action_menu import (
    PublishMenuItem,
    RestartWorkflowMenuItem,
    SubmitForModerationMenuItem,
)
from wagtail.admin.views.mixins import Echo  # noqa: F401 (re-exported: a CSV stream's pseudo-buffer)
from wagtail.admin.views.pages.bulk_actions import (  # noqa: F401 (re-exported for editorial)
    DeleteBulkAction,
    MoveBulkAction,
    PublishBulkAction,
    UnpublishBulkAction,
)
from wagtail.admin.views.reports.audit_logging import (  # noqa: F401 (re-exported)
    LogEntriesView,
    SiteHistoryReportFilterSet,
    get_users_for_filter,
)
from wagtail.admin.views.reports.workflows import (  # noqa: F401 (re-exported)
    WorkflowReportFilterSet,
    WorkflowTasksReportFilterSet,
    WorkflowTasksView,
    WorkflowView,
)
from wagtail.admin.views.tags import TAGS_AUTOCOMPLETE_LIMIT  # noqa: F401 (re-exported)
from wagtail.admin.views.tags import autocomplete as tag_autocomplete  # noqa: F401 (re-exported)
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet  # noqa: F401 (re-exported)
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet  # noqa: F401 (re-exported)
from wagtail.models import ReferenceIndex

# -- The reference index --------------------------------------------------------------------------
# Which images and documents a page uses, read from the page itself (its unsaved revision included),
# and the content type the index files an image or document under. Wagtail's public API answers
# "what refers to this object" from the stored index only, which knows nothing of a draft being
# saved; editorial.media_guard checks the draft before it is saved.


def base_content_type(model):
    """The content type ReferenceIndex records ``model``'s objects under (its concrete base)."""
    return ReferenceIndex._get_base_content_type(model)


def references_of(obj):
    """``(content_type_id, object_id, model_path, content_path)`` for each object ``obj`` refers to."""
    return ReferenceIndex._extract_references_from_object(obj)


# -- The admin API's documents and images -------------------------------------------------------
# Wagtail's admin API (/admin/api/main/documents/, /images/) answers every admin user with every
# document and image, titles and file addresses, and no hook narrows it: editorial registers these
# endpoints again (``construct_admin_api``), answering with what the user may choose. Re-exported
# above: ``DocumentsAdminAPIViewSet``, ``ImagesAdminAPIViewSet``.

# -- The admin's tag autocomplete -----------------------------------------------------------------
# Wagtail's view (``tag_autocomplete``, re-exported above with its ``TAGS_AUTOCOMPLETE_LIMIT``)
# offers every tag; editorial.tags answers at its addresses with the tags of the user's own media,
# and hands other tag models and administrators to it.

# -- The workflow reports ----------------------------------------------------------------------------
# Wagtail's two workflow reports (``WorkflowView``, ``WorkflowTasksView`` and their filter sets,
# re-exported above) offer every workflow, task and requesting user in their filters;
# editorial.workflow_reports answers at their addresses with choices from the report's own rows.

# -- Admin views the portal guards by URL name -----------------------------------------------------
# Wagtail's construct_*_chooser_queryset hooks narrow the choosers' listings, but no hook sees the
# single object a chooser returns or the parent a page chooser opens at: editorial's middleware
# checks those views, found by these names, against the editor's community.
PAGE_CHOOSER = "wagtailadmin_choose_page"
PAGE_CHOOSER_CHILDREN = "wagtailadmin_choose_page_child"
PAGE_CHOOSER_CHOSEN_MULTIPLE = "wagtailadmin_choose_page_chosen_multiple"
IMAGE_CHOSEN = ("wagtailimages_chooser:chosen", "wagtailimages_chooser:select_format")
DOCUMENT_CHOSEN = "wagtaildocs_chooser:chosen"
MEDIA_CHOSEN_MULTIPLE = ("wagtailimages_chooser:chosen_multiple", "wagtaildocs_chooser:chosen_multiple")
# The page-types report counts pages of every community: editorial keeps it to superusers.
PAGE_TYPES_REPORT = ("wagtailadmin_reports:page_types_usage", "wagtailadmin_reports:page_types_usage_results")
# The view that serves pages to readers (kompetanse.caching: cache headers for readers' pages).
PAGE_SERVE = "wagtail_serve"
# Wagtail's site-history report and its results, served by editorial.site_history's subclass.
SITE_HISTORY = ("wagtailadmin_reports:site_history", "wagtailadmin_reports:site_history_results")

# Views of one page that name its newest draft title before they check the user's rights on it: the
# workflow's action views put it in a flash message for a page with no workflow in progress, and the
# move view's confirmation shows it as its heading. editorial's middleware answers 404 for a page
# outside the user's own community; the kwarg that holds the page's id, by view.
PAGE_VIEWS_OF_OWN_COMMUNITY = {
    "wagtailadmin_pages:workflow_action": "page_id",
    "wagtailadmin_pages:collect_workflow_action_data": "page_id",
    "wagtailadmin_pages:workflow_preview": "page_id",
    "wagtailadmin_pages:confirm_workflow_cancellation": "page_id",
    "wagtailadmin_pages:move_confirm": "page_to_move_id",
}
# The task chooser of the workflow editor lists every workflow task (each named after its community)
# to any admin user; editorial keeps it to those who may add or change workflows.
TASK_CHOOSER = (
    "wagtailadmin_workflows:task_chooser",
    "wagtailadmin_workflows:task_chooser_results",
    "wagtailadmin_workflows:task_chooser_create",
    "wagtailadmin_workflows:task_chosen",
)
GUARDED_URL_NAMES = (
    PAGE_CHOOSER,
    PAGE_CHOOSER_CHILDREN,
    PAGE_CHOOSER_CHOSEN_MULTIPLE,
    *IMAGE_CHOSEN,
    DOCUMENT_CHOSEN,
    *MEDIA_CHOSEN_MULTIPLE,
    *PAGE_TYPES_REPORT,
    PAGE_SERVE,
    *SITE_HISTORY,
    *PAGE_VIEWS_OF_OWN_COMMUNITY,
    *TASK_CHOOSER,
)

# -- Buttons of the page editor's form -------------------------------------------------------------
# The change note («Hva er endret?») is required when the editor publishes or sends the page on:
# the form learns which button was pressed from the POST data. The names come from Wagtail's own
# action menu items where it has them; the workflow action's two fields exist only in its view
# and templates (wagtail/admin/views/pages/edit.py).
PUBLISHING_BUTTONS = (PublishMenuItem.name, SubmitForModerationMenuItem.name, RestartWorkflowMenuItem.name)
WORKFLOW_ACTION_BUTTON = "action-workflow-action"
WORKFLOW_ACTION_NAME = "workflow-action-name"

# -- Templates overridden ---------------------------------------------------------------------------
# Each override copies one of Wagtail's templates and changes it where its words or behaviour must
# differ; the hash is that of Wagtail's original the override was written against. When an upgrade
# changes the original, the test fails: merge the change into the override, then update the hash.
OVERRIDDEN_TEMPLATES = {
    # Hard-coded English in Wagtail 7.4 (the search button's «Search», the header's «Actions» label),
    # outside its message catalog.
    "wagtailadmin/shared/header.html": ("37d78005e66127118fc8e9eee75c7d8d52aed5a3d3b36696285a176b5b5ba60c"),
    "wagtailadmin/home.html": ("7eb3ee7b5a9d1355b79a97fdc4c6a9c8612821bb1cdccf24efdd7a36c827c17d"),
    "wagtailadmin/shared/headers/_actions.html": (
        "facea723b6b917627f718d47a945c79fabcb1cbc516983c66cb6801b6a9a1557"
    ),
    # The status panel's hidden counter read «None» outside the edit form.
    "wagtailadmin/shared/side_panel_toggle.html": (
        "445a7f032ba7705a1b0576398d1581bd40623559a434fdc735d865e98f0faf4d"
    ),
    # The admin page search's count read «1–1 av 1 None» (no model name passed).
    "wagtailadmin/pages/listing/_page_title_column_header.html": (
        "6edca9f62c0dd8440e8193141d4c3d9319525f599cd56ff349668c4f7d9a9fa1"
    ),
    # The page chooser shows the title the editor may see (editorial.access.admin_title), not the
    # newest draft's title of another community's page.
    "wagtailadmin/chooser/tables/page_title_cell.html": (
        "22766fc2d64664a66e33efd68f18f996aa57f4a2abb43593d56f50ac200849ed"
    ),
    "wagtailadmin/chooser/tables/parent_page_cell.html": (
        "e09e2aa85aed77d984513a4aac4f8a096bc1abb45d11261d6ed6a899443e3776"
    ),
}
