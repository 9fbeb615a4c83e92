"""The admin's tag autocomplete, for the tags of the images and documents a team may choose.

Wagtail's (``/admin/tag-autocomplete/``) offers every tag of the installation, so an editor typing
a tag saw those of other communities' images and documents. The portal's images and documents are
the only tagged objects, so the tags on offer are theirs; site/urls.py serves this view at
Wagtail's own addresses.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import JsonResponse
from taggit.models import Tag, TaggedItem
from wagtail.admin.auth import require_admin_access

from core import wagtail_internals
from editorial import access


@require_admin_access
def autocomplete(request, app_name=None, model_name=None):
    if request.user.is_superuser or (app_name, model_name) not in ((None, None), ("taggit", "tag")):
        return wagtail_internals.tag_autocomplete(request, app_name, model_name)
    term = request.GET.get("term", "")
    if not term:
        return JsonResponse([], safe=False)
    user = request.user
    documents, images = access.choosable_documents(user), access.choosable_images(user)
    tagged = TaggedItem.objects.filter(
        Q(
            content_type=ContentType.objects.get_for_model(documents.model),
            object_id__in=documents.values("pk"),
        )
        | Q(content_type=ContentType.objects.get_for_model(images.model), object_id__in=images.values("pk"))
    )
    tags = (
        Tag.objects.filter(name__istartswith=term, pk__in=tagged.values("tag_id"))
        .order_by("name")
        .values_list("name", flat=True)[: wagtail_internals.TAGS_AUTOCOMPLETE_LIMIT]
    )
    return JsonResponse(list(tags), safe=False)
