"""How an item's data maps onto the fields of a content page, and back.

One place knows how a data dict maps onto page fields, so that imports (the demo's included),
exports and reuse's copies agree on it.
"""

import datetime
import functools
from contextvars import ContextVar

from bs4 import BeautifulSoup
from django.utils import timezone
from django.utils.dateparse import parse_duration
from django.utils.text import slugify
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

from kompetanse import registry
from kompetanse.blocks import RICH_TEXT_FEATURES
from kompetanse.mediafiles import clock_text
from kompetanse.models import (
    CONTENT_MODELS,
    ContentOwner,
    GoodExampleImage,
    Level,
    RecommendationParty,
    TargetGroup,
    Topic,
    TopicKeyPage,
)


@functools.cache
def _converter():
    # Built on first use, not on import: building it loads every app's wagtail_hooks (for the
    # rich text features), and those may import this module.
    return ContentstateConverter(features=RICH_TEXT_FEATURES)


def clean_rich_text(html):
    """Reduce HTML from outside to what the editor allows, as the admin itself would store it.

    Round-tripping through Draftail's converter drops scripts, styles, event handlers and any
    element or attribute the rich text features do not allow, and leaves text the editor can open.
    """
    if not html or not html.strip():
        return ""
    # The converter expects well-formed markup; let a forgiving parser close tags first.
    html = str(BeautifulSoup(html, "html.parser"))
    try:
        return _converter().to_database_format(_converter().from_database_format(html))
    except Exception as exc:  # the converter asserts on markup it cannot follow
        raise ValueError(f"Teksten inneholder HTML som ikke kan leses ({exc}).") from exc


RELATIVE_KEY = "days_from_import"


def _relative_day(value, field):
    """The day ``{"days_from_import": n}`` names: n days after (before, if negative) today.

    Demo events and news stay upcoming, or past, however long after writing they are loaded.
    """
    days = value.get(RELATIVE_KEY)
    if type(days) is not int:
        raise ValueError(f"«{field}.{RELATIVE_KEY}» må være et helt antall dager, ikke «{days}».")
    return timezone.localdate() + datetime.timedelta(days=days)


def parse_date(value, field):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, dict):
        return _relative_day(value, field)
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValueError(f"«{field}» må være en dato på formen ÅÅÅÅ-MM-DD, ikke «{value}».") from exc


