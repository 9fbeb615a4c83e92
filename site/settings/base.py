"""Settings shared by every environment. Safe by default: DEBUG off, secrets from the environment."""

from pathlib import Path

import dj_database_url

from .env import env_bool, env_int, env_list, env_str

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

DEBUG = env_bool("DEBUG", False)
# base.py never invents a secret: dev and test settings provide their own, production requires one.
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "core",
    "kompetanse",
    "editorial",
    "search",
    "reuse",
    "lifecycle",
    "newsletter",
    # Above every other app: the demo portal (load_demo) fills all of them.
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    # Wagtail's admin writes times with humanize's formatter («nå», «et sekund siden»); the app's
    # Norwegian catalog is loaded only when it is installed.
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous readers' pages from the cache, before the session is read (core/pagecache.py).
    "core.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Editors' changes reach the search index once per page, when the request is done.
    "search.middleware.IndexBatchMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "editorial.middleware.EditorialAccessMiddleware",
    "core.throttle.LoginThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Cache-Control for published pages served to anonymous readers (kompetanse/caching.py).
    "kompetanse.caching.PublicPageCacheMiddleware",
]

ROOT_URLCONF = "urls"
WSGI_APPLICATION = "wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# The embedded default is SQLite in a file beside the project; DATABASE_URL selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several app processes share the file: with write-ahead logging readers keep reading while
    # a writer works (a publish, or a search index rebuild in one transaction), and writers wait
    # up to `timeout` seconds for each other instead of failing at once. synchronous=NORMAL is
    # SQLite's advice for WAL: commits skip an fsync, the file cannot be corrupted, and only a
    # power cut (not a crashed process) can lose the last commits.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# No framing; Wagtail's preview views allow their own admin frame themselves.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Admin login throttle (core/throttle.py): failures per client address and user name, and per
# client address whatever the name, within the window.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_ADDRESS_LIMIT = env_int("LOGIN_FAILURE_ADDRESS_LIMIT", 20)
LOGIN_FAILURE_WINDOW = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)
# Password reset e-mails within limits per client address and per e-mail address (core/throttle.py).
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "core.throttle.PasswordResetForm"
# Proxies whose X-Forwarded-For names the client (core/ratelimit.py): addresses or networks
# (10.0.0.0/8), comma-separated. Empty: REMOTE_ADDR is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
# Rate limits count in a cache every app process shares: this database table (core migration
# 0001), or Redis when production settings have REDIS_URL. MAX_ENTRIES well above the default
# 300: past it Django's database cache deletes a third of the live counters.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {
        "BACKEND": "core.ratelimit.CounterDatabaseCache",
        "LOCATION": "core_ratelimit_cache",
        "OPTIONS": {"MAX_ENTRIES": 50_000},
    },
    # Whole reader pages (core/pagecache.py), keyed on the content version: per process here,
    # shared in Redis with REDIS_URL (production.py). Entries are 20–60 kB of HTML.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
# How long a cached reader page is kept at most; 0 turns the page cache off. A change retires
# pages at once (the content version); this only bounds the memory of pages nobody asks for.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 3600)

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål")]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("nb", "Norsk bokmål")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("nb", "Norsk bokmål")]
WAGTAIL_USER_TIME_ZONES = ["Europe/Oslo"]
# The project's own bokmål for the Wagtail admin strings Wagtail's nb catalogs lack or get wrong
# (issue #17): LOCALE_PATHS come before every app's catalog. The compiled .mo files are committed
# next to their .po (`msgfmt -o django.mo django.po` in locale/nb/LC_MESSAGES/), so no build step.
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Media on the local disk; a file the disk had no room for is not left behind (core/storage.py).
STORAGES = {
    "default": {"BACKEND": "core.storage.MediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "Kompetanseportalen"
# Approving a page in the workflow counts as a review (lifecycle app): dates move, then it is published.
WAGTAIL_FINISH_WORKFLOW_ACTION = "lifecycle.workflow.publish_approved_workflow_state"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Wagtail's own default avatar, none from Gravatar: the admin loads nothing from third parties (the
# CSP would block it, and each admin page would send Gravatar a hash of the editor's e-mail address).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Office files, and the audio, video and caption files of podcasts and films (kompetanse/mediafiles.py
# checks that a film's or episode's file is what its field needs).
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "doc", "odt", "xlsx", "xls", "ods", "pptx", "txt", "csv"]
WAGTAILDOCS_EXTENSIONS += ["mp3", "m4a", "mp4", "webm", "vtt"]
WAGTAILDOCS_CONTENT_TYPES = {
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "mp4": "video/mp4",
    "webm": "video/webm",
    "vtt": "text/vtt",
}
# Played and shown in the page (<audio>, <video>, <track>), not offered as a download.
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf", *WAGTAILDOCS_CONTENT_TYPES.values()]
# Embedded films: the only third-party frames a page may hold, loaded when the reader asks.
CSP_FRAME_SOURCES = ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]
# Uploads: see core/uploads.py. No SVG (it can carry scripts); Pillow must decode every image.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("IMAGE_MAX_UPLOAD_MB", 10) * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env_int("IMAGE_MAX_MEGAPIXELS", 40) * 1_000_000
# core.uploads.ImageForm's checks, plus required alt text (kompetanse/image_forms.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "kompetanse.image_forms.ImageForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = env_int("DOCUMENT_MAX_UPLOAD_MB", 20) * 1024 * 1024
# Documents are served through Django so that private collections keep their permissions.
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# Wagtail's own search (admin, choosers, the read API) stays on the database: editors never depend
# on a cluster. Wagtail's database backend, taking any query text (search/backends/wagtail_database.py).
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "search.backends.wagtail_database"},
}
# The reader-facing search service (search/) uses Elasticsearch when this is set.
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL")  # one node, or several comma-separated
ELASTICSEARCH_REPLICAS = env_int("ELASTICSEARCH_REPLICAS", 0)
# The alias readers search; several portals (or test runs) can share a cluster under other names.
ELASTICSEARCH_INDEX = env_str("ELASTICSEARCH_INDEX", "kompetanse-sok")

# Work that can wait runs as a task (search/tasks.py, lifecycle/tasks.py, reuse/tasks.py, and
# Wagtail's own): in a queue in the database that survives restarts, run by the `worker` process
# (Procfile, docs/deployment.md). TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend
# runs each task at once in the process that enqueues it instead: no worker, but no retries.
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.backend.DatabaseBackend")}}

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Kompetanseportalen <ikke-svar@kompetanseportalen.no>")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Task and page-action logs are recorded in the admin's history; keep the console quiet.
        "django_tasks": {"level": env_str("TASKS_LOG_LEVEL", "WARNING")},
        "wagtail": {"level": env_str("WAGTAIL_LOG_LEVEL", "WARNING")},
    },
}
