"""The full-page cache for anonymous readers (core/pagecache.py): served from the cache, never stale.

Each staleness test caches a page (the second request is a hit), makes one kind of change, and
checks that the next request shows it.
"""

import re
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from core import pagecache
from kompetanse import registry
from kompetanse.communities import ensure_community, listing_for
from kompetanse.factories import ContentOwnerFactory, ProcedurePageFactory, TopicFactory
from lifecycle.models import ErrorReport, Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def page():
    owner = ContentOwnerFactory(name="Kari Fagansvarlig")
    topic = TopicFactory(name="Legemiddelhåndtering", slug="legemiddelhandtering")
    return ProcedurePageFactory(
        community="oslo", title="Legemiddelsamstemming ved utskrivning", content_owner=owner, topics=[topic]
    )


@pytest.fixture
def listing(page):
    return listing_for(ensure_community("oslo"), "procedure")


def cached(client, url):
    """Ask twice: the second answer must come from the cache. Returns its text."""
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Cache"] == "hit", f"{url} was not served from the cache"
    return response.content.decode()


def fresh(client, url, status=200):
    """The next answer after a change: rendered anew (a miss) and returned as text."""
    response = client.get(url)
    assert response.status_code == status
    if status == 200:
        assert response["X-Cache"] == "miss"
    return response.content.decode()


# ------------------------------------------------------------------------------ what is cached


def test_second_anonymous_request_is_a_hit_with_the_same_page(client, page):
    first = client.get(page.url)
    assert first["X-Cache"] == "miss"
    second = client.get(page.url)
    assert second["X-Cache"] == "hit"
    assert "Legemiddelsamstemming ved utskrivning" in second.content.decode()
    # The headers the reader's browser depends on are the page's own, and the security headers
    # are added to the cached answer as to any other.
    assert second["Content-Type"] == first["Content-Type"]
    assert "public" in second["Cache-Control"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert client.head(page.url)["X-Cache"] == "hit"


def test_listing_with_its_filters_is_cached_per_address(client, listing, page):
    assert page.title in cached(client, listing.url)
    filtered = listing.url + "?sortering=tittel"
    assert client.get(filtered)["X-Cache"] == "miss"
    assert client.get(filtered)["X-Cache"] == "hit"


def test_a_reader_with_unrelated_cookies_shares_the_cached_page(client, page):
    cached(client, page.url)
    client.cookies["csrftoken"] = "a" * 32
    client.cookies["_analytics"] = "x"
    assert client.get(page.url)["X-Cache"] == "hit"


def test_logged_in_editor_is_never_served_from_the_cache_nor_stored(client, page):
    cached(client, page.url)
    editor = get_user_model().objects.create_superuser("redaktor", "redaktor@example.no", "pw")
    client.force_login(editor)
    response = client.get(page.url)
    assert "X-Cache" not in response  # a session cookie: the cache is not even asked
    assert "private" in response["Cache-Control"]
    client.logout()
    client.cookies.clear()
    # What the editor was shown was not stored for the readers either.
    assert client.get(page.url)["X-Cache"] == "hit"


def test_a_post_is_not_cached(client, page):
    # (The search page is kept while its index is: tests/search/test_search_page_cache.py.)
    assert "X-Cache" not in client.post(page.url, {"melding": "x"})


def test_a_page_with_a_csrf_token_is_not_stored(client, page):
    # A password-protected page answers with Wagtail's password form, which carries a CSRF token.
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="hemmelig"
    )
    response = client.get(page.url)
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert response["X-Cache"] == "skip"
    assert client.get(page.url)["X-Cache"] == "skip"