def parse_datetime(value, field):
    """An ISO 8601 time («2026-03-14T09:00», norsk tid unless it names an offset) or
    ``{"days_from_import": n, "time": "09:00"}``; returned aware."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, dict):
        day = _relative_day(value, field)
        try:
            clock = datetime.time.fromisoformat(str(value.get("time") or "00:00"))
        except ValueError as exc:
            raise ValueError(
                f"«{field}.time» må være et klokkeslett på formen TT:MM, ikke «{value['time']}»."
            ) from exc
        moment = datetime.datetime.combine(day, clock)
    else:
        try:
            moment = datetime.datetime.fromisoformat(str(value))
        except ValueError as exc:
            raise ValueError(
                f"«{field}» må være et tidspunkt på formen ÅÅÅÅ-MM-DDTTT:MM, ikke «{value}»."
            ) from exc
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


# Inside ``vocabulary_read_once()`` (an import): {model: {slug: object}}; None elsewhere.
_vocabulary = ContextVar("kompetanse_vocabulary", default=None)


def vocabulary_read_once():
    """Target groups, levels and topics are read once for the whole block, not once per page
    (an import of thousands of pages asked for the same few rows again for each)."""
    return registry.read_once_block(_vocabulary)


def _known(model):
    """{slug: object} of ``model`` inside ``vocabulary_read_once()``, else None."""
    vocabulary = _vocabulary.get()
    if vocabulary is None:
        return None
    if model not in vocabulary:
        vocabulary[model] = {obj.slug: obj for obj in model.objects.all()}
    return vocabulary[model]


def topic_for_slug(slug, *, create=False, name=None):
    known = _known(Topic)
    topic = known.get(slug) if known is not None else Topic.objects.filter(slug=slug).first()
    if topic is None and create:
        topic = Topic.objects.create(name=name or slug.replace("-", " ").capitalize(), slug=slug)
        if known is not None:
            known[slug] = topic
    return topic


def owner_for(data):
    """Find or create a content owner from {"name", "unit", "email", "phone"}."""
    if not data or not data.get("name"):
        return None
    owner, _ = ContentOwner.objects.get_or_create(
        name=data["name"].strip(),
        unit=(data.get("unit") or "").strip(),
        email=(data.get("email") or "").strip(),
        defaults={"phone": (data.get("phone") or "").strip()},
    )
    return owner


def set_taxonomy(page, data, *, create_topics=False):
    """Set target groups, topics and levels from lists of slugs. Unknown slugs raise ValueError."""
    groups = _by_slug(TargetGroup, data.get("target_groups", []), "målgruppe")
    levels = _by_slug(Level, data.get("levels", []), "tjenestenivå")
    topics = []
    for slug in data.get("topics", []):
        topic = topic_for_slug(slugify(slug), create=create_topics)
        if topic is None:
            raise ValueError(f"Ukjent fagområde «{slug}».")
        topics.append(topic)
    page.target_groups = groups
    page.levels = levels
    page.topics = topics


def _by_slug(model, slugs, label):
    slugs = list(dict.fromkeys(slugs))
    known = _known(model)
    if known is not None:
        found = {slug: known[slug] for slug in slugs if slug in known}
    else:
        found = {obj.slug: obj for obj in model.objects.filter(slug__in=slugs)}
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        raise ValueError(f"Ukjent {label}: {', '.join(unknown)}.")
    return [found[slug] for slug in slugs]


def stream(block_type, items):
    """Raw StreamField data for a list of values of one block type."""
    return [{"type": block_type, "value": value} for value in items]


def body_stream(blocks):
    """Raw body data from [block_type, value] pairs; rich text values are cleaned."""
    raw = []
    for block_type, value in blocks:
        if block_type == "paragraph":
            value = clean_rich_text(value)
        elif block_type == "notice":
            value = {**value, "text": clean_rich_text(value.get("text", ""))}
        raw.append({"type": block_type, "value": value})
    return raw


def content_model(kind):
    try:
        return CONTENT_MODELS[kind]
    except KeyError:
        raise ValueError(f"Ukjent type «{kind}». Gyldige typer er: {', '.join(CONTENT_MODELS)}.") from None


RICH_FIELDS = {
    "procedure": ["purpose", "scope", "responsibility"],
    "recommendation": ["situation"],
    "good_example": ["problem", "what_was_done", "results", "transferability"],
    "news": [],
    "event": [],
    "course": ["learning_outcomes"],
    "film": ["transcript"],
    "podcast": [],
    "podcast_episode": ["transcript"],
    "topic": [],
}
# Codes of older packages (and portals) that were stored in Norwegian, and the English codes they
# are stored as now. Imports accept both; exports write the English ones.
OLD_CODES = {
    "agreement_type": {
        "samarbeidsavtale": "cooperation_agreement",
        "tjenesteavtale": "service_agreement",
        "annen": "other",
    },
    "party": {
        "kommune": "municipality",
        "sykehus": "hospital",
        "fastlege": "gp",
        "legevakt": "out_of_hours",
        "pasient": "patient",
        "annen": "other",
    },
}


def current_code(field, value):
    """The code stored today for `value` of `field` (an old Norwegian code becomes English)."""
    return OLD_CODES[field].get(value, value)


PLAIN_FIELDS = {
    "procedure": ["approved_by", "version"],
    "recommendation": ["approved_by", "version", "agreement_type", "agreement_name", "agreement_url"],
    "good_example": [],
    "news": ["lead_image_alt"],
    "event": ["location", "online_url", "registration_url", "organiser"],
    "course": ["approved_by", "version", "course_url", "provider", "credits"],
    "film": ["approved_by", "version", "embed_url"],
    "podcast": ["author"],
    "podcast_episode": [],
    "topic": ["approved_by", "version"],
}
DATE_FIELDS = {
    "procedure": ["valid_from", "last_reviewed", "next_review"],
    "recommendation": ["valid_from", "last_reviewed", "next_review"],
    "good_example": ["last_reviewed", "next_review", "period_start", "period_end"],
    "news": ["date"],
    "event": ["registration_deadline"],
    "course": ["valid_from", "last_reviewed", "next_review"],
    "film": ["valid_from", "last_reviewed", "next_review"],
    "podcast": [],
    "podcast_episode": ["date"],
    "topic": ["last_reviewed", "next_review"],
}
CONTACT_FIELDS = ("name", "role", "organisation", "phone", "email")
DATETIME_FIELDS = {"event": ["start", "end"]}
# Lengths: a whole number of minutes, or a timedelta written «0:12:30».
MINUTES_FIELDS = {"course": ["duration_minutes"]}
DURATION_FIELDS = {"film": ["duration"], "podcast_episode": ["duration"]}
# Fields that hold one image or document; a package names them by its references («img-7»,
# «doc-3»), resolved to objects before apply_data (kompetanse.packages.media).
MEDIA_FIELDS = {
    "news": {"lead_image": "image"},
    "podcast": {"cover_image": "image"},
    "film": {"video_file": "document", "captions": "document"},
    "podcast_episode": {"audio": "document"},
}
# Kinds whose pages live under another item's page, not under the listing: the key naming that
# item's uid (an earlier item of the package, or a page already here).
PARENT_ITEM_KEYS = {"podcast_episode": "series"}
MEDIA_FIELD_KINDS = {field: media for fields in MEDIA_FIELDS.values() for field, media in fields.items()}


def parse_minutes(value, field):
    if value in (None, ""):
        return None
    if type(value) is not int or value < 0:
        raise ValueError(f"«{field}» må være et helt antall minutter, ikke «{value}».")
    return value


def parse_duration_text(value, field):
    """«0:12:30» or «12:30» (or a timedelta) as a timedelta."""
    if isinstance(value, datetime.timedelta):
        return value
    duration = parse_duration(str(value or "")) if ":" in str(value or "") else None
    if duration is None:
        raise ValueError(f"«{field}» må være en varighet på formen T:MM:SS (0:12:30), ikke «{value}».")
    return duration


def apply_data(page, kind, data, *, create_topics=False):
    """Set the fields that `data` names on `page`; fields it leaves out keep their value.

    Attachments and images must already be resolved: {"document": <Document>, "title"} and
    {"image": <Image>, "caption"}. Raises ValueError with a reader-friendly message.
    """
    if "title" in data:
        page.title = data["title"].strip()
    if "summary" in data:
        page.summary = data["summary"].strip()
    for field in ("seo_title", "search_description"):
        if field in data:
            setattr(page, field, (data[field] or "").strip())
    if "body" in data:
        body = data["body"]
        if isinstance(body, str):
            body = [["paragraph", body]] if body.strip() else []
        page.body = body_stream(body)
    for field in RICH_FIELDS[kind]:
        if field in data:
            setattr(page, field, clean_rich_text(data[field]))
    for field in PLAIN_FIELDS[kind]:
        if field in data:
            value = (data[field] or "").strip()
            setattr(page, field, current_code(field, value) if field in OLD_CODES else value)
    for field in DATE_FIELDS[kind]:
        if field in data:
            setattr(page, field, parse_date(data[field], field))
    for field in DATETIME_FIELDS.get(kind, []):
        if field in data:
            setattr(page, field, parse_datetime(data[field], field))
    for field in MINUTES_FIELDS.get(kind, []):
        if field in data:
            setattr(page, field, parse_minutes(data[field], field))
    for field in DURATION_FIELDS.get(kind, []):
        if field in data:
            setattr(page, field, parse_duration_text(data[field], field))
    for field in MEDIA_FIELDS.get(kind, {}):
        if field in data:
            setattr(page, field, data[field] or None)
    if "owner" in data:
        page.content_owner = owner_for(data["owner"])
    if any(key in data for key in ("target_groups", "topics", "levels")):
        current = {
            "target_groups": [g.slug for g in page.target_groups.all()],
            "topics": [t.slug for t in page.topics.all()],
            "levels": [lv.slug for lv in page.levels.all()],
        }
        set_taxonomy(page, {**current, **data}, create_topics=create_topics)

    if kind == "procedure":
        if "steps" in data:
            page.steps = stream(
                "step",
                [
                    {
                        "title": step["title"],
                        "text": clean_rich_text(step.get("text", "")),
                        "warning": step.get("warning", ""),
                    }
                    for step in data["steps"]
                ],
            )
        if "references" in data:
            page.references = stream("reference", data["references"])
        if "attachments" in data:
            page.attachments = stream(
                "attachment",
                [
                    {"document": item["document"].pk, "title": item.get("title", "")}
                    for item in data["attachments"]
                ],
            )
    elif kind == "recommendation":
        if "responsibilities" in data:
            page.responsibilities = stream(
                "responsibility",
                [
                    {
                        "party": current_code("party", row["party"]),
                        "party_label": row.get("party_label", ""),
                        "tasks": clean_rich_text(row.get("tasks", "")),
                    }
                    for row in data["responsibilities"]
                ],
            )
        if "parties" in data:
            page.parties = [
                RecommendationParty(name=party["name"], description=party.get("description", ""))
                for party in data["parties"]
            ]
    elif kind == "topic":
        apply_topic_data(page, data, create_topics=create_topics)
    elif kind == "good_example":
        if "result_figures" in data:
            page.result_figures = stream("figure", data["result_figures"])
        if "partners" in data:
            partners = data["partners"]
            page.partners = "\n".join(partners) if isinstance(partners, list) else partners
        if "contact" in data:
            contact = data["contact"] or {}
            page.contact_name = contact.get("name", "")
            page.contact_role = contact.get("role", "")
            page.contact_email = contact.get("email", "")
            page.contact_phone = contact.get("phone", "")
        if "images" in data:
            page.gallery_images = [
                GoodExampleImage(image=item["image"], caption=item.get("caption", ""))
                for item in data["images"]
            ]
    return page


def apply_topic_data(page, data, *, create_topics=False):
    """A topic page's own fields: its topic (a slug), its key pages (resolved: pages, in order)
    and its contacts."""
    if "topic" in data:
        topic = topic_for_slug(slugify(data["topic"] or ""), create=create_topics)
        if topic is None:
            raise ValueError(f"Ukjent fagområde «{data['topic']}».")
        page.topic = topic
    if "key_pages" in data:
        page.key_page_links = [
            TopicKeyPage(page=key_page, sort_order=order) for order, key_page in enumerate(data["key_pages"])
        ]
    if "contacts" in data:
        page.contacts = stream(
            "contact",
            [
                {name: (contact.get(name) or "").strip() for name in CONTACT_FIELDS}
                for contact in data["contacts"]
            ],
        )


def page_data(page):
    """The inverse of `apply_data`: a page's content as data that `apply_data` accepts again.

    Attachments and images come back resolved ({"document": <Document>}, {"image": <Image>});
    body blocks are [block_type, raw value] pairs, so image blocks carry the image's id.
    Used by exports and by reuse (copies that follow their source).
    """
    from wagtail.documents import get_document_model

    page = page.specific
    kind = page.content_kind
    data = {
        "title": page.title,
        "slug": page.slug,
        "seo_title": page.seo_title,
        "search_description": page.search_description,
        "summary": page.summary,
        "body": [[block["type"], block["value"]] for block in page.body.raw_data],
        "target_groups": [g.slug for g in page.target_groups.all()],
        "topics": [t.slug for t in page.topics.all()],
        "levels": [lv.slug for lv in page.levels.all()],
    }
    for field in RICH_FIELDS[kind] + PLAIN_FIELDS[kind]:
        data[field] = getattr(page, field) or ""
    for field in DATE_FIELDS[kind]:
        value = getattr(page, field)
        data[field] = value.isoformat() if value else None
    for field in DATETIME_FIELDS.get(kind, []):
        value = getattr(page, field)
        data[field] = timezone.localtime(value).isoformat() if value else None
    for field in MINUTES_FIELDS.get(kind, []):
        data[field] = getattr(page, field)
    for field in DURATION_FIELDS.get(kind, []):
        data[field] = clock_text(getattr(page, field))
    for field in MEDIA_FIELDS.get(kind, {}):
        data[field] = getattr(page, field)
    owner = page.content_owner
    data["owner"] = (
        {"name": owner.name, "unit": owner.unit, "email": owner.email, "phone": owner.phone}
        if owner
        else None
    )

    def values(stream_value):
        return [dict(block["value"]) for block in stream_value.raw_data]

    if kind == "procedure":
        data["steps"] = values(page.steps)
        data["references"] = values(page.references)
        attachments = values(page.attachments)
        documents = get_document_model().objects.in_bulk([a.get("document") for a in attachments])
        data["attachments"] = [
            {"document": documents[a["document"]], "title": a.get("title", "")}
            for a in attachments
            if a.get("document") in documents
        ]
    elif kind == "recommendation":
        data["responsibilities"] = values(page.responsibilities)
        data["parties"] = [{"name": p.name, "description": p.description} for p in page.parties.all()]
    elif kind == "topic":
        data["topic"] = page.topic.slug
        data["key_pages"] = page.chosen_key_pages(published_only=False)
        data["contacts"] = values(page.contacts)
    elif kind == "good_example":
        data["result_figures"] = values(page.result_figures)
        data["partners"] = page.partner_list()
        data["contact"] = {
            "name": page.contact_name,
            "role": page.contact_role,
            "email": page.contact_email,
            "phone": page.contact_phone,
        }
        data["images"] = [
            {"image": item.image, "caption": item.caption} for item in page.gallery_images.all()
        ]
    return data
