"""The permission matrix: who may do what to which community's pages and media, via the admin's views.

Every case drives the admin's own HTTP views with the test client (as a browser would) and then
checks what actually happened: a page was created, a revision saved, a workflow started, a task
approved, an image stored… «Allowed» means the action took effect; «forbidden» means it did not
(whatever the view answered: 403, a redirect to the login or to the user's own community, or a
form error) and the server did not fail.

Targets: A = the role's community «oslo», B = another community «ahus», S = «sentral».
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, TaskState

from tests.editorial.conftest import png_upload
from tests.editorial.helpers import new_page_form_data, page_form_data, reload

pytestmark = pytest.mark.wagtail_search

# Each cell lists the targets (A, B, S) where the role may do the action; "" = nowhere.
ROLES = ["editor_a", "publisher_a", "editor_s", "publisher_s", "no_team", "anonymous"]
EXPECTED = {
    # action            editor_a  publisher_a  editor_s  publisher_s  no_team  anonymous
    "explore":          ("A",     "A",         "S",      "S",         "",      ""),
    "create_child":     ("A",     "A",         "S",      "S",         "",      ""),
    "edit":             ("A",     "A",         "S",      "S",         "",      ""),
    "submit":           ("A",     "A",         "S",      "S",         "",      ""),
    "approve":          ("",      "A",         "",       "S",         "",      ""),
    "reject":           ("",      "A",         "",       "S",         "",      ""),
    "publish":          ("",      "A",         "",       "S",         "",      ""),
    "unpublish":        ("",      "A",         "",       "S",         "",      ""),
    "move":             ("",      "A",         "",       "S",         "",      ""),
    "delete":           ("",      "A",         "",       "S",         "",      ""),
    "lock":             ("",      "A",         "",       "S",         "",      ""),
    "copy_into":        ("A",     "A",         "S",      "S",         "",      ""),
    "upload_image":     ("A",     "A",         "S",      "S",         "",      ""),
    "upload_document":  ("A",     "A",         "S",      "S",         "",      ""),
    "choose_image":     ("A",     "A",         "S",      "S",         "",      ""),
    "choose_document":  ("A",     "A",         "S",      "S",         "",      ""),
}  # fmt: skip
HOME = {"editor_a": "A", "publisher_a": "A", "editor_s": "S", "publisher_s": "S"}


def _ok(response):
    assert response.status_code < 500, response.status_code
    return response


# --- the actions: each returns True when the action took effect ------------------------------------


def explore(client, world, c, role):
    response = _ok(client.get(reverse("wagtailadmin_explore", args=[c.listing.pk])))
    return response.status_code == 200 and c.draft.title in response.content.decode()


def create_child(client, world, c, role):
    slug = f"ny-side-{role}"
    data = new_page_form_data(type(c.live), c.listing, title="Ny side", slug=slug, summary="Ny.")
    data["content_owner"] = str(world.owner.pk)
    url = reverse("wagtailadmin_pages:add", args=["kompetanse", "procedurepage", c.listing.pk])
    _ok(client.post(url, data))
    return Page.objects.child_of(c.listing).filter(slug=slug).exists()


def edit(client, world, c, role):
    title = f"Endret av {role}"
    _ok(
        client.post(reverse("wagtailadmin_pages:edit", args=[c.live.pk]), page_form_data(c.live, title=title))
    )
    return reload(c.live).get_latest_revision_as_object().title == title


def submit(client, world, c, role):
    data = page_form_data(c.draft, **{"action-submit": "1"})
    _ok(client.post(reverse("wagtailadmin_pages:edit", args=[c.draft.pk]), data))
    return reload(c.draft).workflow_in_progress


def _workflow_action(client, c, action, comment):
    task_state = reload(c.in_review).current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[c.in_review.pk, action, task_state.pk])
    _ok(client.post(url, {"comment": comment}))
    return TaskState.objects.get(pk=task_state.pk).status


def approve(client, world, c, role):
    return _workflow_action(client, c, "approve", "Ser bra ut.") == TaskState.STATUS_APPROVED


def reject(client, world, c, role):
    return _workflow_action(client, c, "reject", "Mangler kilder.") == TaskState.STATUS_REJECTED


def publish(client, world, c, role):
    data = page_form_data(c.draft, **{"action-publish": "1"})
    _ok(client.post(reverse("wagtailadmin_pages:edit", args=[c.draft.pk]), data))
    return reload(c.draft).live


def unpublish(client, world, c, role):
    _ok(client.post(reverse("wagtailadmin_pages:unpublish", args=[c.live.pk])))
    return not reload(c.live).live


def move(client, world, c, role):
    # A content page can only live in its own listing, so moving means choosing a new place:
    # the move view answers only to those who may move the page.
    response = _ok(client.get(reverse("wagtailadmin_pages:move", args=[c.live.pk])))
    return response.status_code == 200


def delete(client, world, c, role):
    _ok(client.post(reverse("wagtailadmin_pages:delete", args=[c.live.pk])))
    return not Page.objects.filter(pk=c.live.pk).exists()


def lock(client, world, c, role):
    _ok(client.post(reverse("wagtailadmin_pages:lock", args=[c.live.pk])))
    return reload(c.live).locked


def copy_into(client, world, c, role):
    # Copy a page of the role's own community (community A for users outside every team).
    source = world[HOME.get(role, "A")].live
    slug = f"kopi-{role}"
    data = {"new_title": "Kopi", "new_slug": slug, "new_parent_page": str(c.listing.pk)}
    _ok(client.post(reverse("wagtailadmin_pages:copy", args=[source.pk]), data))
    return Page.objects.child_of(c.listing).filter(slug=slug).exists()


def upload_image(client, world, c, role):
    data = {
        "title": f"Opplastet av {role}",
        "description": "Et testbilde",
        "file": png_upload(),
        "collection": str(c.team.image_collection.pk),
    }
    _ok(client.post(reverse("wagtailimages:add"), data))
    return get_image_model().objects.filter(title=data["title"], collection=c.team.image_collection).exists()


def upload_document(client, world, c, role):
    data = {
        "title": f"Opplastet av {role}",
        "file": SimpleUploadedFile("vedlegg.txt", b"Et vedlegg", content_type="text/plain"),
        "collection": str(c.team.document_collection.pk),
    }
    _ok(client.post(reverse("wagtaildocs:add"), data))
    return (
        get_document_model()
        .objects.filter(title=data["title"], collection=c.team.document_collection)
        .exists()
    )


def choose_image(client, world, c, role):
    listing = _ok(client.get(reverse("wagtailimages_chooser:choose")))
    offered = listing.status_code == 200 and c.image.title in listing.content.decode()
    chosen = _ok(client.get(reverse("wagtailimages_chooser:chosen", args=[c.image.pk])))
    assert offered == (chosen.status_code == 200), "the chooser offers what its endpoint refuses"
    return chosen.status_code == 200


def choose_document(client, world, c, role):
    listing = _ok(client.get(reverse("wagtaildocs_chooser:choose")))
    offered = listing.status_code == 200 and c.document.title in listing.content.decode()
    chosen = _ok(client.get(reverse("wagtaildocs_chooser:chosen", args=[c.document.pk])))
    assert offered == (chosen.status_code == 200), "the chooser offers what its endpoint refuses"
    return chosen.status_code == 200


ACTIONS = {
    "explore": explore,
    "create_child": create_child,
    "edit": edit,
    "submit": submit,
    "approve": approve,
    "reject": reject,
    "publish": publish,
    "unpublish": unpublish,
    "move": move,
    "delete": delete,
    "lock": lock,
    "copy_into": copy_into,
    "upload_image": upload_image,
    "upload_document": upload_document,
    "choose_image": choose_image,
    "choose_document": choose_document,
}
CASES = [
    pytest.param(role, action, target, target in EXPECTED[action][index], id=f"{role}-{action}-{target}")
    for action in EXPECTED
    for index, role in enumerate(ROLES)
    for target in "ABS"
]


@pytest.mark.parametrize("role, action, target, allowed", CASES)
def test_permission_matrix(login, world, role, action, target, allowed):
    client = login(role)
    assert ACTIONS[action](client, world, world[target], role) is allowed


# --- everything else a local editor can reach: snippets, bulk actions, choosers, reports -------------
#
# As Oslo's editor (A), every admin URL about Ahus (B) answers exactly as listed, and no answer
# carries any of B's drafts: not its draft, its page waiting for approval, its private page, the
# new title in a draft of its published page, nor its reader's error report or subscription.

B_NEW_DRAFT_TITLE = "Ny tittel i utkastet til B"


@pytest.fixture
def ahus_at_work(login, world):
    """B's team works: a draft gives B's published page a new title, and B's editor handles its
    reader's error report in the admin (which writes the report's text into the audit log)."""
    page = reload(world["B"].live)
    page.title = B_NEW_DRAFT_TITLE
    page.save_revision(user=world.user("editor_b"))
    url = reverse("wagtailsnippets_lifecycle_errorreport:edit", args=[world["B"].report.pk])
    response = login("editor_b").post(url, {"status": "in_progress", "internal_note": "Intern merknad B"})
    assert response.status_code == 302


def b_secrets(world):
    b = world["B"]
    return [
        b.draft.title,
        b.in_review.title,
        b.private.title,
        B_NEW_DRAFT_TITLE,
        b.report.message,
        b.report.email,
        b.report.internal_note,
        b.subscription.email,
    ]


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _url(name, *targets, query=""):
    """A URL builder: ``targets`` pick objects from the world, e.g. ``("B", "report")``."""

    def build(world):
        args = [getattr(world[letter], attribute).pk for letter, attribute in targets]
        return reverse(name, args=args) + query

    return build


def _ids(*targets):
    return lambda world: "&".join(f"id={getattr(world[letter], attr).pk}" for letter, attr in targets)


def _bulk(app_model, action, *targets):
    app_label, model_name = app_model.split(".")

    def build(world):
        url = reverse("wagtail_bulk_action", args=[app_label, model_name, action])
        return f"{url}?{_ids(*targets)(world)}"

    return build


def _chosen_pages(*targets):
    return lambda world: f"{reverse('wagtailadmin_choose_page_chosen_multiple')}?{_ids(*targets)(world)}"


REPORT = "wagtailsnippets_lifecycle_errorreport"
REPORT_CHOOSER = "wagtailsnippetchoosers_lifecycle_errorreport"
SUBSCRIPTION = "wagtailsnippets_lifecycle_subscription"
SUBSCRIPTION_CHOOSER = "wagtailsnippetchoosers_lifecycle_subscription"
B_REPORT = ("B", "report")
B_SUBSCRIPTION = ("B", "subscription")
TO_DASHBOARD = 302  # Wagtail's answer to a missing model permission: back to the dashboard

# (case, url builder, status, text the answer shows (None: nothing to check beyond the status))
OTHER_COMMUNITY_VIEWS = [
    # B's error report in every snippet view
    ("report-edit", _url(f"{REPORT}:edit", B_REPORT), 404, None),
    ("report-history", _url(f"{REPORT}:history", B_REPORT), 404, None),
    ("report-history-results", _url(f"{REPORT}:history_results", B_REPORT), 404, None),
    ("report-delete", _url(f"{REPORT}:delete", B_REPORT), 404, None),
    ("report-usage", _url(f"{REPORT}:usage", B_REPORT), 404, None),
    ("report-copy", _url(f"{REPORT}:copy", B_REPORT), TO_DASHBOARD, None),
    ("report-list", _url(f"{REPORT}:list"), 200, "Melding om A"),
    ("report-list-search", _url(f"{REPORT}:list_results", query="?q=Melding"), 200, "Melding om A"),
    ("report-export-csv", _url(f"{REPORT}:list", query="?export=csv"), 200, "Melding om A"),
    ("report-chooser", _url(f"{REPORT_CHOOSER}:choose"), 200, "Melding om A"),
    (
        "report-chooser-search",
        _url(f"{REPORT_CHOOSER}:choose_results", query="?q=Melding"),
        200,
        "Melding om A",
    ),
    ("report-chooser-chosen", _url(f"{REPORT_CHOOSER}:chosen", B_REPORT), 404, None),
    (
        "report-chooser-chosen-multiple",
        lambda w: f"{reverse(f'{REPORT_CHOOSER}:chosen_multiple')}?{_ids(B_REPORT)(w)}",
        200,
        '"result": []',
    ),
    ("report-bulk-delete", _bulk("lifecycle.errorreport", "delete", B_REPORT), 404, None),
    # B's subscription (editors have no subscription permissions at all)
    ("subscription-edit", _url(f"{SUBSCRIPTION}:edit", B_SUBSCRIPTION), 404, None),
    ("subscription-chooser", _url(f"{SUBSCRIPTION_CHOOSER}:choose"), 200, None),
    ("subscription-chooser-chosen", _url(f"{SUBSCRIPTION_CHOOSER}:chosen", B_SUBSCRIPTION), 404, None),
    ("subscription-bulk-delete", _bulk("lifecycle.subscription", "delete", B_SUBSCRIPTION), 404, None),
    # the page tree's bulk actions: B's unpublished and private pages are unknown ids, B's
    # published page is listed (the editor cannot act on it) under its published title
    *[
        (f"bulk-{action}-{page}", _bulk("wagtailcore.page", action, ("B", page)), 404, None)
        for action in ("delete", "move", "publish", "unpublish")
        for page in ("draft", "in_review", "private")
    ],
    *[
        (f"bulk-{action}-live", _bulk("wagtailcore.page", action, ("B", "live")), 200, "Publisert side B")
        for action in ("delete", "move", "publish", "unpublish")
    ],
    # the page chooser: B's published pages under their published titles, nothing else
    ("chooser-browse", _url("wagtailadmin_choose_page_child", ("B", "listing")), 200, "Publisert side B"),
    ("chooser-browse-draft", _url("wagtailadmin_choose_page_child", ("B", "draft")), 404, None),
    ("chooser-search", _url("wagtailadmin_choose_page_search", query="?q=side"), 200, "Publisert side B"),
    ("chooser-chosen-draft", _chosen_pages(("B", "draft")), 404, None),
    ("chooser-chosen-in-review", _chosen_pages(("B", "in_review")), 404, None),
    ("chooser-chosen-private", _chosen_pages(("B", "private")), 404, None),
    ("chooser-chosen-renamed-in-draft", _chosen_pages(("B", "live")), 404, None),
    # reports
    ("page-types", _url("wagtailadmin_reports:page_types_usage"), 403, None),
    ("page-types-results", _url("wagtailadmin_reports:page_types_usage_results"), 403, None),
    ("site-history", _url("wagtailadmin_reports:site_history"), 200, None),
    ("site-history-results", _url("wagtailadmin_reports:site_history_results"), 200, None),
    ("workflows", _url("wagtailadmin_reports:workflow"), 200, None),
    ("workflows-results", _url("wagtailadmin_reports:workflow_results"), 200, None),
    ("workflow-tasks", _url("wagtailadmin_reports:workflow_tasks"), 200, None),
    ("workflow-tasks-results", _url("wagtailadmin_reports:workflow_tasks_results"), 200, None),
    ("aging-pages", _url("wagtailadmin_reports:aging_pages"), 200, None),
    ("aging-pages-results", _url("wagtailadmin_reports:aging_pages_results"), 200, None),
    ("locked-pages", _url("wagtailadmin_reports:locked_pages"), TO_DASHBOARD, None),
    ("review-status", _url("lifecycle_review_report"), 200, "Publisert side A"),
]


@pytest.mark.parametrize(
    "url, status, shown",
    [pytest.param(url, status, shown, id=case) for case, url, status, shown in OTHER_COMMUNITY_VIEWS],
)
def test_no_admin_view_shows_a_local_editor_another_communitys_drafts_or_rows(
    login, world, ahus_at_work, url, status, shown
):
    response = login("editor_a").get(url(world))
    assert response.status_code == status
    if status == TO_DASHBOARD:
        assert response["Location"] == reverse("wagtailadmin_home")
    text = body(response)
    if shown is not None:
        assert shown in text
    for secret in b_secrets(world):
        assert secret not in text


def test_the_page_types_report_is_not_in_a_local_editors_reports_menu(login, world):
    response = login("editor_a").get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert reverse("wagtailadmin_reports:page_types_usage") not in body(response)
    assert reverse("wagtailadmin_reports:site_history") in body(response)


# --- and their own community, where nothing is hidden ------------------------------------------------


def test_a_team_works_its_own_reports_and_only_those(login, world, ahus_at_work):
    client = login("editor_a")
    report = world["A"].report
    edit_url = reverse(f"{REPORT}:edit", args=[report.pk])
    response = client.get(edit_url)
    assert response.status_code == 200
    assert "leser-oslo@example.no" in body(response)
    assert client.post(edit_url, {"status": "resolved", "internal_note": "Rettet."}).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.internal_note) == ("resolved", "Rettet.")
    assert client.get(reverse(f"{REPORT}:history", args=[report.pk])).status_code == 200
    site_history = body(client.get(reverse("wagtailadmin_reports:site_history")))
    assert "Melding om A: dosen stemmer ikke" in site_history
    assert "Melding om B" not in site_history
    chosen = client.get(reverse(f"{REPORT_CHOOSER}:chosen", args=[report.pk]))
    assert chosen.status_code == 200
    assert chosen.json()["result"]["string"] == "Melding om A: dosen stemmer ikke"
    assert client.get(reverse(f"{REPORT_CHOOSER}:chosen", args=[world["B"].report.pk])).status_code == 404


def test_only_administrators_see_every_communitys_reports(login, client, world):
    from django.contrib.auth import get_user_model

    central = login("publisher_s")
    assert central.get(reverse(f"{REPORT}:edit", args=[world["S"].report.pk])).status_code == 200
    assert central.get(reverse(f"{REPORT}:edit", args=[world["A"].report.pk])).status_code == 404
    client.force_login(get_user_model().objects.create_superuser("sjef", "sjef@example.no", "x"))
    response = client.get(reverse(f"{REPORT}:list"))
    assert response.status_code == 200
    for letter in "ABS":
        assert f"Melding om {letter}" in body(response)
    assert client.get(reverse(f"{REPORT}:edit", args=[world["B"].report.pk])).status_code == 200


def test_bulk_actions_list_and_act_on_own_pages_only(login, world):
    client = login("editor_a")
    ids = f"?id={world['A'].draft.pk}&id={world['B'].draft.pk}"
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"]) + ids
    response = client.get(url)
    assert response.status_code == 200
    assert "Utkast A" in body(response) and "Utkast B" not in body(response)
    assert client.post(url).status_code == 302
    assert not Page.objects.filter(pk=world["A"].draft.pk).exists()
    assert Page.objects.filter(pk=world["B"].draft.pk).exists()


def test_the_page_chooser_shows_own_draft_titles_and_others_published_titles(login, world, ahus_at_work):
    page = reload(world["A"].live)
    page.title = "Ny tittel i utkastet til A"
    page.save_revision()
    client = login("editor_a")
    search = body(client.get(reverse("wagtailadmin_choose_page_search") + "?q=side"))
    assert "Ny tittel i utkastet til A" in search
    assert "Publisert side B" in search and B_NEW_DRAFT_TITLE not in search
    chosen = client.get(f"{reverse('wagtailadmin_choose_page_chosen_multiple')}?id={page.pk}")
    assert chosen.status_code == 200
    assert [item["adminTitle"] for item in chosen.json()["result"]] == ["Ny tittel i utkastet til A"]
