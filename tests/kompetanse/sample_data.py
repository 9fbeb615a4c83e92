"""Fully filled-in content for each page type: every field carries a value a test can look for."""

import datetime

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from demo.media import illustration_png, image_file, text_pdf
from kompetanse.communities import ensure_community, listing_for
from kompetanse.packages.mapping import apply_data, content_model

COMMON = {
    "summary": "Sammendrag-ABC om samarbeid.",
    "target_groups": ["skropelige-eldre", "flere-kroniske-lidelser"],
    "topics": ["legemidler"],
    "levels": ["kommune", "fastlege"],
    "body": [
        ["heading", {"text": "Bakgrunnsoverskrift-ABC", "level": "h2"}],
        ["paragraph", "<p>Brødtekst-ABC med <strong>utheving</strong>.</p>"],
        ["notice", {"kind": "warning", "text": "<p>Merknad-ABC</p>"}],
    ],
    "last_reviewed": "2026-01-15",
    "next_review": "2027-01-15",
}
REVIEW = {
    "owner": {"name": "Eier-ABC", "unit": "Enhet-ABC", "email": "eier@example.no", "phone": "22 11 22 11"},
    "approved_by": "Godkjenner-ABC",
    "version": "3.2",
    "valid_from": "2026-01-20",
}
PROCEDURE = {
    **COMMON,
    **REVIEW,
    "title": "Prosedyre-ABC",
    "purpose": "<p>Formål-ABC</p>",
    "scope": "<p>Omfang-ABC</p>",
    "responsibility": "<p>Ansvar-ABC</p>",
    "steps": [
        {"title": "Steg-en-ABC", "text": "<p>Stegtekst-en-ABC</p>", "warning": "Advarsel-ABC"},
        {"title": "Steg-to-ABC", "text": "<p>Stegtekst-to-ABC</p>", "warning": ""},
    ],
    "references": [{"title": "Referanse-ABC", "url": "https://example.no/ref", "note": "Refmerknad-ABC"}],
}
RECOMMENDATION = {
    **COMMON,
    **REVIEW,
    "title": "Anbefaling-ABC",
    "situation": "<p>Situasjon-ABC</p>",
    "parties": [{"name": "Part-ABC", "description": "Rolle-ABC"}],
    "responsibilities": [
        {
            "party": "municipality",
            "party_label": "hjemmesykepleien",
            "tasks": "<ul><li>Oppgave-kommune-ABC</li></ul>",
        },
        {"party": "gp", "party_label": "", "tasks": "<p>Oppgave-fastlege-ABC</p>"},
    ],
    "agreement_type": "service_agreement",
    "agreement_name": "Avtale-ABC",
    "agreement_url": "https://example.no/avtale",
}
GOOD_EXAMPLE = {
    **COMMON,
    "title": "Eksempel-ABC",
    "problem": "<p>Utfordring-ABC</p>",
    "what_was_done": "<p>Tiltak-ABC</p>",
    "results": "<p>Resultat-ABC</p>",
    "result_figures": [{"value": "38 %", "label": "Tall-ABC"}],
    "partners": ["Partner-en-ABC", "Partner-to-ABC"],
    "period_start": "2024-03-01",
    "period_end": "2025-06-30",
    "contact": {
        "name": "Kontakt-ABC",
        "role": "Rolle-kontakt-ABC",
        "email": "kontakt@example.no",
        "phone": "23 45 67 89",
    },
    "transferability": "<p>Overføring-ABC</p>",
}
FULL_DATA = {"procedure": PROCEDURE, "recommendation": RECOMMENDATION, "good_example": GOOD_EXAMPLE}


def make_document(title="Vedlegg-ABC"):
    document = get_document_model()(title=title)
    document.file.save("vedlegg.pdf", ContentFile(text_pdf(title, "Innhold")), save=False)
    document.save()
    return document


def make_image(title="Bilde-ABC", alt="Alternativ tekst-ABC"):
    png = illustration_png("home", title, size=(320, 200))
    return get_image_model().objects.create(title=title, description=alt, file=image_file(png, "bilde.png"))


def create_full_page(kind, community="oslo", **overrides):
    """A published page of `kind` with every field filled in, attachments and images included."""
    from kompetanse.models import Topic

    Topic.objects.get_or_create(slug="legemidler", defaults={"name": "Legemidler"})
    data = {**FULL_DATA[kind], **overrides}
    if kind == "procedure":
        data["attachments"] = [{"document": make_document(), "title": "Vedleggstittel-ABC"}]
    if kind == "good_example":
        data["images"] = [{"image": make_image(), "caption": "Bildetekst-ABC"}]
    page = content_model(kind)(slug=data["title"].lower())
    apply_data(page, kind, data)
    listing_for(ensure_community(community), kind).add_child(instance=page)
    page.save_revision().publish()
    return page


TODAY = datetime.date.today()
