"""Pages may only gain images and documents the editor may choose.

The choosers only offer media from collections the user may choose from, but a crafted form post
could still name any image or document id. Before the admin's create and edit views save a page,
the submitted page is built in memory (with the page's own form), every image and document it
refers to is collected (fields, inline panels, stream blocks and rich text, as Wagtail's reference
index sees them), and the save is refused if it adds one the user may not choose. Media the page
already used stay allowed, so a page copied from the central team keeps its images.
"""

from django.http import HttpResponseForbidden
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from core.wagtail_internals import base_content_type, references_of
from editorial import access


def media_references(obj):
    """(image ids, document ids) the page object refers to anywhere in its content."""
    image_type = base_content_type(get_image_model()).id
    document_type = base_content_type(get_document_model()).id
    images, documents = set(), set()
    for (
        content_type_id,
        object_id,
        _model_path,
        _content_path,
    ) in references_of(obj):
        try:
            object_id = int(object_id)
        except (TypeError, ValueError):
            continue
        if content_type_id == image_type:
            images.add(object_id)
        elif content_type_id == document_type:
            documents.add(object_id)
    return images, documents


def refused_media(user, new_obj, old_obj=None):
    """The images and documents new_obj adds that the user may not choose, each named by its kind
    and number («dokument nr. 7»): their titles are another team's, and a refusal that named them
    would tell anyone who posts ids the titles of every community's media."""
    images, documents = media_references(new_obj)
    if old_obj is not None:
        old_images, old_documents = media_references(old_obj)
        images -= old_images
        documents -= old_documents
    refused = []
    for kind, ids, model, choosable in (
        ("bilde", images, get_image_model(), access.choosable_images),
        ("dokument", documents, get_document_model(), access.choosable_documents),
    ):
        if ids:
            allowed = set(choosable(user).filter(pk__in=ids).values_list("pk", flat=True))
            found = model.objects.filter(pk__in=ids - allowed).values_list("pk", flat=True)
            refused += [f"{kind} nr. {pk}" for pk in sorted(found)]
    return refused


def _submitted_page(request, page_class, instance, parent_page):
    form_class = page_class.get_edit_handler().get_form_class()
    form = form_class(
        request.POST, request.FILES, instance=instance, parent_page=parent_page, for_user=request.user
    )
    if not form.is_valid():
        return None  # the view itself reports the form's errors
    return form.save(commit=False)


def _refusal(refused):
    listed = ", ".join(refused)
    return HttpResponseForbidden(
        f"Siden bruker bilder eller dokumenter fra samlinger du ikke har tilgang til: {listed}.",
        content_type="text/plain; charset=utf-8",
    )


def check_create(request, parent_page, page_class):
    if request.method != "POST" or request.user.is_superuser:
        return None
    submitted = _submitted_page(request, page_class, page_class(), parent_page)
    if submitted is None:
        return None
    refused = refused_media(request.user, submitted)
    return _refusal(refused) if refused else None


def check_edit(request, page):
    if request.method != "POST" or request.user.is_superuser:
        return None
    fresh = type(page).objects.get(pk=page.pk)
    current = fresh.get_latest_revision_as_object()
    submitted = _submitted_page(request, type(page), fresh.get_latest_revision_as_object(), page.get_parent())
    if submitted is None:
        return None
    refused = refused_media(request.user, submitted, old_obj=current)
    return _refusal(refused) if refused else None
