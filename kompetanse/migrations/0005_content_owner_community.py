"""Content owners belong to a community or are shared (issue #17, item 8).

An existing owner whose pages all lie in one local community becomes that community's; every other
owner (unused, used by the central team, or by several communities) stays shared.
"""

import django.db.models.deletion
from django.db import migrations, models

# Root (1) → portal home (2) → community home (3); treebeard's steps are four characters.
COMMUNITY_PATH_LENGTH = 12
CENTRAL_SLUG = "sentral"


def owners_to_their_community(apps, schema_editor):
    ContentOwner = apps.get_model("kompetanse", "ContentOwner")
    KnowledgePage = apps.get_model("kompetanse", "KnowledgePage")
    CommunityHomePage = apps.get_model("kompetanse", "CommunityHomePage")
    homes = {home.path: home for home in CommunityHomePage.objects.exclude(slug=CENTRAL_SLUG)}
    paths = {}
    for owner_id, path in KnowledgePage.objects.filter(content_owner__isnull=False).values_list(
        "content_owner_id", "path"
    ):
        paths.setdefault(owner_id, set()).add(path[:COMMUNITY_PATH_LENGTH])
    for owner_id, community_paths in paths.items():
        if len(community_paths) == 1:
            home = homes.get(next(iter(community_paths)))
            if home is not None:
                ContentOwner.objects.filter(pk=owner_id).update(community=home)


def all_shared(apps, schema_editor):
    apps.get_model("kompetanse", "ContentOwner").objects.update(community=None)


class Migration(migrations.Migration):
    dependencies = [
        ("kompetanse", "0004_recommendation_codes_in_english"),
    ]

    operations = [
        migrations.AddField(
            model_name="contentowner",
            name="community",
            field=models.ForeignKey(
                blank=True,
                help_text="Helsefellesskapet som bruker og vedlikeholder denne innholdsansvarlige. "
                "Felles innholdsansvarlige kan velges av alle.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="content_owners",
                to="kompetanse.communityhomepage",
                verbose_name="helsefellesskap",
            ),
        ),
        migrations.RunPython(owners_to_their_community, all_shared),
    ]
