"""Signal handlers that keep the search index current as editors publish, move and delete pages."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.models import write_token
from kompetanse.models import CommunityHomePage, TargetGroup, Topic
from search import indexing
from search.models import GroupsVersion, Synonym
from search.params import LABELS_CACHE_KEY
from search.promotions import PROMOTED_CACHE_KEY


def on_published(sender, instance, **kwargs):
    # Listings, community homes and the portal home are never in the index: publishing one (a new
    # community publishes its home and every listing) need not read the page back, delete nothing
    # and queue an empty task. Wagtail sends these signals with the page's own class as sender.
    if issubclass(sender, indexing.indexable_models()):
        indexing.update_page(instance)


def on_unpublished(sender, instance, **kwargs):
    if issubclass(sender, indexing.indexable_models()):
        indexing.remove_pages([instance.pk])


def on_moved(sender, instance, **kwargs):
    # url_path and community change for the page and everything below it.
    indexing.update_subtree(Page.objects.get(pk=instance.pk))


def on_page_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    """Catch live pages saved outside the publish action (scripts, factories, imports).

    A draft (``has_unpublished_changes``) leaves the indexed live version alone; the publish
    that follows is handled by ``page_published``.
    """
    if raw or not isinstance(instance, indexing.indexable_models()):
        return
    if instance.live and not instance.has_unpublished_changes:
        indexing.update_page(instance)
    elif not instance.live:
        indexing.remove_pages([instance.pk])


def on_page_deleted(sender, instance, **kwargs):
    # Django sends this for every page a delete takes with it, descendants included.
    indexing.remove_pages([instance.pk])


def on_restriction_changed(sender, instance, **kwargs):
    try:
        page = Page.objects.get(pk=instance.page_id)
    except Page.DoesNotExist:
        return
    indexing.update_subtree(page)


def on_promotion_changed(sender, **kwargs):
    cache.delete(PROMOTED_CACHE_KEY)


def on_vocabulary_changed(sender, **kwargs):
    cache.delete(LABELS_CACHE_KEY)


def on_groups_changed(sender, **kwargs):
    # In the writing transaction: a process that reads the new token reads the new list with it.
    write_token(GroupsVersion)


def connect():
    # The page signals come with each page's own class as sender, and every page type matters
    # here (a community home that moves moves its pages): they are connected without a sender.
    page_published.connect(on_published, dispatch_uid="search_page_published")
    page_unpublished.connect(on_unpublished, dispatch_uid="search_page_unpublished")
    post_page_move.connect(on_moved, dispatch_uid="search_page_moved")
    post_save.connect(on_page_saved, dispatch_uid="search_page_saved")
    pre_delete.connect(on_page_deleted, sender=Page, dispatch_uid="search_page_deleted")
    _on_save_and_delete(on_restriction_changed, PageViewRestriction, "restriction")
    _on_save_and_delete(on_promotion_changed, SearchPromotion, "promotion")
    # What the query parser's groups are made of (search.queries.synonym_groups): the synonym list,
    # and the communities' names and their order. A publish saves the community's home as its own
    # class; an unpublish or a move may save it as a plain Page, so their own signals too. Writes
    # that send no signal (``QuerySet.update()``, a data migration) are seen by processes started
    # after them, as with the content version (core.pagecache).
    _on_save_and_delete(on_groups_changed, Synonym, "groups_synonym")
    _on_save_and_delete(on_groups_changed, CommunityHomePage, "groups_community")
    page_unpublished.connect(
        on_groups_changed, sender=CommunityHomePage, dispatch_uid="search_groups_community_unpublished"
    )
    post_page_move.connect(
        on_groups_changed, sender=CommunityHomePage, dispatch_uid="search_groups_community_moved"
    )
    # The facets' values and labels (search.params.facet_labels).
    for model in (Topic, TargetGroup, CommunityHomePage):
        _on_save_and_delete(on_vocabulary_changed, model, f"labels_{model.__name__}")


def _on_save_and_delete(receiver, model, name):
    post_save.connect(receiver, sender=model, dispatch_uid=f"search_{name}_saved")
    post_delete.connect(receiver, sender=model, dispatch_uid=f"search_{name}_deleted")
