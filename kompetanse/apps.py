from django.apps import AppConfig


class KompetanseConfig(AppConfig):
    """The portal's content: communities, listings, procedures, recommendations, good examples."""

    name = "kompetanse"
    verbose_name = "Kompetanse"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate, post_save
        from wagtail.images import get_image_model
        from wagtail.signals import page_published

        from core import pagecache
        from kompetanse import registry, renditions
        from kompetanse.communities import add_listings_after_migrate, publish_listings_with_home
        from kompetanse.models import CommunityHomePage
        from kompetanse.owners import OwnerChoiceExtension

        registry.register_page_form_extension(OwnerChoiceExtension())
        # An import retires the cached reader pages once, when it is done (core.pagecache).
        registry.register_bulk_writes(pagecache.one_change)
        # Renditions are made when an image is stored, not on its first reader's request.
        post_save.connect(
            renditions.image_saved, sender=get_image_model(), dispatch_uid="kompetanse_make_renditions"
        )

        post_migrate.connect(add_listings_after_migrate, sender=self, dispatch_uid="kompetanse_add_listings")
        page_published.connect(
            publish_listings_with_home,
            sender=CommunityHomePage,
            dispatch_uid="kompetanse_publish_listings_with_home",
        )
