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
"""

import threading
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.db.models.signals import post_save
from modelcluster.fields import ParentalKey
from modelsearch import index, signal_handlers
from modelsearch.backends import get_search_backends
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

# {(app label, model name): {pk, …}} of the innermost open block; None outside one.
_saved = ContextVar("kompetanse_deferred_index_updates", default=None)
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
            for start in range(0, len(indexed), CHUNK):
                for backend in backends:
                    backend.add_bulk(model, indexed[start : start + CHUNK])
        if model in ReferenceIndex.tracked_models:
            for instance in _objects(model, pks):
                instance = _parent(instance)
                if instance is not None and ReferenceIndex.is_indexed(instance._meta.model):
                    references[(instance._meta.label_lower, instance.pk)] = instance
    for instance in references.values():
        ReferenceIndex.create_or_update_for_object(instance)


def _parent(instance):
    """A child object's references are recorded against its parent (as wagtail.tasks does)."""
    while instance is not None:
        keys = [field for field in instance._meta.get_fields() if isinstance(field, ParentalKey)]
        if not keys:
            return instance
        instance = getattr(instance, keys[0].name)
    return None
