"""Where media files are kept: the local disk, never with a file left half written."""

import os

from django.core.files.storage import FileSystemStorage


class MediaStorage(FileSystemStorage):
    """Media on the local disk, where a file that could not be written whole is not left behind.

    Django's FileSystemStorage creates the file, then writes it chunk by chunk; when the disk fills
    up (or the quota is reached) in between, the error goes up and the file stays, empty or cut
    short, with no image or document pointing to it. Django has no setting for this, so the file
    this call created is removed before the error goes on.
    """

    def _save(self, name, content):
        path = self.path(name)
        existed = os.path.lexists(path)  # then it is not ours (Django picks another name for us)
        try:
            return super()._save(name, content)
        except BaseException:
            if not existed:
                try:
                    os.remove(path)
                except FileNotFoundError:  # the error came before the file was created
                    pass
            raise
