"""Upload rules for images and documents, on top of what Wagtail checks itself.

Wagtail already rejects image extensions outside WAGTAILIMAGES_EXTENSIONS, a file whose content
does not match its extension, files over WAGTAILIMAGES_MAX_UPLOAD_SIZE and images over
WAGTAILIMAGES_MAX_IMAGE_PIXELS. Here Pillow must also be able to decode the whole file (a
truncated or crafted file is refused before it reaches the renditions). Documents are limited by
Wagtail's own WAGTAILDOCS_EXTENSIONS and WAGTAILDOCS_MAX_UPLOAD_SIZE.
"""

import errno

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

# The disk (or volume, or bucket) for media is full, over quota or read-only: nothing can be
# stored until an operator acts. Uploads and imports say so and store nothing.
STORAGE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}

ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def check_image_with_pillow(uploaded):
    """Open and fully decode an uploaded image with Pillow; raise ValidationError if it fails."""
    max_pixels = getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", None)
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    try:
        uploaded.seek(0)
        with PILImage.open(uploaded) as image:
            if image.format not in ALLOWED_IMAGE_FORMATS:
                raise ValidationError(
                    "Bildet må være JPEG, PNG, WebP eller GIF (filen er %(format)s).",
                    params={"format": image.format or "ukjent"},
                    code="image_format",
                )
            width, height = image.size
            if max_pixels and width * height > max_pixels:
                raise ValidationError(
                    "Bildet er for stort: %(width)s × %(height)s piksler. Største tillatte er %(max)s megapiksler.",
                    params={"width": width, "height": height, "max": max_pixels // 1_000_000},
                    code="image_pixels",
                )
            image.load()
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError) as exc:
        raise ValidationError(
            "Filen kan ikke leses som et bilde. Last opp et JPEG-, PNG-, WebP- eller GIF-bilde.",
            code="image_unreadable",
        ) from exc
    finally:
        uploaded.seek(position)


class PillowCheckedImageField(WagtailImageField):
    """Wagtail's image field, with every check run so that a bad file is an error, never a crash.

    Wagtail's own pixel check asks the decoder for the frame count, which raises on a truncated
    file (a 500 for the editor); here any decoder failure becomes a form error instead.
    """

    def check_image_pixel_size(self, f):
        try:
            super().check_image_pixel_size(f)
        except ValidationError:
            raise
        except Exception as exc:  # noqa: BLE001 - any decoder failure means "not an image"
            raise ValidationError(self.error_messages["invalid_image"], code="invalid_image") from exc

    def to_python(self, data):
        f = super().to_python(data)
        if f is not None:
            check_image_with_pillow(f)
        return f


class ImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if isinstance(field, WagtailImageField):
            # Wagtail builds the field itself (get_image_form); keep its settings, add our checks.
            field.__class__ = PillowCheckedImageField
