"""Image renditions made when an image is stored, not when the first reader opens its page.

Every size and format the reader templates ask for is listed here, once. A saved image (an
upload in the admin, an image a content package brings in, an edited file or focal point) gets a
task, when the transaction commits, that makes them all; the first reader then finds them made.
``tests/kompetanse/test_renditions.py`` reads ``templates/`` and fails when a template asks for a
rendition this list does not make.
"""

import logging

from django_tasks import task
from wagtail.images import get_image_model

from core.background import enqueue_on_commit

logger = logging.getLogger("kompetanse")

# ``{% responsive_picture image "400,800,1200" … %}`` (kompetanse.templatetags.portal_tags):
# gallery images of good examples and image blocks in a page's body.
PICTURE_FORMATS = ("avif", "webp", "jpeg")
PICTURE_WIDTHS = (400, 800, 1200)
# ``{% picture image format-{avif,webp,jpeg} fill-480x270 %}``: the good examples' cards on the
# portal's front page.
FIXED_SPECS = ("fill-480x270",)


def picture_widths(image, widths=PICTURE_WIDTHS):
    """The widths ``responsive_picture`` uses for ``image``: none wider than the original."""
    return sorted({min(int(width), image.width) for width in widths})


def picture_spec(fmt, width):
    return f"format-{fmt}|width-{width}"


def rendition_specs(image):
    """Every filter spec the reader templates may ask of ``image``, as they spell it."""
    specs = [picture_spec(fmt, width) for fmt in PICTURE_FORMATS for width in picture_widths(image)]
    specs += [f"format-{fmt}|{spec}" for spec in FIXED_SPECS for fmt in PICTURE_FORMATS]
    return specs


@task()
def make_renditions(image_id):
    """Make the readers' renditions of one image (those already made are kept)."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return {"skipped": "the image is gone"}
    specs = rendition_specs(image)
    image.get_renditions(*specs)
    return {"image": image_id, "renditions": len(specs)}


def image_saved(sender, instance, raw=False, **kwargs):
    """post_save of the image model: make its renditions once the save has committed."""
    if raw:  # loaddata: the file may not be there yet
        return
    enqueue_on_commit(make_renditions, instance.pk)
