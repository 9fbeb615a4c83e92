"""Storage that fails the way a full or read-only disk does, for the fault tests.

The operating system's answer is reproduced exactly (an OSError with ENOSPC or EROFS from the
write); a real full disk cannot be made inside the test suite without root and a mount.
"""

import errno
import os
from pathlib import Path

from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.test import override_settings

from core.storage import MediaStorage


class FullDiskStorage(FileSystemStorage):
    failure = errno.ENOSPC

    def _save(self, name, content):
        raise OSError(self.failure, os.strerror(self.failure), self.path(name))


class ReadOnlyDiskStorage(FullDiskStorage):
    failure = errno.EROFS


class FillsUpWhileWritingStorage(MediaStorage):
    """The portal's media storage on a disk that fills up while a file is written: the file has
    been created and half of it written when the next write fails with ENOSPC."""

    def _save(self, name, content):
        return super()._save(name, HalfFits(content))


class HalfFits(File):
    def chunks(self, chunk_size=None):
        self.file.seek(0)
        data = self.file.read()
        yield data[: len(data) // 2]
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


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
