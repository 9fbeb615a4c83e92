"""load_demo builds a portal a newcomer can explore, and running it again changes nothing."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from kompetanse.models import (
    CommunityHomePage,
    GoodExamplePage,
    KnowledgePage,
    ProcedurePage,
    RecommendationPage,
    TargetGroup,
)


def snapshot():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
        "users": get_user_model().objects.count(),
        "latest_revision": Revision.objects.order_by("-pk").values_list("pk", flat=True).first(),
        "last_published": sorted(Page.objects.values_list("pk", "last_published_at")),
    }


class DemoPortalTest(TestCase):
    """The demo is loaded once for the class; each test runs in its own transaction."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", verbosity=0)

    def test_demo_has_the_central_section_and_three_local_communities(self):
        slugs = set(CommunityHomePage.objects.live().values_list("slug", flat=True))
        assert {"sentral", "oslo", "ahus", "vestre-viken"} <= slugs
        assert CommunityHomePage.objects.get(slug="sentral").title == "Felles innhold"

    def test_demo_has_at_least_forty_published_pages_of_all_three_types(self):
        assert KnowledgePage.objects.live().count() >= 40
        for community in CommunityHomePage.objects.all():
            pages = KnowledgePage.objects.live().descendant_of(community)
            for model in (ProcedurePage, RecommendationPage, GoodExamplePage):
                assert pages.type(model).exists(), f"{community.slug} mangler {model.__name__}"

    def test_every_target_group_has_demo_content(self):
        for group in TargetGroup.objects.all():
            assert KnowledgePage.objects.live().filter(target_groups=group).count() >= 3, group.name

    def test_demo_pages_fill_in_their_structured_fields(self):
        for page in ProcedurePage.objects.live():
            assert page.summary and page.steps and page.content_owner and page.next_review, page.title
        for page in RecommendationPage.objects.live():
            assert page.responsibilities and page.parties.exists() and page.agreement_name, page.title
        for page in GoodExamplePage.objects.live():
            assert page.problem and page.results and page.contact_name, page.title
            assert page.gallery_images.exists(), page.title
        assert ProcedurePage.objects.exclude(attachments=[]).exists()

    def test_demo_images_have_alt_text_and_real_files(self):
        for image in get_image_model().objects.all():
            assert image.description
            assert image.width > 0 and image.height > 0

    def test_every_demo_page_renders(self):
        for page in KnowledgePage.objects.live().specific():
            response = self.client.get(page.url)
            assert response.status_code == 200, page.url

    def test_demo_admin_can_log_in(self):
        assert self.client.login(username="admin", password="kompetanse-demo")
        assert self.client.get("/admin/").status_code == 200

    def test_running_load_demo_twice_changes_nothing(self):
        before = snapshot()
        call_command("load_demo", verbosity=0)
        assert snapshot() == before
