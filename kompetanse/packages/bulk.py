"""Wagtail's own per-save work, done once per object at the end of an import.

Saving a page sends ``post_save`` several times (the tree insert, the revision, the publish), and
for each Wagtail queues (or, with the immediate task backend, runs) an update of its admin search
index (modelsearch) and of its reference index. In an import of thousands of pages that was half
of the time. Inside ``deferred_index_updates()`` each save is only noted; when the block ends
without an error, every object saved in it is written to both indexes once, in bulk, inside the
import's transaction (so a failed import writes nothing, as before).

Wagtail offers a switch for the reference index (``disable_reference_index_auto_update``, a
thread-local), but none for its search index: its receiver is replaced here, once, by one that
notes the object inside the block and calls Wagtail's own receiver everywhere else. The note is
a ``ContextVar``, so other threads and requests are not affected.

``deferred_log_entries()`` does the same for the pages' log entries: Wagtail's ``log()`` saves each
entry at once, and the entry's ``save()`` runs ``full_clean``, which reads its content type, page
and revision back (three queries an entry, three entries a new page), and Wagtail has no bulk way
to log. Inside the block ``log_later`` builds the entry as Wagtail's log manager does and keeps it;
the entries are written with one ``bulk_create`` per model when the block ends without an error.
"""

import threading
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelsearch import index, signal_handlers
from modelsearch.backends import get_search_backends
from wagtail.log_actions import get_active_log_context, log
from wagtail.log_actions import registry as log_registry
from wagtail.models import PageLogEntry, ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

# {(app label, model name): {pk, …}} of the innermost open block; None outside one.
_saved = ContextVar("kompetanse_deferred_index_updates", default=None)
# [log entry, …] of the innermost open deferred_log_entries() block; None outside one.
_log_entries = ContextVar("kompetanse_deferred_log_entries", default=None)
_install_lock = threading.Lock()
_installed = False
# Objects read back and written per query.
CHUNK = 500


def _note(sender, instance, raw=False, **kwargs):
    saved = _saved.get()
    if saved is None or raw:
        return False
    saved.setdefault(sender._meta.label_lower, set()).add(instance.pk)
    return True


def _search_on_save(sender, instance, **kwargs):
    """Wagtail's search index receiver, unless a deferring block notes the object instead."""
    if not _note(sender, instance, **kwargs):
        signal_handlers.post_save_signal_handler(instance=instance, **kwargs)


def _reference_on_save(sender, instance, **kwargs):
    _note(sender, instance, **kwargs)


def _install():
    """Put the receivers in place (once per process, on first use: by then every app is ready)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        for model in index.get_indexed_models():
            if post_save.disconnect(signal_handlers.post_save_signal_handler, sender=model):
                post_save.connect(
                    _search_on_save, sender=model, dispatch_uid=f"kompetanse_search_{model._meta.label_lower}"
                )
        for model in ReferenceIndex.tracked_models:
            post_save.connect(
                _reference_on_save, sender=model, dispatch_uid=f"kompetanse_refs_{model._meta.label_lower}"
            )
        _installed = True


@contextmanager
def deferred_index_updates():
    """Note the objects saved in the block; index each once when it ends (see the module)."""
    if _saved.get() is not None:  # nested: the outermost block writes
        yield
        return
    _install()
    saved = {}
    token = _saved.set(saved)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        _saved.reset(token)
    # Only reached without an exception: a failed block is rolled back and indexes nothing.
    write_indexes(saved)


def _objects(model, pks):
    pks = sorted(pks)
    for start in range(0, len(pks), CHUNK):
        yield from model._default_manager.filter(pk__in=pks[start : start + CHUNK])


def write_indexes(saved):
    """Write the noted objects ({label: pks}) to Wagtail's search and reference indexes."""
    backends = list(get_search_backends(with_auto_update=True))
    references = {}
    for label, pks in saved.items():
        model = apps.get_model(label)
        if backends and model in index.get_indexed_models():
            # As Wagtail's own receiver: only what the model's indexed objects hold.
            indexed = list(model.get_indexed_objects().filter(pk__in=pks))
            _hold_relations(model, indexed, search_only=True)
            for start in range(0, len(indexed), CHUNK):
                for backend in backends:
                    backend.add_bulk(model, indexed[start : start + CHUNK])
        if model in ReferenceIndex.tracked_models:
            for instance in _objects(model, pks):
                instance = _parent(instance)
                if instance is not None and ReferenceIndex.is_indexed(instance._meta.model):
                    references[(instance._meta.label_lower, instance.pk)] = instance
    by_model = {}
    for instance in references.values():
        by_model.setdefault(type(instance), []).append(instance)
    for model, objects in by_model.items():
        for start in range(0, len(objects), CHUNK):
            _hold_relations(model, objects[start : start + CHUNK])
    for instance in references.values():
        ReferenceIndex.create_or_update_for_object(instance)


