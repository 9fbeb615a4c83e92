"""Builds the demo portal. Safe to run again.

The pages, their images and documents and the topics are content packages in demo/content/
(one folder per community: content.json beside images/ and documents/), imported the way
``import_content`` imports a package, so that every ``make run`` exercises the format. What a
package cannot hold (the communities' descriptions, teams and users, workflows, the lifecycle
history) is set up here and in the apps' demo modules.
"""

import functools
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from demo.communities import COMMUNITIES
from editorial.demo import setup_demo_teams
from kompetanse.communities import ensure_community, ensure_info_pages, get_portal_home, listing_for
from kompetanse.models import CommunityHomePage
from kompetanse.packages import import_package, open_package_folder
from kompetanse.packages.mapping import clean_rich_text
from kompetanse.packages.reading import existing_pages
from lifecycle.demo import add_demo_history
from newsletter.demo import add_demo_newsletters

CONTENT = Path(__file__).resolve().parent / "content"
DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD = "kompetanse-demo"
PORTAL_INTRO = (
    "<p>Kompetanseportalen samler prosedyrer, samarbeidsanbefalinger og gode eksempler fra "
    "helsefellesskapene, slik at kommuner, sykehus og fastleger kan finne og gjenbruke det "
    "andre allerede har løst.</p>"
)


@functools.cache
def demo_package(slug):
    """The demo's content package for a community, as (data, files); None if it has none."""
    folder = CONTENT / slug
    return open_package_folder(folder) if (folder / "content.json").is_file() else None


def page_modules():
    """{community slug: the demo package's items} (tests and benchmarks read the demo's pages)."""
    packages = {data["slug"]: demo_package(data["slug"]) for data in COMMUNITIES}
    return {slug: package[0]["items"] for slug, package in packages.items() if package is not None}


class DemoLoader:
    def __init__(self, stdout=None):
        self.stdout = stdout
        self.created = 0
        self.skipped = 0

    def log(self, message):
        if self.stdout is not None:
            self.stdout.write(message)

    @transaction.atomic
    def run(self):
        portal = get_portal_home()
        if not portal.intro:
            portal.intro = PORTAL_INTRO
            portal.save_revision().publish()
        for data in COMMUNITIES:
            # The demo describes a community only when creating it: an editor's later changes stay,
            # and a second run publishes nothing.
            exists = CommunityHomePage.objects.filter(slug=data["slug"]).exists()
            fields = (
                {}
                if exists
                else {
                    "short_name": data.get("short_name", ""),
                    "intro": data.get("intro", ""),
                    "description": clean_rich_text(data.get("description", "")),
                    "members": "\n".join(data.get("members", [])),
                    "contact_email": data.get("contact_email", ""),
                    "contact_phone": data.get("contact_phone", ""),
                }
            )
            community = ensure_community(data["slug"], None if exists else data["title"], **fields)
            self.import_pages(community)
        ensure_info_pages()
        setup_demo_teams([data["slug"] for data in COMMUNITIES], log=self.log)
        add_demo_history(log=self.log)
        add_demo_newsletters([data["slug"] for data in COMMUNITIES], log=self.log)
        self.ensure_admin()
        self.log(f"Demoinnhold klart: {self.created} sider opprettet, {self.skipped} fantes fra før.")

    def import_pages(self, community):
        """Import the community's demo package, as the command line imports a package, leaving
        out the pages that are there already (by uid, or by address from an older demo), so that
        an editor's changes stay and a second run publishes nothing."""
        package = demo_package(community.slug)
        if package is None:
            return
        data, files = package
        found = existing_pages([item["uid"] for item in data["items"]])
        taken = {}
        for kind in {item["type"] for item in data["items"]}:
            taken[kind] = set(listing_for(community, kind).get_children().values_list("slug", flat=True))
        items = [
            item
            for item in data["items"]
            if item["uid"] not in found and item["slug"] not in taken[item["type"]]
        ]
        self.skipped += len(data["items"]) - len(items)
        if items:
            result = import_package({**data, "items": items}, files=files)
            self.created += len(result.created)

    def ensure_admin(self):
        User = get_user_model()
        if not User.objects.filter(username=DEMO_ADMIN_USERNAME).exists():
            User.objects.create_superuser(
                DEMO_ADMIN_USERNAME, "admin@kompetanseportalen.example.no", DEMO_ADMIN_PASSWORD
            )
            self.log(f"Administrator opprettet: {DEMO_ADMIN_USERNAME} / {DEMO_ADMIN_PASSWORD}")
