"""Demo logins: one editor and one publisher per demo community (called by load_demo)."""

from django.contrib.contenttypes.models import ContentType
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, ReferenceIndex

from core.wagtail_internals import base_content_type
from editorial.communities import EDITOR, PUBLISHER, add_editor, setup_community

DEMO_PASSWORD = "kompetanse-demo"
DEMO_USERNAMES = {EDITOR: "redaktor-{slug}", PUBLISHER: "ansvarlig-{slug}"}


def setup_demo_teams(slugs, log=None):
    """Set up each community's team and its two demo users; safe to run again."""
    for slug in slugs:
        team = setup_community(slug)
        move_media_into_team_collections(team)
        for role, pattern in DEMO_USERNAMES.items():
            username = pattern.format(slug=slug)
            user, created = add_editor(
                username,
                slug,
                role,
                email=f"{username}@kompetanseportalen.example.no",
                password=DEMO_PASSWORD,
            )
            if created and log is not None:
                log(f"Demobruker opprettet: {username} / {DEMO_PASSWORD}")


def move_media_into_team_collections(team):
    """Demo media still in the root collection move to the collection of the community using them.

    Then each demo team finds its own images and documents in the library and the choosers.
    """
    page_ids = [
        str(pk)
        for pk in Page.objects.descendant_of(team.community, inclusive=True).values_list("pk", flat=True)
    ]
    references = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page), object_id__in=page_ids
    )
    root = Collection.get_first_root_node()
    for model, collection in (
        (get_image_model(), team.image_collection),
        (get_document_model(), team.document_collection),
    ):
        content_type = base_content_type(model)
        ids = [
            int(pk)
            for pk in references.filter(to_content_type=content_type).values_list("to_object_id", flat=True)
            if str(pk).isdigit()
        ]
        model.objects.filter(pk__in=ids, collection=root).update(collection=collection)
