"""A small portal with three editorial teams, built once per test module.

Communities: A = «oslo», B = «ahus», S = «sentral». Each has a published page, a draft, a page
waiting for approval (submitted by the community's editor), a private published page, an image
and a document in its own collections, and a reader's error report and a subscription on its
published page. «Felles bilder» holds one shared image.

The world is built inside a transaction that is rolled back when the module ends; every test runs
inside its own savepoint (pytest-django's ``db``), so tests may change the world freely.
"""

import io
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

from editorial.communities import EDITOR, PUBLISHER, add_editor, setup_community, shared_images_collection
from kompetanse.communities import listing_for
from kompetanse.factories import ContentOwnerFactory
from kompetanse.models import ProcedurePage
from lifecycle.models import ErrorReport, Subscription

COMMUNITIES = {"A": "oslo", "B": "ahus", "S": "sentral"}
ROLES = {
    # role name in the tests: (community letter, team role), or None for users outside every team
    "editor_a": ("A", EDITOR),
    "publisher_a": ("A", PUBLISHER),
    "editor_s": ("S", EDITOR),
    "publisher_s": ("S", PUBLISHER),
    "no_team": None,
    "anonymous": None,
    "editor_b": ("B", EDITOR),  # submits B's page for approval; not a column of the matrix
}
PASSWORD = "test-passord-123"


def png_bytes(color="white"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (24, 16), color).save(buffer, format="PNG")
    return buffer.getvalue()


def png_upload(name="bilde.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


@dataclass
class Community:
    letter: str
    team: object
    home: object
    listing: object
    live: object
    draft: object
    in_review: object
    private: object
    image: object
    document: object
    report: object
    subscription: object

    @property
    def slug(self):
        return self.home.slug


@dataclass
class World:
    communities: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    shared_image: object = None
    owner: object = None

    def __getitem__(self, letter):
        return self.communities[letter]

    def user(self, role):
        return self.users.get(role)


def _procedure(listing, title, slug, owner, *, publish):
    page = ProcedurePage(
        title=title, slug=slug, summary=f"Sammendrag for {title}.", content_owner=owner, live=False
    )
    listing.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return ProcedurePage.objects.get(pk=page.pk)


def build_world():
    world = World(owner=ContentOwnerFactory(name="Fagansvarlig"))
    User = get_user_model()
    for role, membership in ROLES.items():
        if role == "anonymous":
            continue
        if membership is None:
            world.users[role] = User.objects.create_user(role, f"{role}@example.no", PASSWORD)
    Image = get_image_model()
    Document = get_document_model()
    teams = {letter: setup_community(slug) for letter, slug in COMMUNITIES.items()}
    for role, membership in ROLES.items():
        if membership:
            letter, team_role = membership
            user, _ = add_editor(
                role, COMMUNITIES[letter], team_role, email=f"{role}@example.no", password=PASSWORD
            )
            world.users[role] = user
    for letter, slug in COMMUNITIES.items():
        team = teams[letter]
        listing = listing_for(team.community, "procedure")
        owner = world.owner
        live = _procedure(listing, f"Publisert side {letter}", f"publisert-{slug}", owner, publish=True)
        draft = _procedure(listing, f"Utkast {letter}", f"utkast-{slug}", owner, publish=False)
        in_review = _procedure(
            listing, f"Til godkjenning {letter}", f"til-godkjenning-{slug}", owner, publish=False
        )
        editor = next(world.users[r] for r, m in ROLES.items() if m == (letter, EDITOR))
        team.community.get_workflow().start(in_review, editor)
        private = _procedure(listing, f"Privat side {letter}", f"privat-{slug}", owner, publish=True)
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
        image = Image.objects.create(
            title=f"Bilde {letter}",
            collection=team.image_collection,
            file=ImageFile(io.BytesIO(png_bytes()), name=f"bilde-{slug}.png"),
        )
        document = Document(title=f"Dokument {letter}", collection=team.document_collection)
        document.file.save(f"dokument-{slug}.txt", ContentFile(b"Vedlegg"), save=False)
        document.save()
        report = ErrorReport.objects.create(
            page=live,
            message=f"Melding om {letter}: dosen stemmer ikke",
            email=f"leser-{slug}@example.no",
            internal_note=f"Intern merknad {letter}",
        )
        subscription = Subscription.objects.create(page=live, email=f"abonnent-{slug}@example.no")
        world.communities[letter] = Community(
            letter,
            team,
            team.community,
            listing,
            live,
            draft,
            in_review,
            private,
            image,
            document,
            report,
            subscription,
        )
    shared = Image.objects.create(
        title="Felles bilde",
        collection=shared_images_collection(),
        file=ImageFile(io.BytesIO(png_bytes("blue")), name="felles.png"),
    )
    world.shared_image = shared
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)


@pytest.fixture
def login(client, world, db):
    """``login(role)`` returns the test client logged in as that role (anonymous: logged out)."""

    def _login(role):
        client.logout()
        user = world.user(role)
        if user is not None:
            client.force_login(user)
        return client

    return _login
