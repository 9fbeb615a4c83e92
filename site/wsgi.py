"""WSGI entry point. Run as `gunicorn --pythonpath site wsgi:application`."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.production")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

# What the first search of a new process would otherwise load while a reader waits (core.warmup).
from core import warmup  # noqa: E402

warmup.run()
