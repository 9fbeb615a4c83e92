"""Content packages (the ``kompetanse-package`` format, docs/content-package.md): one home for

- ``schema.json`` and ``schema``: the format as a JSON Schema, and its errors in bokmål;
- ``mapping``: how an item's data maps onto page fields, and back (also used by reuse and tests);
- ``media``: the files of a zip package or folder, and the images and documents items refer to;
- ``reading``: reading, checking and importing a package;
- ``writing``: exporting pages as a package.
"""

from kompetanse.packages.reading import (
    ImportResult,
    free_slug,
    import_package,
    open_package,
    open_package_folder,
    read_package,
    validate_package,
)
from kompetanse.packages.schema import PACKAGE_FORMAT, PackageError
from kompetanse.packages.writing import (
    ExportError,
    build_package,
    export_filename,
    page_uid,
    select_pages,
    write_zip,
)

__all__ = [
    "PACKAGE_FORMAT",
    "ExportError",
    "ImportResult",
    "PackageError",
    "build_package",
    "export_filename",
    "free_slug",
    "import_package",
    "open_package",
    "open_package_folder",
    "page_uid",
    "read_package",
    "select_pages",
    "validate_package",
    "write_zip",
]
