"""The page tree: each page type lives where the editorial structure says, and nowhere else."""

import pytest
from django.core.management import call_command
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from kompetanse import communities
from kompetanse.communities import add_listings_after_migrate, ensure_community, listing_for
from kompetanse.models import (
    CommunityHomePage,
    CourseIndexPage,
    CoursePage,
    EventIndexPage,
    EventPage,
    FilmIndexPage,
    FilmPage,
    GoodExampleIndexPage,
    GoodExamplePage,
    InfoPage,
    KnowledgePage,
    NewsIndexPage,
    NewsPage,
    PodcastEpisodePage,
    PodcastIndexPage,
    PodcastPage,
    PortalHomePage,
    ProcedureIndexPage,
    ProcedurePage,
    RecommendationIndexPage,
    RecommendationPage,
    TopicIndexPage,
    TopicPage,
)
from tests.kompetanse.page_state import publication_state


class PageTreeRulesTest(WagtailPageTestCase):
    def test_portal_home_sits_at_the_root_only(self):
        self.assertAllowedParentPageTypes(PortalHomePage, {Page})

    def test_communities_sit_under_the_portal_home_only(self):
        self.assertAllowedParentPageTypes(CommunityHomePage, {PortalHomePage})

    def test_community_holds_its_eight_listings_and_the_central_one_info_pages_and_topics(self):
        self.assertAllowedSubpageTypes(
            CommunityHomePage,
            {
                ProcedureIndexPage,
                RecommendationIndexPage,
                GoodExampleIndexPage,
                NewsIndexPage,
                EventIndexPage,
                CourseIndexPage,
                FilmIndexPage,
                PodcastIndexPage,
                InfoPage,
                TopicIndexPage,
            },
        )
        self.assertAllowedParentPageTypes(InfoPage, {CommunityHomePage})
        self.assertAllowedSubpageTypes(InfoPage, set())
        self.assertAllowedParentPageTypes(TopicIndexPage, {CommunityHomePage})
        self.assertAllowedSubpageTypes(TopicIndexPage, {TopicPage})
        self.assertAllowedParentPageTypes(TopicPage, {TopicIndexPage})
        self.assertAllowedSubpageTypes(TopicPage, set())

    def test_each_content_type_lives_only_in_its_own_listing(self):
        self.assertAllowedParentPageTypes(ProcedurePage, {ProcedureIndexPage})
        self.assertAllowedParentPageTypes(RecommendationPage, {RecommendationIndexPage})
        self.assertAllowedParentPageTypes(GoodExamplePage, {GoodExampleIndexPage})
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})
        self.assertAllowedParentPageTypes(EventPage, {EventIndexPage})
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedParentPageTypes(FilmPage, {FilmIndexPage})
        self.assertAllowedParentPageTypes(PodcastPage, {PodcastIndexPage})

    def test_a_podcast_series_holds_its_episodes_and_nothing_else_does(self):
        self.assertAllowedParentPageTypes(PodcastEpisodePage, {PodcastPage})
        self.assertAllowedSubpageTypes(PodcastPage, {PodcastEpisodePage})
        self.assertAllowedSubpageTypes(PodcastIndexPage, {PodcastPage})

    def test_content_pages_have_no_children(self):
        for model in (
            ProcedurePage,
            RecommendationPage,
            GoodExamplePage,
            CoursePage,
            FilmPage,
            PodcastEpisodePage,
        ):
            self.assertAllowedSubpageTypes(model, set())

    def test_the_shared_base_is_never_created_on_its_own(self):
        self.assertFalse(KnowledgePage.is_creatable)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model, right_kind",
    [(ProcedurePage, "procedure"), (RecommendationPage, "recommendation"), (GoodExamplePage, "good_example")],
)
def test_content_type_can_be_created_under_its_listing_and_not_elsewhere(model, right_kind):
    community = ensure_community("oslo")
    for kind in ("procedure", "recommendation", "good_example"):
        listing = listing_for(community, kind)
        assert model.can_create_at(listing) is (kind == right_kind)
    assert not model.can_create_at(community)
    assert not model.can_create_at(PortalHomePage.objects.get())


