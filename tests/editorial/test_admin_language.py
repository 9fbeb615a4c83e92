"""Every string an editor sees in the admin is Norwegian bokmål (issue #17, item 5).

A community editor and a publisher walk the admin views they use; the visible text of each page
(text, button values, aria-label, title, placeholder) is searched for common English UI words.
The data the test world holds (titles, names, addresses) is left out first: that is the
editors' own text, not the admin's. The admin's JavaScript strings are checked in its catalog.
"""

import json
import re
from pathlib import Path

import pytest
import wagtail.admin
from bs4 import BeautifulSoup, Comment, Doctype
from django.urls import reverse
from wagtail.log_actions import log

from tests.editorial.helpers import page_form_data, reload

pytestmark = [pytest.mark.django_db, pytest.mark.wagtail_search]

# Whole words that are English and not Norwegian. Left out because Norwegian uses them too: all,
# at, be, by, for, to, type, status, filter, sort, last (as in «Last opp»), tag, side, men, i.
ENGLISH_WORDS = {
    "a", "about", "account", "actions", "add", "added", "aging", "an", "and", "any",
    "approve", "are", "available", "back", "been", "cancel", "change", "changed", "changes",
    "choose", "clear", "close", "collapse", "collection", "collections", "comment", "comments",
    "compare", "confirm", "content", "copy", "create", "created", "current", "dashboard", "date",
    "days", "delete", "document", "documents", "download", "draft", "edit", "edited", "editing",
    "empty", "error", "expand", "export", "field", "fields", "file", "filters", "from", "has",
    "have", "help", "hide", "history", "hours", "if", "image", "images", "in", "is", "it", "item",
    "items", "live", "lock", "locked", "log", "logs", "menu", "minutes", "more", "move", "name",
    "never", "new", "next", "no", "none", "not", "of", "on", "or", "owner", "page", "pages",
    "preview", "previous", "privacy", "private", "public", "publish", "published", "recent",
    "reject", "report", "reports", "request", "required", "results", "revision", "revisions",
    "save", "saved", "schedule", "scheduled", "search", "select", "settings", "show", "site",
    "size", "snippets", "submit", "submitted", "task", "tasks", "the", "there", "this", "title",
    "today", "toggle", "unlock", "unpublish", "unpublished", "updated", "upload", "user", "users",
    "view", "was", "with", "workflow", "workflows", "yes", "you", "your",
    # Wagtail's own typo in its bokmål catalog
    "tiittel",
}  # fmt: skip
WORD = re.compile(r"[^\W\d_]+")
ADDRESS = re.compile(r"\S+@\S+|https?://\S+")
ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
SKIPPED_TAGS = {"script", "style", "noscript"}


def user_data(world):
    """The texts the test world put in: titles, names, addresses, messages."""
    texts = {world.owner.name, world.shared_image.title}
    for user in world.users.values():
        texts |= {user.username, user.email, user.get_full_name()}
    for letter in "ABS":
        community = world[letter]
        texts |= {
            community.home.title,
            community.listing.title,
            community.team.community.title,
            community.live.title,
            community.draft.title,
            community.in_review.title,
            community.private.title,
            community.live.summary,
            community.draft.summary,
            community.image.title,
            community.image.file.name.rsplit("/", 1)[-1],
            community.document.title,
            community.document.file.name.rsplit("/", 1)[-1],
            community.report.message,
            community.report.email,
            community.report.internal_note,
            community.subscription.email,
        }
    return sorted((text for text in texts if text), key=len, reverse=True)


def visible_texts(html):
    soup = BeautifulSoup(html, "html.parser")
    texts = []
    config = soup.find("script", id="wagtail-config")
    if config:
        # wagtailConfig.STRINGS: what the admin's scripts show (bulk action counts, months)
        texts += _strings(json.loads(config.string)["STRINGS"])
    sidebar = soup.find("script", id="wagtail-sidebar-props")
    if sidebar:
        # the main menu, drawn by the admin's scripts: its labels
        texts += _labels(json.loads(sidebar.string))
    for tag in soup.find_all(SKIPPED_TAGS):
        tag.decompose()
    for node in soup.find_all(string=True):
        if isinstance(node, (Comment, Doctype)):
            continue
        text = " ".join(node.split())
        if text:
            texts.append(text)
    for tag in soup.find_all(True):
        for attribute in ATTRIBUTES:
            if tag.get(attribute):
                texts.append(" ".join(tag[attribute].split()))
        if tag.name == "input" and tag.get("type") in ("submit", "button", "reset") and tag.get("value"):
            texts.append(" ".join(tag["value"].split()))
    return texts