def test_turned_off_with_zero_seconds(client, page, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(page.url)
    assert "X-Cache" not in client.get(page.url)


# ---------------------------------------------------------------------------- never stale


def test_publishing_a_change_shows_on_the_page_and_its_listing(client, page, listing):
    cached(client, page.url)
    cached(client, listing.url)
    page.title = "Legemiddelsamstemming ved innleggelse og utskrivning"
    page.save_revision().publish()
    assert "ved innleggelse og utskrivning" in fresh(client, page.url)
    assert "ved innleggelse og utskrivning" in fresh(client, listing.url)


def test_unpublishing_removes_the_page_and_its_listing_entry(client, page, listing):
    url = page.url
    cached(client, url)
    assert page.title in cached(client, listing.url)
    page.unpublish()
    fresh(client, url, status=404)
    assert page.title not in fresh(client, listing.url)


def test_moving_a_page_changes_both_listings(client, page, listing):
    old_url = page.url
    other = listing_for(ensure_community("ahus", "Ahus helsefellesskap"), "procedure")
    cached(client, old_url)
    cached(client, listing.url)
    assert page.title not in cached(client, other.url)
    page.move(other, pos="last-child")
    page.refresh_from_db()
    # Wagtail leaves a redirect from the old address (wagtail.contrib.redirects).
    moved = client.get(old_url)
    assert moved.status_code == 301 and moved["Location"] == page.url
    assert page.title not in fresh(client, listing.url)
    assert page.title in fresh(client, other.url)
    assert page.title in fresh(client, page.url)


def test_deleting_a_page_removes_it(client, page, listing):
    url = page.url
    cached(client, url)
    cached(client, listing.url)
    page.delete()
    fresh(client, url, status=404)
    assert "Legemiddelsamstemming ved utskrivning" not in fresh(client, listing.url)


def test_editing_a_content_owner_snippet_shows_on_the_page(client, page):
    assert "Kari Fagansvarlig" in cached(client, page.url)
    owner = page.content_owner
    owner.name = "Ola Fagansvarlig"
    owner.save()
    html = fresh(client, page.url)
    assert "Ola Fagansvarlig" in html and "Kari Fagansvarlig" not in html


def test_renaming_a_topic_in_the_shared_vocabulary_shows_on_the_page(client, page):
    assert "Legemiddelhåndtering" in cached(client, page.url)
    topic = page.topics.get()
    topic.name = "Legemidler og samstemming"
    topic.save()
    html = fresh(client, page.url)
    assert "Legemidler og samstemming" in html and "Legemiddelhåndtering" not in html


def test_a_search_promotion_retires_the_cached_pages_and_shows_in_search(client, page):
    cached(client, page.url)
    SearchPromotion.objects.create(query=Query.get("kols"), page=page, sort_order=0, description="")
    fresh(client, page.url)
    search = client.get(reverse("search") + "?q=kols").content.decode()
    assert 'class="search-promoted"' in search and page.title in search


def test_a_communitys_settings_show_on_its_pages(client, page):
    assert "Helsefellesskap Oslo" in cached(client, page.url)
    home = ensure_community("oslo")
    home.title = "Helsefellesskapet i Oslo"
    home.short_name = ""
    home.save_revision().publish()
    html = fresh(client, page.url)
    assert "Helsefellesskapet i Oslo" in html


def test_an_import_retires_the_pages_once(client, page):
    cached(client, page.url)
    with registry.bulk_writes():
        for n in range(3):
            ContentOwnerFactory(name=f"Eier {n}")
        token = pagecache.content_version()
    # Inside the block nothing was written yet; at its end, once.
    assert pagecache.content_version() != token
    fresh(client, page.url)


# ------------------------------------------------------------------- forms on a cached page

TOKEN = re.compile(r'name="skjema" value="([^"]+)"')


def test_two_readers_send_error_reports_from_the_same_cached_page(client, page, settings):
    settings.PUBLIC_FORM_MIN_SECONDS = 0
    first_html = cached(client, page.url)
    second_html = client.get(page.url)
    assert second_html["X-Cache"] == "hit"
    tokens = [TOKEN.search(html).group(1) for html in (first_html, second_html.content.decode())]
    assert tokens[0] != tokens[1]  # each reader of the cached page got a token of their own
    action = reverse("lifecycle:report", args=[page.pk])
    for n, token in enumerate(tokens):
        response = client.post(
            action,
            {"melding": f"Steg {n} mangler dose.", "epost": "", "nettsted": "", "skjema": token},
            REMOTE_ADDR=f"10.0.0.{n + 1}",
        )
        assert response.status_code == 302
        assert response.url == page.url + "?tilbakemelding=takk#meld-fra"
    assert sorted(ErrorReport.objects.values_list("message", flat=True)) == [
        "Steg 0 mangler dose.",
        "Steg 1 mangler dose.",
    ]
    assert "Takk! Tilbakemeldingen er sendt" in client.get(response.url).content.decode()


def test_a_reader_follows_a_page_from_the_cached_copy(client, page, settings):
    settings.PUBLIC_FORM_MIN_SECONDS = 0
    html = cached(client, page.url)
    token = TOKEN.findall(html)[-1]  # the follow form's
    response = client.post(
        reverse("lifecycle:subscribe", args=[page.pk]),
        {"epost": "leser@example.no", "omfang": "side", "nettsted": "", "skjema": token},
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 200
    assert Subscription.objects.filter(email="leser@example.no", page=page).exists()
    # The reader's own posting changed nothing readers see: the page is still cached.
    assert client.get(page.url)["X-Cache"] == "hit"


def test_the_listing_across_communities_is_kept_until_a_publish(client, page):
    url = reverse("browse_all", args=["prosedyrer"])
    assert page.title in cached(client, url)
    assert "public" in client.get(url)["Cache-Control"]
    ProcedurePageFactory(community="ahus", title="Trykksårforebygging i sykehjem")
    html = fresh(client, url)
    assert "Trykksårforebygging i sykehjem" in html and page.title in html


# ------------------------------------------------------------------- many readers after a change


def at_once(readers, read):
    """``read()`` in ``readers`` threads that start together; their answers, in any order."""
    from django.test import Client

    ready = threading.Barrier(readers)
    answers = []

    def one():
        client = Client()
        ready.wait()
        answers.append(read(client))

    threads = [threading.Thread(target=one) for _ in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return answers


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_readers_asking_at_once_after_a_change_share_one_rendering(client, page):
    """Right after a publish every kept page is retired; readers who ask for the same page at
    the same moment get one rendering of it: one miss, the others the copy it left."""
    cached(client, page.url)
    page.title = "Legemiddelsamstemming ved innleggelse"
    page.save_revision().publish()

    def read(reader):
        response = reader.get(page.url)
        return response.status_code, response["X-Cache"], page.title in response.content.decode()

    readers = 6
    assert sorted(at_once(readers, read)) == [(200, "hit", True)] * (readers - 1) + [(200, "miss", True)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_readers_of_a_page_that_cannot_be_kept_do_not_wait_for_each_other(client, page):
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="hemmelig"
    )
    assert client.get(page.url)["X-Cache"] == "skip"

    def read(reader):
        started = time.monotonic()
        response = reader.get(page.url)
        form = 'name="password"' in response.content.decode()
        return response["X-Cache"], form, time.monotonic() - started

    took = at_once(4, read)
    assert [(cache, form) for cache, form, _ in took] == [("skip", True)] * 4
    # Nobody waited out the wait for a copy that never comes: the mark of a page being rendered
    # is taken away when its rendering ends, kept or not.
    assert max(seconds for _, _, seconds in took) < pagecache.WAIT_SECONDS
