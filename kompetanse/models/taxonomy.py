"""The shared vocabulary: target groups, levels of care, topics, and content owners."""

from django.db import models
from django.utils.text import slugify
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class TargetGroup(models.Model):
    """The four priority groups of the health communities; a fixed list seeded by a migration."""

    name = models.CharField("navn", max_length=150, unique=True)
    slug = models.SlugField("kortnavn", max_length=80, unique=True)
    sort_order = models.PositiveSmallIntegerField("rekkefølge", default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "målgruppe"
        verbose_name_plural = "målgrupper"

    def __str__(self):
        return self.name


class Level(models.Model):
    """A level of the health service involved: kommune, spesialisthelsetjeneste, fastlege."""

    name = models.CharField("navn", max_length=100, unique=True)
    slug = models.SlugField("kortnavn", max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField("rekkefølge", default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "tjenestenivå"
        verbose_name_plural = "tjenestenivåer"

    def __str__(self):
        return self.name


class Topic(index.Indexed, models.Model):
    """A fagområde in the managed vocabulary that the central team owns."""

    name = models.CharField("navn", max_length=150, unique=True)
    slug = models.SlugField("kortnavn", max_length=80, unique=True, blank=True)
    description = models.TextField("beskrivelse", blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = "fagområde"
        verbose_name_plural = "fagområder"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:80]
        super().save(*args, **kwargs)


class ContentOwner(index.Indexed, models.Model):
    """The person or unit answerable for a page's content, with contact details.

    An owner belongs to one community, whose team manages it, or is shared by all communities
    (no community; the central team manages those). kompetanse.owners scopes the admin by this.
    """

    name = models.CharField("navn", max_length=200, help_text="Person eller enhet.")
    unit = models.CharField("enhet/organisasjon", max_length=200, blank=True)
    email = models.EmailField("e-post", blank=True)
    phone = models.CharField("telefon", max_length=40, blank=True)
    community = models.ForeignKey(
        "kompetanse.CommunityHomePage",
        verbose_name="helsefellesskap",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="content_owners",
        help_text="Helsefellesskapet som bruker og vedlikeholder denne innholdsansvarlige. "
        "Felles innholdsansvarlige kan velges av alle.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("unit"),
        FieldPanel("email"),
        FieldPanel("phone"),
        FieldPanel("community"),
    ]
    # The community as a filter field too: the owner chooser searches only the owners a team may
    # choose (kompetanse.owners.choosable_owners filters by community).
    search_fields = [
        index.SearchField("name"),
        index.SearchField("unit"),
        index.AutocompleteField("name"),
        index.FilterField("community"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = "innholdsansvarlig"
        verbose_name_plural = "innholdsansvarlige"

    def __str__(self):
        return f"{self.name} ({self.unit})" if self.unit else self.name

    @property
    def community_label(self):
        return self.community.title if self.community_id else "Felles"
