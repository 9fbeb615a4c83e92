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
