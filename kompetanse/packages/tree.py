"""New pages appended under their listings in an import, without treebeard's work per page.

Wagtail creates a page with treebeard's ``add_child``, which for every page locks the parent's
row, reads its last child, raises its ``numchild`` by one and saves the page, whose ``full_clean``
then looks the parent's locale up and checks with one query each that the path, the translation
key and the import uid are unique and that each foreign key exists. In an import of thousands of
pages into a few listings that was a dozen queries a page, for facts the import knows already.

An ``Appender`` does that work once per parent and import: it locks the parent's row, reads the
last child's position and the children's slugs once, gives each new page the next path
(treebeard's own ``_get_path``: MP_Node paths are ``steplen`` characters of ``alphabet`` per
level, and treebeard has no API that hands out several at once), and raises ``numchild`` once, by
the number of pages added, when the import finishes (``Appenders.finish``, inside the import's
transaction). Everything else is Wagtail's: the page is checked with its own ``full_clean`` (its
fields, its ``clean()`` with Wagtail's sibling-slug check) and saved with ``Page.save``, which sets
``url_path`` and ``draft_title``; «wagtail.create» is logged as ``add_child``'s save logs it (by the
page's owner), with the import's other entries (``bulk.log_later``).

tests/kompetanse/test_import_speed.py checks the result against ``add_child``'s and that
treebeard's ``find_problems`` finds nothing afterwards.
"""

from django.db.models import F
from django.db.models.fields.related import ForeignKey
from django.utils.text import slugify
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from treebeard.exceptions import PathOverflow
from wagtail.models import Page

from kompetanse.packages.bulk import log_later


def slug_base(text):
    """The slug a page's text gives before any ``-2``, ``-3``… (``free_slug``)."""
    return slugify(text)[:200] or "side"


def first_free(base, taken):
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


class Appender:
    """Appends new pages as the last children of one parent page (see the module)."""

    def __init__(self, parent):
        self.parent = parent
        # treebeard's add_child locks the parent's row for each page; this holds it for the import.
        locked = Page.objects.select_for_update().only("path", "depth", "numchild").get(pk=parent.pk)
        last = locked.get_last_child()
        self.position = last._get_lastpos_in_path() if last is not None else 0
        self.slugs = set(locked.get_children().values_list("slug", flat=True))
        self.added = 0

    def free_slug(self, text):
        """As ``free_slug``: a slug no child of the parent has yet, from the slugs read once."""
        return first_free(slug_base(text), self.slugs)

    def insert(self, page):
        """Check and save ``page`` (new, live) as the parent's last child."""
        parent = self.parent
        position = self.position + 1
        if position >= len(Page.alphabet) ** Page.steplen:
            raise PathOverflow(f"Siden «{parent.title}» kan ikke få flere undersider.")
        page.depth = parent.depth + 1
        page.path = Page._get_path(parent.path, page.depth, position)
        page._cached_parent_obj = parent  # as add_child leaves it: set_url_path reads it
        if page.locale_id is None:
            page.locale_id = parent.locale_id  # Page.get_default_locale: the parent's locale
        # Unique checks are left out: the path is the next free one under the locked parent, the
        # translation key a new uuid, and the import uid new (existing_pages, validate_package).
        # Foreign keys that point to saved objects, and the parent's locale, exist: Django would
        # read each back. Every other field and the page's clean() are checked as Wagtail does.
        page.full_clean(exclude=_known_relations(page), validate_unique=False)
        held = _relations_in_memory(page)
        # modelcluster's save writes a many-to-many relation by reading the page's rows (a new
        # page has none) and Django's add() reading them again before its insert: three queries
        # per relation. A new page's rows are inserted here instead, one insert per relation; the
        # relations are taken out of modelcluster's pending changes (the dict commit() reads), so
        # its save leaves them alone. No receiver of m2m_changed is involved (there is none).
        # A page type with a save() of its own may set relations there (TopicPage sets its
        # topics): its relations go through modelcluster's save as before.
        pending = getattr(page, "_cluster_related_objects", {})
        many_to_many = get_all_child_m2m_relations(page) if type(page).save is Page.save else []
        for model_field in many_to_many:
            pending.pop(model_field.name, None)
        page.save(clean=False, log_action=None)
        for model_field in many_to_many:
            _insert_many_to_many(page, model_field, held[model_field.name])
        # modelcluster writes the child objects and forgets them: the revision that follows would
        # read each relation back (serializable_data). They are what was just written, held again.
        for name, values in held.items():
            setattr(page, name, values)
        # «wagtail.create», as Page.save logs it for a new page (by its owner), written with the
        # import's other log entries (bulk.log_later); log_action=None above kept save from it.
        log_later(page, "wagtail.create", user=page.owner, content_changed=True)
        self.position = position
        self.slugs.add(page.slug)
        self.added += 1
        return page

    def finish(self):
        """Raise the parent's ``numchild`` by the pages added (one UPDATE, as add_child's F())."""
        if self.added:
            Page.objects.filter(pk=self.parent.pk).update(numchild=F("numchild") + self.added)
            self.parent.numchild += self.added
            self.added = 0


def _relations_in_memory(page):
    """The page's child objects and many-to-many values as modelcluster holds them before a save."""
    names = [relation.get_accessor_name() for relation in get_all_child_relations(page)]
    names += [model_field.name for model_field in get_all_child_m2m_relations(page)]
    return {name: list(getattr(page, name).all()) for name in names}


def _insert_many_to_many(page, model_field, targets):
    through = model_field.remote_field.through
    source, target = model_field.m2m_field_name(), model_field.m2m_reverse_field_name()
    target_ids = dict.fromkeys(obj.pk for obj in targets)  # once each, in order, as add() does
    through.objects.bulk_create(
        [through(**{f"{source}_id": page.pk, f"{target}_id": target_id}) for target_id in target_ids]
    )


def _known_relations(page):
    names = ["locale"]
    for model_field in page._meta.concrete_fields:
        if isinstance(model_field, ForeignKey) and model_field.is_cached(page):
            target = model_field.get_cached_value(page)
            if target is not None and target.pk is not None and not target._state.adding:
                names.append(model_field.name)
    return names


class Appenders:
    """One ``Appender`` per parent page, for one import."""

    def __init__(self):
        self._by_parent = {}

    def for_parent(self, parent):
        appender = self._by_parent.get(parent.pk)
        if appender is None:
            appender = self._by_parent[parent.pk] = Appender(parent)
        return appender

    def release(self, parent):
        """Before anything else adds a child to ``parent`` (``add_child``): write ``numchild`` and
        forget the positions read, so that the next page reads them again."""
        appender = self._by_parent.pop(parent.pk, None)
        if appender is not None:
            appender.finish()

    def finish(self):
        for appender in self._by_parent.values():
            appender.finish()
        self._by_parent.clear()
