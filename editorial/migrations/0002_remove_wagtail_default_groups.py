"""Wagtail's own migrations create the groups «Editors» and «Moderators», with page permissions on
the tree root and media permissions on the root collection: every community. Here access comes
only through a community's team groups (editorial.communities), so the two groups go; users in
them keep their accounts and lose what the groups gave them. Wagtail's default workflow
«Moderators approval» on the root is left with no approving group: administrators approve there.
"""

from django.db import migrations

WAGTAIL_DEFAULT_GROUPS = ["Editors", "Moderators"]


def remove_wagtail_default_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_initial"),
        # Every Wagtail migration that gives the two groups permissions, so that none runs after.
        ("wagtailcore", "0005_add_page_lock_permission_to_moderators"),
        ("wagtailcore", "0048_add_default_workflows"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0002_initial_data"),
        ("wagtaildocs", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(remove_wagtail_default_groups, migrations.RunPython.noop)]
