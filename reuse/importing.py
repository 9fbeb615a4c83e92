"""Large imports from the admin run as a background task, with their progress for the admin.

For a package of ``BACKGROUND_FROM_ITEMS`` items or more, «Importer innhold» keeps the upload in
a ``PackageImport`` and enqueues ``run_package_import`` when that row is committed; the editor is
sent to a page that asks for the progress (``progress()``) every few seconds. The import itself is ``import_package``, all or
nothing, in one transaction: nothing it writes is visible to other connections before it
commits, so how far it has come is kept in the cache, not in the database. With a cache shared by
the web and worker processes (Redis, ``REDIS_URL``) the admin shows the count as it goes; with a
cache per process it shows that the import is running, and the outcome when it is done.
"""

import io

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from core.background import enqueue_on_commit
from kompetanse.packages import PackageError, import_package, open_package
from reuse.models import PackageImport

# Packages with at least this many items are imported in the background; smaller ones in the
# request, as before (their outcome is shown at once).
BACKGROUND_FROM_ITEMS = 200
# How long a count is kept after the last update (a worker that dies leaves no count forever).
PROGRESS_SECONDS = 60 * 60


def _key(pk):
    return f"reuse:package-import:{pk}"


def in_background(data):
    items = data.get("items") if isinstance(data, dict) else None
    return isinstance(items, list) and len(items) >= BACKGROUND_FROM_ITEMS


def start(upload, community, user):
    """Keep the uploaded package and queue its import; returns the PackageImport."""
    upload.seek(0)
    record = PackageImport.objects.create(
        user=user, file_name=upload.name[:255], community=community or "", package=upload.read()
    )
    enqueue_on_commit(run_package_import, record.pk)
    return record


def progress(record):
    """{"status", "label", "done", "total", "finished", "summary", "error"} for the admin page."""
    done, total = 0, record.total
    if record.status == PackageImport.STATUS_RUNNING:
        done, total = cache.get(_key(record.pk), (0, record.total))
    elif record.status == PackageImport.STATUS_DONE:
        done = total
    return {
        "status": record.status,
        "label": record.get_status_display(),
        "done": done,
        "total": total,
        "finished": record.finished,
        "summary": record.summary,
        "error": record.error,
    }


def summary_text(result):
    parts = [f"Importert: {len(result.created)} nye og {len(result.updated)} oppdaterte sider."]
    if result.published:
        parts.append(f"Publisert: {len(result.published)}.")
    if result.submitted:
        parts.append(f"Sendt til godkjenning, ikke publisert ennå: {len(result.submitted)}.")
    if result.drafts:
        parts.append(f"Lagret som utkast, ikke publisert: {len(result.drafts)}.")
    return " ".join(parts)


@task()
def run_package_import(import_id):
    """Import the package kept in PackageImport ``import_id`` as its user, all or nothing."""
    record = PackageImport.objects.filter(pk=import_id, status=PackageImport.STATUS_QUEUED).first()
    if record is None:  # run already (a task may run twice)
        return {"skipped": "not queued"}
    record.status = PackageImport.STATUS_RUNNING
    record.save(update_fields=["status"])
    step = None

    def report(done, total):
        nonlocal step
        step = step or max(1, total // 100)
        if done % step == 0 or done == total:
            cache.set(_key(record.pk), (done, total), PROGRESS_SECONDS)

    try:
        data, files = open_package(io.BytesIO(bytes(record.package)), record.file_name)
        record.total = len(data.get("items") or []) if isinstance(data, dict) else 0
        record.save(update_fields=["total"])
        result = import_package(
            data, community=record.community or None, files=files, user=record.user, progress=report
        )
    except PackageError as exc:
        record.status, record.error = PackageImport.STATUS_FAILED, f"Ingenting ble importert. {exc}"
    except Exception:
        # Rolled back like any failed import; the editor is told, and the task fails with the trace.
        _finish(
            record,
            PackageImport.STATUS_FAILED,
            error="Ingenting ble importert. Importen stoppet på grunn av en feil i portalen; "
            "kontakt en administrator.",
        )
        raise
    else:
        record.status, record.summary = PackageImport.STATUS_DONE, summary_text(result)
    _finish(record, record.status)
    return {"status": record.status}


def _finish(record, status, error=None):
    record.status = status
    if error is not None:
        record.error = error
    record.package = b""  # read; not kept
    record.finished_at = timezone.now()
    record.save(update_fields=["status", "error", "summary", "package", "finished_at"])
    cache.delete(_key(record.pk))
