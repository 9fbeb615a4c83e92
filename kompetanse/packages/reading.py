"""Importing content packages (the ``kompetanse-package`` format) into the page tree.

Version 1 is a JSON file with the main fields; version 2 (see docs/content-package.md) carries
every structured field, StreamField bodies, taxonomy, provenance and license, and comes as a zip
file with the images and documents it refers to.

A package is checked in full before anything is written, and written in one transaction, so a
bad package imports nothing (and leaves no stray media files). Re-importing an item with the same
uid updates its page, in the community it is in: an import never moves a page to another one.

Who imports decides what is written (docs/content-package.md, «Hvem importen skriver som»): an
import from the admin writes as its user, only where Wagtail's page permissions let that user add
pages, publishing where the user may publish and otherwise submitting to the community's
workflow, and never creates a community. The command line is the administrator's tool: it
writes anywhere, creates missing communities and publishes directly.
"""

import json
import sys
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils.text import slugify
from wagtail.fields import StreamField

from kompetanse import registry
from kompetanse.communities import ensure_community, listing_for
from kompetanse.community_scope import introduction_policy
from kompetanse.models import (
    CENTRAL_SLUG,
    CommunityHomePage,
    KnowledgePage,
    TargetGroup,
    Topic,
    TopicIntroduction,
    TopicPage,
)
from kompetanse.models.community import LICENSE_CHOICES
from kompetanse.models.topics import KEY_KINDS
from kompetanse.packages.bulk import deferred_index_updates, deferred_log_entries, log_later
from kompetanse.packages.mapping import (
    MEDIA_FIELD_KINDS,
    PARENT_ITEM_KEYS,
    apply_data,
    clean_rich_text,
    content_model,
    vocabulary_read_once,
)
from kompetanse.packages.media import (
    MediaStore,
    PackageFiles,
    PackageFolder,
    check_media,
    document_refs,
    media_refs,
    package_limits,
    resolve_refs,
    size_text,
)
from kompetanse.packages.schema import MAX_NESTING, OWN_UID_PREFIX, PackageError, check_against_schema
from kompetanse.packages.tree import Appenders, first_free, slug_base
from kompetanse.pagetree import insert_live
from kompetanse.signals import page_imported

V1_KEYS = {"uid", "type", "community", "title", "summary", "body", "target_groups", "topics", "next_review"}
# Keys of an item that are not page fields.
META_KEYS = {"uid", "type", "community", "license", "provenance", "series"}


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    published: list = field(default_factory=list)
    # Saved as a draft revision and submitted to the community's workflow.
    submitted: list = field(default_factory=list)
    # Saved as a draft revision in a community without a workflow.
    drafts: list = field(default_factory=list)
    # Communities the command line created (the admin never creates one).
    created_communities: list = field(default_factory=list)
    # Communities' introductions to topic pages, created or updated.
    introductions: list = field(default_factory=list)

    @property
    def total(self):
        return len(self.created) + len(self.updated)


def read_package(raw):
    """Parse package bytes or text into a dict, or raise PackageError."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PackageError("Filen er ikke UTF-8-kodet tekst.") from exc
    too_deep = (
        f"Filen kan ikke importeres: lister og objekter er nestet for dypt (høyst {MAX_NESTING} nivåer)."
    )
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise PackageError(f"Filen er ikke gyldig JSON (linje {exc.lineno}, kolonne {exc.colno}).") from exc
    except RecursionError as exc:
        raise PackageError(too_deep) from exc
    except ValueError as exc:
        # Python refuses to read integers longer than sys.get_int_max_str_digits().
        raise PackageError(
            f"Filen kan ikke importeres: et tall har for mange sifre (høyst {sys.get_int_max_str_digits()})."
        ) from exc
    if _nesting(data) > MAX_NESTING:
        raise PackageError(too_deep)
    return data


def _nesting(data):
    """How deeply lists and objects nest in parsed JSON, counted without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (list, dict)):
            deepest = max(deepest, depth)
            if deepest > MAX_NESTING:
                break
            stack.extend(
                (entry, depth + 1) for entry in (value.values() if isinstance(value, dict) else value)
            )
    return deepest


