"""Storage that fails the way a full or read-only disk does, for the fault tests.

The operating system's answer is reproduced exactly (an OSError with ENOSPC or EROFS from the
write); a real full disk cannot be made inside the test suite without root and a mount.
"""

import errno
import os
from pathlib import Path

from django.core.files.storage import FileSystemStorage
from django.test import override_settings


class FullDiskStorage(FileSystemStorage):
    failure = errno.ENOSPC

    def _save(self, name, content):
        raise OSError(self.failure, os.strerror(self.failure), self.path(name))


class ReadOnlyDiskStorage(FullDiskStorage):
    failure = errno.EROFS


def media_on(storage_class):
    """Settings under which uploads go to ``storage_class`` (a class of this module)."""
    return override_settings(
        STORAGES={
            "default": {"BACKEND": f"{__name__}.{storage_class.__name__}"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    )


def files_under(root):
    return sorted(str(p.relative_to(root)) for p in Path(root).rglob("*") if p.is_file())


class FillsUpAfterOneFileStorage(FileSystemStorage):
    """Takes one file, then is full: an import that had begun writing files must undo them."""

    files_taken = 0

    def _save(self, name, content):
        if FillsUpAfterOneFileStorage.files_taken >= 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), self.path(name))
        FillsUpAfterOneFileStorage.files_taken += 1
        return super()._save(name, content)