def _hold_relations(model, objects, search_only=False):
    """Give ``objects`` their many-to-many values (topics, target groups) and, for the reference
    index, their child objects (``ParentalKey`` relations, comments included), in memory.

    modelcluster's managers of these relations do not look at ``prefetch_related``'s rows (which
    ``get_indexed_objects`` asks for): the search backends read a relation once per indexed field
    of each object, and the reference index once per object (nine queries a page here). The rows
    are read once per relation and chunk instead and handed to the objects through modelcluster's
    own assignment, which on a clusterable model only holds them in memory (they are the rows in
    the database already). The objects are read for indexing only and then dropped.
    """
    pks = [obj.pk for obj in objects]
    if not pks:
        return
    if search_only:
        names = {
            field.field_name for field in model.get_search_fields() if isinstance(field, index.RelatedFields)
        }
    for model_field in model._meta.get_fields():
        if isinstance(model_field, ParentalManyToManyField):
            if search_only and model_field.name not in names:
                continue
            through = model_field.remote_field.through
            source, target = model_field.m2m_field_name(), model_field.m2m_reverse_field_name()
            rows = through.objects.filter(**{f"{source}__in": pks}).select_related(target)
            ordering = [_under(target, name) for name in model_field.related_model._meta.ordering]
            by_object = {}
            for row in rows.order_by(*ordering, "pk"):
                by_object.setdefault(getattr(row, f"{source}_id"), []).append(getattr(row, target))
            for obj in objects:
                getattr(obj, model_field.name).set(by_object.get(obj.pk, []))
        elif not search_only and isinstance(getattr(model_field, "remote_field", None), ParentalKey):
            child_model, key = model_field.related_model, model_field.field
            children = child_model._default_manager.filter(**{f"{key.name}__in": pks})
            by_object = {}
            for child in children.order_by(*child_model._meta.ordering, "pk"):
                by_object.setdefault(getattr(child, key.attname), []).append(child)
            for obj in objects:
                setattr(obj, model_field.get_accessor_name(), by_object.get(obj.pk, []))


def _under(relation, ordering):
    return f"-{relation}__{ordering[1:]}" if ordering.startswith("-") else f"{relation}__{ordering}"


def _parent(instance):
    """A child object's references are recorded against its parent (as wagtail.tasks does)."""
    while instance is not None:
        keys = [field for field in instance._meta.get_fields() if isinstance(field, ParentalKey)]
        if not keys:
            return instance
        instance = getattr(instance, keys[0].name)
    return None


@contextmanager
def deferred_log_entries():
    """Keep the log entries ``log_later`` makes in the block; write them when it ends (see the
    module). A failed block is rolled back and writes none."""
    if _log_entries.get() is not None:  # nested: the outermost block writes
        yield
        return
    entries = []
    token = _log_entries.set(entries)
    try:
        yield
    finally:
        _log_entries.reset(token)
    by_model = {}
    for entry in entries:
        by_model.setdefault(type(entry), []).append(entry)
    for model, model_entries in by_model.items():
        model.objects.bulk_create(model_entries, batch_size=CHUNK)


def log_later(instance, action, user=None, **kwargs):
    """Wagtail's ``log()``, kept for the end of a ``deferred_log_entries()`` block inside one."""
    entries = _log_entries.get()
    if entries is None:
        return log(instance=instance, action=action, user=user, **kwargs)
    # As LogActionRegistry.log and the log entry managers' log_action build it.
    model = log_registry.get_log_model_for_instance(instance)
    if model is None:
        return None
    if issubclass(model, PageLogEntry):
        kwargs["page"] = instance
    context = get_active_log_context()
    entry = model(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        label=model.objects.get_instance_title(instance),
        action=action,
        timestamp=kwargs.pop("timestamp", timezone.now()),
        data=kwargs.pop("data", None) or {},
        user=user or context.user,
        uuid=context.uuid,
        **kwargs,
    )
    entry.clean()  # the action is registered, as the entry's save() would check
    entries.append(entry)
    return entry