def validate_package(data, *, community=None):
    """Check the whole package; return the list of cleaned items. Raises PackageError.

    The shape is the schema's (schema.json); this adds what only the portal knows: its target
    groups, uids repeated within the package, and references to the package's own images and
    documents. `community` (a slug) puts every item into that community, whatever the package says.
    """
    if community is not None and (not isinstance(community, str) or slugify(community) != community):
        raise PackageError(f"«{community}» er ikke et gyldig kortnavn for et helsefellesskap.")
    if community is not None and isinstance(data, dict) and isinstance(data.get("items"), list):
        data = {
            **data,
            "items": [
                {**item, "community": community} if isinstance(item, dict) else item for item in data["items"]
            ],
        }
    check_against_schema(data)
    known_groups = set(TargetGroup.objects.values_list("slug", flat=True))
    seen = {}
    cleaned = []
    for index, item in enumerate(data["items"]):
        uid = item["uid"].strip()

        def fail(message, uid=uid, index=index):
            raise PackageError(message, index=index, uid=uid)

        if uid in seen:
            fail(f"uid-en finnes allerede i element {seen[uid] + 1}.")
        seen[uid] = index
        unknown = [slug for slug in item.get("target_groups", []) if slug not in known_groups]
        if unknown:
            fail(f"ukjent målgruppe «{unknown[0]}»; gyldige er {', '.join(sorted(known_groups))}.")
        if data["version"] == 1:
            item = {key: item[key] for key in V1_KEYS if key in item}
        else:
            problem = _missing_reference(item, data.get("images") or {}, data.get("documents") or {})
            if problem:
                fail(problem)
        cleaned.append(
            {
                **item,
                "uid": uid,
                "title": item["title"].strip(),
                "topics": [slugify(slug) for slug in item.get("topics", [])],
            }
        )
    return cleaned


def _missing_reference(item, images, documents):
    """A version 2 item's first reference to an image or document the package does not have."""
    for entry in item.get("attachments", []):
        if entry["document"] not in documents:
            return f"vedlegget viser til dokumentet «{entry['document']}», som ikke finnes i pakken."
    for entry in item.get("images", []):
        if entry["image"] not in images:
            return f"bildet «{entry['image']}» finnes ikke i pakken."
    for key, media in MEDIA_FIELD_KINDS.items():
        ref = item.get(key)
        if ref and ref not in (images if media == "image" else documents):
            return f"«{key}» viser til «{ref}», som ikke finnes i pakken."
    for block_type, value in item["body"] if isinstance(item.get("body"), list) else []:
        if block_type == "image":
            ref = value.get("image") if isinstance(value, dict) else None
            if ref not in images:
                return f"et bilde i «body» viser til «{ref}», som ikke finnes i pakken."
    for ref in document_refs(item):
        if ref not in documents:
            return f"en lenke viser til dokumentet «{ref}», som ikke finnes i pakken."
    return None


def open_package(fileobj, name=""):
    """Read a package from a .json or .zip file object: returns (data, files or None)."""
    head = fileobj.read(4)
    fileobj.seek(0)
    if name.lower().endswith(".zip") or head.startswith(b"PK"):
        files = PackageFiles(fileobj)
        if "content.json" not in files:
            raise PackageError("Zip-filen mangler «content.json».")
        return read_package(files.read("content.json")), files
    limit = package_limits()["file"]
    raw = fileobj.read(limit + 1)
    if len(raw) > limit:
        raise PackageError(f"Filen er for stor (høyst {size_text(limit)}).")
    return read_package(raw), None


def open_package_folder(path):
    """Read a package kept as a folder with ``content.json``: returns (data, files)."""
    files = PackageFolder(path)
    if "content.json" not in files:
        raise PackageError("Mappen mangler «content.json».")
    return read_package(files.read("content.json")), files


def _validate_streams(page):
    """StreamField content is only checked by forms; check it here as the editor would."""
    for model_field in page._meta.concrete_fields:
        if isinstance(model_field, StreamField):
            try:
                model_field.stream_block.clean(getattr(page, model_field.name))
            except ValidationError as exc:
                raise ValueError(f"ugyldig innhold i «{model_field.name}»: {_error_text(exc)}") from exc


def _error_text(exc):
    if hasattr(exc, "block_errors") or hasattr(exc, "as_json_data"):
        try:
            return json.dumps(exc.as_json_data(), ensure_ascii=False)
        except Exception:
            pass
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{key}: {' '.join(messages)}" for key, messages in exc.message_dict.items())
    return " ".join(exc.messages)


