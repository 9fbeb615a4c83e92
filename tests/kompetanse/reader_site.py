"""A small portal for the reader-facing tests: every page type, with `n` items wherever a page
has a list (steps, attachments, references, responsibility rows, images, listed pages)."""

import copy

from django.utils import timezone
from wagtail.models import Page

from kompetanse.communities import ensure_community, listing_for
from kompetanse.factories import (
    GoodExamplePageFactory,
    ProcedurePageFactory,
    RecommendationPageFactory,
    TopicFactory,
)
from kompetanse.models import Topic
from kompetanse.packages.mapping import apply_data, content_model
from tests.kompetanse.sample_data import FULL_DATA, make_document, make_image

GROUPS = ["barn-og-unge", "psykisk-helse-og-rus", "skropelige-eldre", "flere-kroniske-lidelser"]


def content_page(kind, n, community="oslo", title=None):
    """A published page of `kind` with every field filled in and `n` items in each list."""
    Topic.objects.get_or_create(slug="legemidler", defaults={"name": "Legemidler"})
    data = copy.deepcopy(FULL_DATA[kind])
    data["title"] = title or data["title"]
    data["body"] = data["body"] + [
        ["paragraph", f"<p>Avsnitt {i} med utfyllende tekst om rutinen og samarbeidet.</p>"] for i in range(n)
    ]
    if kind == "procedure":
        data["steps"] = [
            {
                "title": f"Steg {i + 1}: kontroller og dokumenter",
                "text": f"<p>Utfør del {i + 1}.</p>",
                "warning": "",
            }
            for i in range(n)
        ]
        data["steps"][0]["warning"] = "Ikke gi legemidler før listen er avstemt."
        data["references"] = [
            {"title": f"Nasjonal faglig retningslinje {i}", "url": f"https://example.no/ref/{i}", "note": ""}
            for i in range(n)
        ]
        data["attachments"] = [
            {"document": make_document(f"Skjema {i}"), "title": f"Sjekkliste {i}"} for i in range(n)
        ]
    elif kind == "recommendation":
        parties = ["municipality", "hospital", "gp", "out_of_hours", "patient"]
        data["responsibilities"] = [
            {"party": parties[i % len(parties)], "party_label": f"enhet {i}", "tasks": f"<p>Oppgave {i}.</p>"}
            for i in range(n)
        ]
        data["parties"] = [{"name": f"Part {i}", "description": f"Rolle {i}"} for i in range(n)]
    else:
        body_image = make_image("Illustrasjon", "Standard alternativ tekst")
        data["body"].append(
            [
                "image",
                {"image": body_image.pk, "alt_text": "Teamet planlegger hjemmebesøket", "decorative": False},
            ]
        )
        data["images"] = [
            {"image": make_image(f"Bilde {i}", f"Alternativ tekst {i}"), "caption": f"Bilde {i}"}
            for i in range(n)
        ]
        data["result_figures"] = [{"value": f"{i} %", "label": f"Resultat {i}"} for i in range(n)]
        data["partners"] = [f"Partner {i}" for i in range(n)]
    page = content_model(kind)(slug=data["title"].lower().replace(" ", "-"))
    apply_data(page, kind, data)
    listing_for(ensure_community(community), kind).add_child(instance=page)
    page.save_revision().publish()
    return page


def build_reader_site(n, community="oslo", listed=("procedure", "recommendation", "good_example")):
    """A community with `n` pages in each listing of the kinds `listed` and a full page of each
    kind with `n` items, beside the central section."""
    name = community.replace("-", " ").title()
    oslo = ensure_community(
        community,
        f"Helsefellesskap {name}",
        intro=f"{name} kommune, sykehusene og fastlegene samarbeider om pasientforløpene.",
        members=f"{name} universitetssykehus\nLovisenberg Diakonale Sykehus\n{name} kommune",
        contact_email=f"post@helsefellesskap-{community}.example.no",
        contact_phone="22 00 00 00",
    )
    ensure_community("sentral")
    topics = [
        TopicFactory(name=name, slug=slug)
        for name, slug in (("Rehabilitering", "rehabilitering"), ("Ernæring", "ernaering"))
    ]
    # The factories' own `community` parameter does not reach their _create, so give the parent.
    parents = {kind: listing_for(oslo, kind) for kind in ("procedure", "recommendation", "good_example")}
    for i in range(n):
        groups = [GROUPS[i % 4]]
        topic = [topics[i % 2]]
        if "procedure" in listed:
            ProcedurePageFactory(
                title=f"Prosedyre nummer {i}", target_groups=groups, topics=topic, parent=parents["procedure"]
            )
        if "recommendation" in listed:
            RecommendationPageFactory(
                title=f"Anbefaling nummer {i}",
                target_groups=groups,
                topics=topic,
                parent=parents["recommendation"],
            )
        if "good_example" in listed:
            GoodExamplePageFactory(
                title=f"Eksempel nummer {i}", target_groups=groups, parent=parents["good_example"]
            )
    # Factory pages are live without a publication time; give them one, as publishing would
    # (PostgreSQL sorts a missing time first in «Nytt og endret», SQLite last).
    now = timezone.now()
    Page.objects.filter(live=True, last_published_at__isnull=True).update(
        first_published_at=now, last_published_at=now
    )
    pages = {
        "procedure": content_page("procedure", n, community, title="Legemiddelsamstemming ved innleggelse"),
        "recommendation": content_page(
            "recommendation", n, community, title="Utskrivning av skrøpelige eldre"
        ),
        "good_example": content_page("good_example", n, community, title="Hjemmebesøk etter utskrivning"),
    }
    urls = {
        "portal_home": "/",
        "community_home": oslo.url,
        "procedure_listing": listing_for(oslo, "procedure").url,
        "recommendation_listing": listing_for(oslo, "recommendation").url,
        "good_example_listing": listing_for(oslo, "good_example").url,
    }
    urls.update({kind: page.url for kind, page in pages.items()})
    return urls, pages
