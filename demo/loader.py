"""Builds the demo portal from the data modules beside this file. Safe to run again."""

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from demo import pages_ahus, pages_oslo, pages_sentral, pages_vestre_viken
from demo.communities import COMMUNITIES
from demo.media import illustration_png, image_file, text_pdf
from demo.topics import TOPICS
from editorial.demo import setup_demo_teams
from kompetanse.communities import ensure_community, ensure_info_pages, get_portal_home, listing_for
from kompetanse.models import CommunityHomePage, Topic
from kompetanse.packages.mapping import apply_data, clean_rich_text, content_model
from lifecycle.demo import add_demo_history

DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD = "kompetanse-demo"
PORTAL_INTRO = (
    "<p>Kompetanseportalen samler prosedyrer, samarbeidsanbefalinger og gode eksempler fra "
    "helsefellesskapene, slik at kommuner, sykehus og fastleger kan finne og gjenbruke det "
    "andre allerede har løst.</p>"
)


def page_modules():
    return {
        "sentral": pages_sentral.PAGES,
        "oslo": pages_oslo.PAGES,
        "ahus": pages_ahus.PAGES,
        "vestre-viken": pages_vestre_viken.PAGES,
    }


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
        for topic in TOPICS:
            Topic.objects.get_or_create(
                slug=topic["slug"],
                defaults={"name": topic["name"], "description": topic.get("description", "")},
            )
        pages_by_community = page_modules()
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
            for page_data in pages_by_community.get(data["slug"], []):
                self.add_page(community, page_data)
        ensure_info_pages()
        setup_demo_teams([data["slug"] for data in COMMUNITIES], log=self.log)
        add_demo_history(log=self.log)
        self.ensure_admin()
        self.log(f"Demoinnhold klart: {self.created} sider opprettet, {self.skipped} fantes fra før.")

    def add_page(self, community, data):
        kind = data["type"]
        listing = listing_for(community, kind)
        if listing.get_children().filter(slug=data["slug"]).exists():
            self.skipped += 1
            return
        fields = dict(data)
        if "attachments" in fields:
            fields["attachments"] = [
                {"document": self.document(item), "title": item["title"]} for item in fields["attachments"]
            ]
        if "images" in fields:
            fields["images"] = [
                {
                    "image": self.image(item, f"{community.slug}-{data['slug']}-{index}"),
                    "caption": item.get("caption", ""),
                }
                for index, item in enumerate(fields["images"])
            ]
        page = content_model(kind)(slug=data["slug"])
        apply_data(page, kind, fields)
        listing.add_child(instance=page)
        page.save_revision().publish()
        self.created += 1

    def document(self, item):
        Document = get_document_model()
        existing = Document.objects.filter(title=item["title"]).first()
        if existing:
            return existing
        document = Document(title=item["title"])
        filename = item["filename"]
        if filename.endswith(".pdf"):
            content = text_pdf(item["title"], item.get("text", ""))
        else:
            content = item.get("text", "").encode("utf-8")
        document.file.save(filename, ContentFile(content), save=False)
        document.save()
        return document

    def image(self, item, seed):
        Image = get_image_model()
        title = item.get("caption") or item["alt"]
        existing = Image.objects.filter(title=title[:255]).first()
        if existing:
            return existing
        png = illustration_png(item.get("motif", "chart"), seed)
        return Image.objects.create(
            title=title[:255], description=item["alt"], file=image_file(png, f"{seed}.png")
        )

    def ensure_admin(self):
        User = get_user_model()
        if not User.objects.filter(username=DEMO_ADMIN_USERNAME).exists():
            User.objects.create_superuser(
                DEMO_ADMIN_USERNAME, "admin@kompetanseportalen.example.no", DEMO_ADMIN_PASSWORD
            )
            self.log(f"Administrator opprettet: {DEMO_ADMIN_USERNAME} / {DEMO_ADMIN_PASSWORD}")