def import_package(data, *, progress=None, community=None, files=None, user=None):
    """Validate and import a parsed package, all or nothing; returns an ImportResult.

    `community` (a slug) overrides the items' communities; `files` holds a zip package's files.
    `user` is the admin's user, whom the import writes as: only into existing communities, only
    where Wagtail lets the user add (or edit) the page, published where the user may publish and
    otherwise submitted to the community's workflow. Without a user it is the command line's
    import, the administrator's tool: it creates missing communities and publishes directly.
    """
    items = validate_package(data, community=community)
    media = check_media(data, files) if data["version"] == 2 else {}
    existing = existing_pages([item["uid"] for item in items])
    homes = _check_targets(items, existing, user)
    create_topics = user is None or user.has_perm("kompetanse.add_topic")
    if not create_topics:
        _check_topics(items)
    result = ImportResult()
    created_files = []
    try:
        # Work per page that can wait (the search app indexes each page, Wagtail its admin search
        # and reference index) is done once, at the end, inside the same transaction
        # (kompetanse.registry.bulk_writes, kompetanse.packages.bulk).
        with (
            transaction.atomic(),
            registry.bulk_writes(),
            deferred_index_updates(),
            deferred_log_entries(),
            vocabulary_read_once(),
        ):
            if data["version"] == 2 and create_topics:
                _create_topics(data)
            if user is None:
                _ensure_communities(data, items, homes, result)
            store = MediaStore(media, user, created_files)
            listings = {}
            # New pages are appended under their listings with the tree's facts read once per
            # listing (kompetanse.packages.tree).
            appenders = Appenders()
            pages_by_uid = dict(existing)
            for index, item in enumerate(items):
                home = homes[item["community"]]
                try:
                    if data["version"] == 2:
                        item = resolve_refs(item, {ref: store.get(ref, home) for ref in media_refs(item)})
                    key = (home.pk, item["type"])
                    if key not in listings:
                        listings[key] = listing_for(home, item["type"])
                    parent = _parent_item_page(item, pages_by_uid, home) or listings[key]
                    pages_by_uid[item["uid"]] = _import_item(
                        item, existing.get(item["uid"]), parent, result, data, user, create_topics, appenders
                    )
                except (ValueError, ValidationError) as exc:
                    message = str(exc) if isinstance(exc, ValueError) else f"ugyldig felt: {_error_text(exc)}"
                    raise PackageError(message, index=index, uid=item["uid"]) from exc
                if progress is not None:
                    progress(index + 1, len(items))
            appenders.finish()
            result.introductions = import_introductions(data, user, store)
    except BaseException:
        # The database rolled back; the files written for it must go as well.
        for storage, name in created_files:
            storage.delete(name)
        raise
    return result


def _parent_item_page(item, pages_by_uid, home):
    """The page an item goes under when it is not its listing (an episode's series), or None."""
    key = PARENT_ITEM_KEYS.get(item["type"])
    if key is None:
        return None
    parent = pages_by_uid.get(item.get(key))
    if parent is None:
        parent = existing_pages([item.get(key)]).get(item.get(key))
    if parent is None or not content_model(item["type"]).can_create_at(parent):
        raise ValueError(
            f"«{key}» viser til «{item.get(key)}», som verken står før i pakken eller finnes i portalen "
            "som en side episoden kan ligge under."
        )
    if parent.community is None or parent.community.pk != home.pk:
        raise ValueError(f"«{key}» viser til en side i et annet helsefellesskap.")
    return parent


def existing_pages(uids):
    """{uid: page} for the uids that name a page here: one imported with that uid, or one of this
    portal's own pages that an export wrote as ``kp-<translation key>`` (writing.page_uid), so
    that a page exported and imported again is updated, not copied."""
    found = {page.import_uid: page for page in KnowledgePage.objects.filter(import_uid__in=uids).specific()}
    keys = {}
    for uid in uids:
        if uid not in found and uid.startswith(OWN_UID_PREFIX):
            try:
                keys[uuid.UUID(uid.removeprefix(OWN_UID_PREFIX))] = uid
            except ValueError:
                continue
    own = KnowledgePage.objects.filter(translation_key__in=keys, import_uid__isnull=True).order_by("pk")
    for page in own.specific() if keys else []:
        found.setdefault(keys[page.translation_key], page)
    return found


def _check_targets(items, existing, user):
    """Before anything is written: each item goes where the rules let it (see import_package).
    Returns {slug: community home} for the items' communities that exist."""
    slugs = {item["community"] for item in items}
    homes = {home.slug: home for home in CommunityHomePage.objects.filter(slug__in=slugs)}
    for index, item in enumerate(items):
        problem = _target_problem(item, existing.get(item["uid"]), homes.get(item["community"]), user)
        if problem:
            raise PackageError(problem, index=index, uid=item["uid"])
    return homes