def english(texts, data):
    found = []
    for text in texts:
        rest = ADDRESS.sub(" ", text)
        for value in data:
            rest = rest.replace(value, " ")
        if any(word.lower() in ENGLISH_WORDS for word in WORD.findall(rest)):
            found.append(text)
    return found


def html_of(response):
    if response["Content-Type"].startswith("application/json"):
        return json.loads(response.content).get("html", "")
    return response.content.decode()


def walk(client, world, urls):
    data = user_data(world)
    found = {}
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="nb")
        assert response.status_code == 200, (url, response.status_code)
        for text in english(visible_texts(html_of(response)), data):
            found.setdefault(text, url)
    return [f"{url}: {text}" for text, url in found.items()]


def editor_urls(world):
    community = world["A"]
    live = community.live
    in_review = reload(community.in_review)
    listing = community.listing
    revision = live.revisions.order_by("pk").last()
    return [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[community.home.pk]),
        reverse("wagtailadmin_explore", args=[listing.pk]),
        reverse("wagtailadmin_explore", args=[listing.pk]) + "?ordering=title",
        reverse("wagtailadmin_pages:edit", args=[live.pk]),
        reverse("wagtailadmin_pages:edit", args=[community.draft.pk]),
        reverse("wagtailadmin_pages:edit", args=[in_review.pk]),
        reverse("wagtailadmin_pages:add", args=["kompetanse", "procedurepage", listing.pk]),
        reverse("wagtailadmin_pages:history", args=[live.pk]),
        reverse("wagtailadmin_pages:revisions_view", args=[live.pk, revision.pk]),
        reverse("wagtailadmin_pages:revisions_compare", args=[live.pk, "earliest", "live"]),
        reverse("wagtailadmin_pages:workflow_history", args=[in_review.pk]),
        reverse(
            "wagtailadmin_pages:workflow_history_detail",
            args=[in_review.pk, in_review.current_workflow_state.pk],
        ),
        reverse("wagtailadmin_pages:confirm_workflow_cancellation", args=[in_review.pk]),
        reverse("wagtailadmin_pages:search") + "?q=Publisert",
        reverse("wagtailadmin_pages:search") + "?q=ingenting-her",
        reverse("wagtailadmin_reports:aging_pages"),
        reverse("wagtailadmin_reports:workflow"),
        reverse("wagtailadmin_reports:workflow_tasks"),
        reverse("wagtailadmin_reports:site_history"),
        reverse("lifecycle_review_report"),
        reverse("wagtailimages:index"),
        reverse("wagtailimages:edit", args=[community.image.pk]),
        reverse("wagtailimages:add_multiple"),
        reverse("wagtaildocs:index"),
        reverse("wagtaildocs:edit", args=[community.document.pk]),
        reverse("wagtaildocs:add_multiple"),
        reverse("wagtailsnippets_lifecycle_errorreport:list"),
        reverse("wagtailsnippets_kompetanse_contentowner:list") + "?q=ingenting-her",
        reverse("wagtailsnippets_lifecycle_errorreport:edit", args=[community.report.pk]),
        reverse("wagtailadmin_account"),
    ]


def publisher_urls(world):
    community = world["A"]
    in_review = reload(community.in_review)
    task_state = in_review.current_workflow_task_state
    return [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_pages:edit", args=[in_review.pk]),
        reverse("wagtailadmin_pages:workflow_action", args=[in_review.pk, "reject", task_state.pk]),
        reverse("wagtailadmin_pages:workflow_action", args=[in_review.pk, "approve", task_state.pk]),
        reverse("wagtailadmin_pages:workflow_preview", args=[in_review.pk, task_state.task_id]),
        reverse("wagtailadmin_reports:workflow"),
        reverse("wagtailadmin_reports:workflow_tasks"),
    ]


