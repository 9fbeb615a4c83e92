"""Seed the fixed vocabularies and put the portal home at the root of the default site."""

from django.db import migrations

TARGET_GROUPS = [
    ("barn-og-unge", "Barn og unge"),
    ("psykisk-helse-og-rus", "Personer med alvorlige psykiske lidelser og rusproblemer"),
    ("skropelige-eldre", "Skrøpelige eldre"),
    ("flere-kroniske-lidelser", "Personer med flere kroniske lidelser"),
]
LEVELS = [
    ("kommune", "Kommune"),
    ("spesialisthelsetjeneste", "Spesialisthelsetjeneste"),
    ("fastlege", "Fastlege"),
]


def seed(apps, schema_editor):
    TargetGroup = apps.get_model("kompetanse", "TargetGroup")
    Level = apps.get_model("kompetanse", "Level")
    for order, (slug, name) in enumerate(TARGET_GROUPS):
        TargetGroup.objects.update_or_create(slug=slug, defaults={"name": name, "sort_order": order})
    for order, (slug, name) in enumerate(LEVELS):
        Level.objects.update_or_create(slug=slug, defaults={"name": name, "sort_order": order})


def create_portal_home(apps, schema_editor):
    """Replace Wagtail's welcome page with the portal home, as Wagtail's project template does."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    PortalHomePage = apps.get_model("kompetanse.PortalHomePage")

    if PortalHomePage.objects.exists():
        return
    page_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=page_type, slug="home", depth=2).delete()
    if Page.objects.filter(path="00010001").exists():
        return  # someone has built a tree already; leave it to load_demo's checks
    portal_type, _ = ContentType.objects.get_or_create(model="portalhomepage", app_label="kompetanse")
    home = PortalHomePage.objects.create(
        title="Kompetanseportalen",
        draft_title="Kompetanseportalen",
        slug="hjem",
        content_type=portal_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/hjem/",
        locale=Locale.objects.order_by("pk").first(),
        live=True,
    )
    Page.objects.filter(depth=1).update(numchild=1)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Kompetanseportalen"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("kompetanse", "0001_initial"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(create_portal_home, migrations.RunPython.noop),
    ]