def _target_problem(item, page, home, user):
    """Why an item may not be written into its community (`home`, None if missing), or None."""
    if item["type"] == "topic" and item["community"] != CENTRAL_SLUG:
        return (
            f"temasider hører til den sentrale redaksjonen: «community» må være «{CENTRAL_SLUG}», "
            f"ikke «{item['community']}»."
        )
    if page is not None:
        if page.content_kind != item["type"]:
            return f"siden med denne uid-en er av typen «{page.content_kind}», ikke «{item['type']}»."
        current = page.community
        if current is None or home is None or current.pk != home.pk:
            where = current.title if current is not None else "et annet sted i portalen"
            return (
                f"en side med denne uid-en finnes allerede i {where}. En import flytter ikke sider "
                "mellom helsefellesskap."
            )
    if user is None:
        return None
    if home is None:
        return (
            f"helsefellesskapet «{item['community']}» finnes ikke. Importen oppretter ikke "
            "helsefellesskap; en administrator kan opprette det først."
        )
    try:
        listing = listing_for(home, item["type"])
    except ObjectDoesNotExist:
        return f"{home.title} mangler listesiden for denne typen."
    if page is None:
        if not listing.permissions_for_user(user).can_add_subpage():
            return f"du har ikke tillatelse til å legge til sider i {home.title} («{listing.title}»)."
        return None
    permissions = page.permissions_for_user(user)
    if not permissions.can_edit():
        return f"du har ikke tillatelse til å endre siden «{page.title}» i {home.title}."
    if permissions.page_locked():
        return f"siden «{page.title}» i {home.title} er låst og kan ikke endres nå."
    return None


def _check_topics(items):
    """For a user who may not add to the shared vocabulary: every topic must exist."""
    known = set(Topic.objects.values_list("slug", flat=True))
    for index, item in enumerate(items):
        unknown = [slug for slug in item.get("topics", []) if slug not in known]
        if unknown:
            raise PackageError(
                f"ukjent fagområde «{unknown[0]}». Bare den sentrale redaksjonen kan legge til fagområder.",
                index=index,
                uid=item["uid"],
            )


def _create_topics(data):
    """Topics keep their names from the package."""
    topics = data.get("topic_names") or {}
    if isinstance(topics, dict):
        for slug, info in topics.items():
            slug = slugify(slug)
            if slug and isinstance(info, dict) and isinstance(info.get("name"), str):
                if (
                    not Topic.objects.filter(slug=slug).exists()
                    and not Topic.objects.filter(name=info["name"]).exists()
                ):
                    Topic.objects.create(
                        slug=slug, name=info["name"][:150], description=info.get("description") or ""
                    )


def _ensure_communities(data, items, homes, result):
    """The command line only: a community the package brings is created with its name and license
    (with no editorial team); an existing one keeps its own and gets any missing listing."""
    communities = data.get("communities") or {}
    for slug in dict.fromkeys(item["community"] for item in items):
        if slug in homes:
            homes[slug] = ensure_community(slug)
            continue
        info = communities.get(slug) if isinstance(communities, dict) else None
        info = info if isinstance(info, dict) else {}
        fields = {}
        if isinstance(info.get("short_name"), str):
            fields["short_name"] = info["short_name"][:80]
        if info.get("license") in {key for key, _ in LICENSE_CHOICES}:
            fields["license"] = info["license"]
        name = info.get("title") if isinstance(info.get("title"), str) and info["title"].strip() else None
        homes[slug] = ensure_community(slug, name, **fields)
        result.created_communities.append(homes[slug])


