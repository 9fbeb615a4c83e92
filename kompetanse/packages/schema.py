"""The ``kompetanse-package`` format's name, versions and limits, and the error a package that
cannot be imported raises."""

PACKAGE_FORMAT = "kompetanse-package"
SUPPORTED_VERSIONS = {1, 2}
MAX_UID_LENGTH = 100
# A real package nests about eight levels deep (items, body, block, table, row); deeper is refused
# before any code walks it.
MAX_NESTING = 32


class PackageError(Exception):
    """A package that cannot be imported; the message names the item and the reason."""

    def __init__(self, message, *, index=None, uid=None):
        self.index = index
        self.uid = uid
        if index is not None:
            where = f"Element {index + 1}" + (f" (uid «{uid}»)" if uid else "")
            message = f"{where}: {message}"
        super().__init__(message)