def test_the_views_an_editor_uses_have_no_english_text(login, world):
    client = login("editor_a")
    assert walk(client, world, editor_urls(world)) == []


def test_the_views_a_publisher_uses_have_no_english_text(login, world):
    client = login("publisher_a")
    assert walk(client, world, publisher_urls(world)) == []


def test_a_page_saved_and_submitted_shows_its_messages_in_norwegian(login, world):
    client = login("editor_a")
    page = world["A"].draft
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        page_form_data(page, **{"action-submit": "1"}),
        follow=True,
    )
    assert response.status_code == 200
    texts = visible_texts(response.content.decode())
    assert english(texts, user_data(world)) == []


def test_the_admin_javascript_strings_are_norwegian(login, world):
    """Wagtail's admin scripts take their strings from the JavaScript catalog: every one of them
    has a Norwegian translation there."""
    client = login("editor_a")
    response = client.get(reverse("wagtailadmin_javascript_catalog"))
    match = re.search(r"const newcatalog = (\{.*?\});", response.content.decode(), re.S)
    catalog = json.loads(match.group(1))
    untranslated = [key.replace("\x04", " | ") for key in wagtail_js_msgids() if key not in catalog]
    assert untranslated == []


def wagtail_js_msgids():
    """The msgids (with their context, as the catalog keys them) of Wagtail's admin scripts."""
    po = Path(wagtail.admin.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "djangojs.po"
    keys = []
    for entry in po.read_text().split("\n\n"):
        fields = dict(re.findall(r'^(msgctxt|msgid) ((?:".*"\n?)+)', entry + "\n", re.M))
        msgid = "".join(re.findall(r'"(.*)"', fields.get("msgid", "")))
        if not msgid:
            continue
        msgid = re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), msgid)
        context = "".join(re.findall(r'"(.*)"', fields.get("msgctxt", "")))
        keys.append(f"{context}\x04{msgid}" if context else msgid)
    return keys


def _strings(value):
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in _strings(item)]
    return [value] if isinstance(value, str) else []


def _labels(value):
    if isinstance(value, dict):
        own = [value["label"]] if isinstance(value.get("label"), str) else []
        return own + [text for item in value.values() for text in _labels(item)]
    if isinstance(value, list):
        return [text for item in value for text in _labels(item)]
    return []


def test_a_site_history_long_enough_to_page_counts_its_entries_in_norwegian(login, world):
    # Past one page, the report counts its entries under the listing. Wagtail names them by
    # whichever log model its union query starts with («16 model log entries» or «16 loggføringer
    # for tilbakemeldinger og abonnementer» for a mix of kinds); the portal calls them entries.
    community = world["A"]
    editor = world.users["editor_a"]
    for number in range(25):
        log(community.image, "wagtail.edit", user=editor, title=f"Bilde A, endring {number}")
    client = login("editor_a")
    response = client.get(reverse("wagtailadmin_reports:site_history"), HTTP_ACCEPT_LANGUAGE="nb")
    count = BeautifulSoup(response.content, "html.parser").find(string=re.compile(r"^\s*\d+ logg"))
    assert count.strip() == f"{response.context['paginator'].count} loggoppføringer"
    assert walk(client, world, [reverse("wagtailadmin_reports:site_history")]) == []


def test_the_views_the_central_team_uses_have_no_english_text(login, world):
    """Empty listings («Det er ingen … å vise»), a search without hits and a filter in error."""
    client = login("publisher_s")
    urls = [
        reverse("wagtailsnippets_kompetanse_topic:list"),
        reverse("wagtailsnippets_search_zeroresultquery:list"),
        reverse("wagtailsnippets_lifecycle_errorreport:list") + "?q=ingenting-her",
        reverse("wagtailadmin_reports:workflow") + "?requested_by=999999",
    ]
    assert walk(client, world, urls) == []
    # The synonym list itself holds abbreviations that are English words («ADD»): its headings.
    synonyms = client.get(reverse("wagtailsnippets_search_synonym:list")).content.decode()
    assert "Sist endret" in synonyms and "Updated at" not in synonyms