def _import_item(item, page, listing, result, package, user, create_topics, appenders):
    kind = item["type"]
    fields = {key: value for key, value in item.items() if key not in META_KEYS}
    fields.pop("slug", None)
    if "key_pages" in fields:
        fields["key_pages"] = key_pages_for_uids(fields["key_pages"])
    if page is None:
        appender = appenders.for_parent(listing)
        page = content_model(kind)(
            slug=appender.free_slug(item.get("slug") or item["title"]),
            import_uid=item["uid"],
            live=False,
            owner=user,
        )
        apply_data(page, kind, fields, create_topics=create_topics)
        _validate_streams(page)
        result.created.append(page)
        if user is None or listing.permissions_for_user(user).can_publish_subpage():
            _create_published(page, appender, user)
            result.published.append(page)
        else:
            appenders.release(listing)  # add_child reads the listing's last child itself
            listing.add_child(instance=page)
            page.save_revision(user=user, log_action=True, clean=False)
            _submit(page, user, result)
    else:
        apply_data(page, kind, fields, create_topics=create_topics)
        _validate_streams(page)
        result.updated.append(page)
        revision = page.save_revision(user=user, log_action=user is not None)
        if user is None or page.permissions_for_user(user).can_publish():
            revision.publish(user=user)
            result.published.append(page)
        else:
            _submit(page, user, result)
    # The reuse app keeps where a version 2 item came from (reuse.provenance).
    page_imported.send(sender=KnowledgePage, page=page, item=item, package=package)
    return page


def _create_published(page, appender, user):
    """A new page, created live with its one revision (kompetanse.pagetree.insert_live), as the
    listing's last child (``tree.Appender``: as ``add_child``, checked, saved, «wagtail.create»
    logged), its log entries written with the import's others at its end (``bulk.log_later``).
    tests/kompetanse/test_import_speed.py and bench/import_bench.py put Wagtail's own three saves
    in its place to compare."""
    insert_live(page, appender.insert, user, log_entry=log_later)


def _submit(page, user, result):
    """The draft goes to the community's workflow, as «Send til godkjenning» in the editor does."""
    workflow = page.get_workflow()
    if workflow is None:
        result.drafts.append(page)
        return
    state = page.current_workflow_state
    if state is not None and state.status == state.STATUS_NEEDS_CHANGES:
        state.resume(user)
    else:
        if state is not None:
            state.cancel(user=user)
        workflow.start(page, user)
    result.submitted.append(page)


def key_pages_for_uids(uids):
    """A topic page's key pages from their uids, in order: pages already in the portal or earlier
    in the package. Raises ValueError for one that is neither, or of another kind."""
    found = existing_pages(uids)
    pages = []
    for uid in uids:
        page = found.get(uid)
        if page is None:
            raise ValueError(
                f"fant ikke nøkkelsiden «{uid}». En nøkkelside må finnes i portalen eller stå før temasiden i pakken."
            )
        if page.content_kind not in KEY_KINDS:
            raise ValueError(
                f"nøkkelsiden «{uid}» er av typen «{page.content_kind}»; nøkkelsider er prosedyrer, "
                "samarbeidsanbefalinger og gode eksempler."
            )
        pages.append(page)
    return pages


def import_introductions(data, user, store):
    """The package's communities' introductions to topic pages (``topic_introductions``), after its
    pages: each replaces the community's earlier one for that topic. From the admin, only into the
    user's own communities (kompetanse.community_scope), as in the admin's own form."""
    written = []
    for index, entry in enumerate(data.get("topic_introductions") or []):
        where = f"Lokal innledning {index + 1} (fagområde «{entry['topic']}», «{entry['community']}»)"
        home = CommunityHomePage.objects.filter(slug=entry["community"]).exclude(slug=CENTRAL_SLUG).first()
        if home is None:
            raise PackageError(f"{where}: helsefellesskapet finnes ikke.")
        topic_page = TopicPage.objects.filter(topic__slug=entry["topic"]).first()
        if topic_page is None:
            raise PackageError(f"{where}: fagområdet har ingen temaside.")
        if (
            user is not None
            and not introduction_policy.communities(user, "change").filter(pk=home.pk).exists()
        ):
            raise PackageError(f"{where}: du har ikke tillatelse til å skrive innledninger for {home.title}.")
        try:
            entry = resolve_refs(entry, {ref: store.get(ref, home) for ref in media_refs(entry)})
            text = clean_rich_text(entry["text"])
        except KeyError as exc:
            raise PackageError(f"{where}: pakken har ikke dokumentet {exc}.") from exc
        except ValueError as exc:
            raise PackageError(f"{where}: {exc}") from exc
        if not text:
            raise PackageError(f"{where}: teksten er tom.")
        introduction, _ = TopicIntroduction.objects.update_or_create(
            topic_page=topic_page, community=home, defaults={"text": text}
        )
        written.append(introduction)
    return written


def free_slug(parent, text):
    """A slug from ``text`` that no child of ``parent`` has yet (``-2``, ``-3``… added)."""
    base = slug_base(text)
    siblings = parent.get_children()
    return first_free(base, set(siblings.filter(slug__startswith=base).values_list("slug", flat=True)))