@pytest.mark.django_db
def test_migrations_put_the_portal_home_at_the_default_site_root(client):
    portal = PortalHomePage.objects.get()
    assert portal.depth == 2
    assert portal.get_site().is_default_site
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_ensure_community_creates_home_and_listings_once():
    first = ensure_community("sentral")
    again = ensure_community("sentral")
    assert first.pk == again.pk
    assert first.title == "Felles innhold"
    assert [type(child.specific) for child in first.get_children()] == [
        ProcedureIndexPage,
        RecommendationIndexPage,
        GoodExampleIndexPage,
        NewsIndexPage,
        EventIndexPage,
        CourseIndexPage,
        FilmIndexPage,
        PodcastIndexPage,
        TopicIndexPage,  # the central section's only
    ]
    assert [type(child.specific) for child in ensure_community("oslo").get_children()][-1] is PodcastIndexPage
    assert CommunityHomePage.objects.filter(slug="sentral").count() == 1


@pytest.mark.django_db
def test_page_knows_its_community(oslo):
    from kompetanse.factories import ProcedurePageFactory

    page = ProcedurePageFactory(community="oslo")
    assert page.community.pk == oslo.pk
    assert page.content_kind == "procedure"
    assert KnowledgePage.objects.get(pk=page.pk).content_kind == "procedure"


@pytest.mark.django_db
def test_factories_put_a_page_in_the_community_they_are_given():
    from kompetanse.factories import GoodExamplePageFactory, RecommendationPageFactory

    assert RecommendationPageFactory(community="ahus").community.slug == "ahus"
    assert GoodExamplePageFactory().community.slug == "oslo"


@pytest.mark.django_db
def test_migrate_gives_an_existing_community_the_listings_of_new_content_types():
    """A portal from before news and events, and the learning resources, gets their listings at
    the next migrate."""
    oslo = ensure_community("oslo")
    for listing in oslo.get_children().type(
        NewsIndexPage, EventIndexPage, CourseIndexPage, FilmIndexPage, PodcastIndexPage
    ):
        listing.delete()
    call_command("migrate", verbosity=0)
    listings = {type(child.specific): child for child in oslo.get_children()}
    new = (CourseIndexPage, FilmIndexPage, PodcastIndexPage)
    assert listings[NewsIndexPage].live and listings[NewsIndexPage].slug == "nyheter"
    assert listings[EventIndexPage].live and listings[EventIndexPage].title == "Kurs og arrangementer"
    assert [(listings[model].title, listings[model].slug, listings[model].live) for model in new] == [
        ("E-læring", "e-laering", True),
        ("Filmer", "filmer", True),
        ("Podkaster", "podkaster", True),
    ]
    assert len(listings) == 8


@pytest.mark.django_db
def test_after_migrate_an_existing_central_section_gets_its_topic_index():
    central = ensure_community("sentral")
    TopicIndexPage.objects.child_of(central).get().delete()
    add_listings_after_migrate(sender=None)
    index = TopicIndexPage.objects.child_of(central).get()
    assert (index.title, index.slug, index.live) == ("Tema", "tema", True)
    assert not TopicIndexPage.objects.child_of(ensure_community("oslo")).exists()


def _as_wagtail_publishes(parent, page, user=None):
    """Wagtail's own way to a new live page: insert, save a revision, publish it."""
    parent.add_child(instance=page)
    page.save_revision(user=user).publish(user=user)
    return page


def _published_state(page):
    return {**publication_state(page), "type": type(page.specific), "numchild": page.numchild}


@pytest.mark.django_db
def test_a_new_community_is_built_in_one_save_per_page_as_wagtails_publish_would_leave_it(monkeypatch):
    """A community's home and listings go in live with one revision each (kompetanse.pagetree):
    the same pages, revisions and log entries as Wagtail's three saves, and a sound tree."""
    fast = ensure_community("oslo")
    slow_path = []
    monkeypatch.setattr(
        communities,
        "add_live_child",
        lambda *args, **kwargs: slow_path.append(_as_wagtail_publishes(*args, **kwargs)),
    )
    slow = ensure_community("ahus")
    assert len(slow_path) == 9  # the home and its eight listings went Wagtail's way
    fast_pages = [fast, *fast.get_children()]
    slow_pages = [slow, *slow.get_children()]
    assert len(fast_pages) == len(slow_pages) == 9
    assert [_published_state(page) for page in fast_pages] == [_published_state(page) for page in slow_pages]
    assert _published_state(fast)["log"] == ["wagtail.create", "wagtail.publish"]
    assert Page.find_problems() == ([], [], [], [], [])
