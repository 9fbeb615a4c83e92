"""Settings for the test suite: fast hashing, in-memory cache and mail, media in a temp folder."""

import atexit
import shutil
import tempfile

from .base import *  # noqa: F403
from .base import CACHES, WAGTAILSEARCH_BACKENDS

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The rate limits keep base's database cache: tests count in the real table, inside each test's
# transaction.
CACHES = {**CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run at once, in the test's own process; tests of the queue itself override this.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="kompetanse-test-media-")
# Each process that loads these settings (the test run, its subprocesses, the benches) makes its
# own folder; it goes when the process ends, so runs do not leave thousands of them in /tmp.
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
STORAGES = {
    "default": {"BACKEND": "core.storage.MediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Wagtail's own search index (the admin's search and choosers) is not written on every save: a
# page built in a test was indexed three times over (create, revision, publish), a quarter of the
# time the suite spends building pages. The tests of the admin's search ask for it with the
# `wagtail_search` marker (tests/conftest.py), which turns it back on for a module.
WAGTAILSEARCH_BACKENDS = {
    name: {**backend, "AUTO_UPDATE": False} for name, backend in WAGTAILSEARCH_BACKENDS.items()
}
