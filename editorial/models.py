"""The link between a community and the groups and collections that make up its editorial team."""

from django.contrib.auth.models import Group
from django.db import models
from wagtail.models import Collection


class CommunityTeam(models.Model):
    """A community's two groups (editors, publishers) and its own media collections.

    Created and kept up to date by ``editorial.communities.setup_community``; never edited by hand.
    """

    community = models.OneToOneField(
        "kompetanse.CommunityHomePage",
        verbose_name="helsefellesskap",
        on_delete=models.CASCADE,
        related_name="editorial_team",
    )
    editors_group = models.OneToOneField(
        Group, verbose_name="redaktører", on_delete=models.PROTECT, related_name="+"
    )
    publishers_group = models.OneToOneField(
        Group, verbose_name="ansvarlige redaktører", on_delete=models.PROTECT, related_name="+"
    )
    collection = models.ForeignKey(
        Collection, verbose_name="samling", on_delete=models.PROTECT, related_name="+"
    )
    image_collection = models.ForeignKey(
        Collection, verbose_name="bildesamling", on_delete=models.PROTECT, related_name="+"
    )
    document_collection = models.ForeignKey(
        Collection, verbose_name="dokumentsamling", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "redaksjon"
        verbose_name_plural = "redaksjoner"

    def __str__(self):
        return f"Redaksjonen for {self.community.title}"

    def group_for_role(self, role):
        return {"editor": self.editors_group, "publisher": self.publishers_group}[role]
