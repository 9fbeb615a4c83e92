"""Film: a short instructional video, uploaded to the portal or embedded from YouTube or Vimeo.

Every film has captions (a WebVTT file) and a transcript (WCAG 1.2.2 and 1.2.1): the uploaded
video carries the captions as its track, and the transcript is on the page for everyone. An
embedded film asks nothing of YouTube or Vimeo until the reader chooses to see it
(templates/kompetanse/film_page.html, static/js/films.js). A film has an owner and a review date
(lifecycle.review.REVIEW_YEARS): what it shows goes out of date like a procedure.
"""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.search import index

from kompetanse.mediafiles import (
    DURATION_HELP,
    Recording,
    check_captions,
    check_document,
    check_video,
    document_field,
    mime_type,
    transcript_field,
    video_embed,
)
from kompetanse.models.base import KnowledgePage


class FilmPage(Recording, KnowledgePage):
    video_file = document_field(
        "videofil",
        "En MP4- eller WebM-fil lastet opp som dokument. Eller: lim inn en adresse under.",
        required=False,
    )
    embed_url = models.URLField(
        "adresse på YouTube eller Vimeo",
        max_length=500,
        blank=True,
        help_text="For eksempel https://www.youtube.com/watch?v=… Leserne ser videoen først når de "
        "selv velger det; før det hentes ingenting fra YouTube eller Vimeo.",
    )
    captions = document_field(
        "teksting (WebVTT)", "En .vtt-fil med norsk teksting. Filen må begynne med «WEBVTT»."
    )
    transcript = transcript_field(
        "Alt som sies og vises i filmen, som tekst (for dem som ikke kan se eller høre den)."
    )
    duration = models.DurationField("varighet", help_text=DURATION_HELP)

    content_kind = "film"
    is_creatable = True
    parent_page_types = ["kompetanse.FilmIndexPage"]
    subpage_types = []

    content_panels = KnowledgePage.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("embed_url"), FieldPanel("video_file"), FieldPanel("duration")],
            heading="Videoen",
        ),
        MultiFieldPanel(
            [FieldPanel("captions"), FieldPanel("transcript")], heading="Teksting og transkripsjon"
        ),
        FieldPanel("body"),
        *KnowledgePage.review_panels,
        *KnowledgePage.taxonomy_panels,
        *KnowledgePage.extension_panels,
    ]

    search_fields = KnowledgePage.search_fields + [index.SearchField("transcript")]
    api_fields = KnowledgePage.api_fields + [
        APIField("embed_url"),
        APIField("video_file"),
        APIField("captions"),
        APIField("transcript"),
        APIField("duration"),
    ]

    class Meta:
        verbose_name = "film"
        verbose_name_plural = "filmer"

    def clean(self):
        super().clean()
        errors = {}
        if self.video_file and self.embed_url:
            errors["embed_url"] = [
                "Velg enten en opplastet videofil eller en adresse på YouTube/Vimeo, ikke begge."
            ]
        elif not self.video_file and not self.embed_url:
            errors["embed_url"] = [
                "Lim inn adressen til videoen på YouTube eller Vimeo, eller velg en videofil."
            ]
        elif self.embed_url:
            check_document(errors, "embed_url", self.embed_url, video_embed)
        check_document(errors, "video_file", self.video_file, check_video)
        if self.captions is None:
            errors["captions"] = ["Velg en tekstingsfil (WebVTT). Filmer må ha teksting."]
        check_document(errors, "captions", self.captions, check_captions)
        if errors:
            raise ValidationError(errors)

    @property
    def embed(self):
        """(provider, player address) of an embedded film, or None."""
        if not self.embed_url:
            return None
        try:
            return video_embed(self.embed_url)
        except ValidationError:
            return None

    @property
    def video_type(self):
        return mime_type(self.video_file) if self.video_file else ""
