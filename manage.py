#!/usr/bin/env python
"""Django's command-line utility for Kompetanseportalen."""

import os
import sys
from pathlib import Path

# The project configuration lives in site/, which is put on the path so that its modules are
# imported by their own names (settings, urls, wsgi). The standard library already owns the
# module name `site`, so the folder itself is never imported as a package.
sys.path.insert(0, str(Path(__file__).resolve().parent / "site"))

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
