"""load_demo builds a portal a newcomer can explore: every community with its content, editor and
publisher logins (README: Demo-brukere), the lifecycle on show; running it again changes nothing.

The demo is loaded once for the whole module (it is the slowest thing the suite builds).
"""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from demo.communities import COMMUNITIES
from editorial.demo import DEMO_PASSWORD
from editorial.models import CommunityTeam
from kompetanse.mediafiles import check_audio, check_captions, check_video
from kompetanse.models import (
    CommunityHomePage,
    CoursePage,
    EventPage,
    FilmPage,
    GoodExamplePage,
    KnowledgePage,
    NewsPage,
    PodcastEpisodePage,
    PodcastPage,
    ProcedurePage,
    RecommendationPage,
    TargetGroup,
    TopicIntroduction,
    TopicPage,
)
from lifecycle.models import ErrorReport, PublishedVersion
from lifecycle.review import review_list, today
from newsletter.models import Issue, IssueItem, Subscriber


def snapshot():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
        "users": get_user_model().objects.count(),
        "latest_revision": Revision.objects.order_by("-pk").values_list("pk", flat=True).first(),
        "last_published": sorted(Page.objects.values_list("pk", "last_published_at")),
        "published_versions": PublishedVersion.objects.count(),
        "newsletter": (Issue.objects.count(), IssueItem.objects.count(), Subscriber.objects.count()),
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

    def test_every_community_has_news_and_events_some_of_them_past_whenever_it_is_loaded(self):
        """The demo's times are relative to the day it is loaded (docs/content-package.md)."""
        now = timezone.now()
        assert NewsPage.objects.live().count() >= 10
        assert EventPage.objects.live().count() >= 8
        assert EventPage.objects.live().filter(end__lt=now).count() >= 2
        for community in CommunityHomePage.objects.live():
            pages = KnowledgePage.objects.live().descendant_of(community)
            assert pages.type(NewsPage).exists(), f"{community.slug} mangler nyheter"
            assert EventPage.objects.live().descendant_of(community).filter(end__gte=now).exists(), (
                community.slug
            )
        for news in NewsPage.objects.live():
            assert news.date <= today(), news.title
            assert news.next_review is None, news.title
            if news.lead_image:
                assert news.lead_image_alt_text, news.title

    def test_the_demo_has_courses_films_with_captions_and_a_podcast_mostly_shared(self):
        central = CommunityHomePage.objects.get(slug="sentral")
        courses, films = CoursePage.objects.live(), FilmPage.objects.live()
        episodes = PodcastEpisodePage.objects.live()
        assert courses.count() >= 6 and films.count() >= 4 and episodes.count() >= 3
        for pages in (courses, films, episodes):
            assert pages.descendant_of(central).count() > pages.count() / 2
        assert courses.not_descendant_of(central).exists() and films.not_descendant_of(central).exists()
        for course in courses:
            assert course.content_owner and course.next_review and course.course_url.startswith("https://")
        for film in films:
            check_captions(film.captions)
            assert film.transcript and film.content_owner and film.next_review, film.title
            assert bool(film.embed) != bool(film.video_file), film.title  # embedded or uploaded
        # One film is uploaded (demo/content/make_demo_film.py): it plays in the page, with its captions.
        uploaded = films.get(video_file__isnull=False)
        check_video(uploaded.video_file)
        assert self.client.get(uploaded.video_file.url)["Content-Type"] == "video/webm"
        html = self.client.get(uploaded.url).content.decode()
        assert f'<source src="{uploaded.video_file.url}" type="video/webm">' in html
        assert (
            f'<track kind="captions" srclang="nb" label="Norsk" src="{uploaded.captions.url}" default>'
            in html
        )
        series = PodcastPage.objects.live().get()
        assert list(series.episodes()) == list(episodes.order_by("-date"))
        for episode in episodes:
            check_audio(episode.audio)
            assert episode.transcript and episode.next_review is None, episode.title
            assert self.client.get(episode.audio.url).status_code == 200

    def test_demo_has_topic_pages_with_chosen_key_pages_contacts_and_local_introductions(self):
        pages = TopicPage.objects.live()
        assert pages.count() >= 6
        assert pages.filter(key_page_links__isnull=False).distinct().count() >= 3
        assert pages.filter(key_page_links__isnull=True).exists()  # and some found automatically
        for page in pages:
            assert page.body and page.contacts and page.topic.pages.exclude(pk=page.pk).exists(), page.title
        for slug in ("oslo", "ahus", "vestre-viken"):
            assert TopicIntroduction.objects.filter(community__slug=slug).count() >= 2, slug

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

    def test_every_community_has_an_editor_and_a_publisher_login(self):
        for data in COMMUNITIES:
            home = CommunityHomePage.objects.get(slug=data["slug"])
            for username in (f"redaktor-{home.slug}", f"ansvarlig-{home.slug}"):
                self.client.logout()
                assert self.client.login(username=username, password=DEMO_PASSWORD), username
                response = self.client.get(reverse("wagtailadmin_explore_root"))
                assert response.status_code == 302
                assert response["Location"] == reverse("wagtailadmin_explore", args=[home.pk]), username
                assert self.client.get(response["Location"]).status_code == 200
            publisher = get_user_model().objects.get(username=f"ansvarlig-{home.slug}")
            editor = get_user_model().objects.get(username=f"redaktor-{home.slug}")
            assert home.permissions_for_user(publisher).can_publish_subpage()
            assert not home.permissions_for_user(editor).can_publish_subpage()

    def test_demo_media_sit_in_the_collections_of_the_communities_that_use_them(self):
        team = CommunityTeam.objects.get(community__slug="oslo")
        oslo_images = get_image_model().objects.filter(collection=team.image_collection)
        assert oslo_images.exists()
        self.client.login(username="redaktor-oslo", password=DEMO_PASSWORD)
        chooser = self.client.get(reverse("wagtailimages_chooser:choose")).json()["html"]
        assert oslo_images.first().title in chooser

    def test_demo_content_shows_the_lifecycle(self):
        overdue = KnowledgePage.objects.live().filter(next_review__lt=today())
        assert overdue.exists()
        assert "Revisjonsdatoen er passert" in self.client.get(overdue.first().url).content.decode()

        page = KnowledgePage.objects.get(slug="forebygging-av-fall-hos-hjemmeboende-eldre")
        changelog = self.client.get(reverse("lifecycle:changelog", args=[page.pk])).content.decode()
        assert "Presisert at tiltakene skal ha dokumentert effekt." in changelog
        diff = self.client.get(reverse("lifecycle:diff", args=[page.pk])).content.decode()
        assert "<ins>" in diff and "<del>" in diff

        admin = get_user_model().objects.get(username="admin")
        reported = ErrorReport.objects.get().page_id
        assert reported in {p.pk for p in review_list(admin)}

    def test_every_community_has_a_newsletter_issue_to_review(self):
        issues = {issue.community.slug: issue for issue in Issue.objects.select_related("community")}
        assert {"sentral", "oslo", "ahus", "vestre-viken"} <= set(issues)
        assert all(issue.status == Issue.Status.DRAFT and issue.items.exists() for issue in issues.values())
        self.client.force_login(get_user_model().objects.get(username="redaktor-oslo"))
        listing = self.client.get(reverse("newsletter_admin:index")).content.decode()
        assert reverse("newsletter_admin:edit", args=[issues["oslo"].pk]) in listing
        assert reverse("newsletter_admin:edit", args=[issues["ahus"].pk]) not in listing

    def test_running_load_demo_twice_changes_nothing(self):
        before = snapshot()
        call_command("load_demo", verbosity=0)
        assert snapshot() == before
