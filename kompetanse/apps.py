from django.apps import AppConfig


class KompetanseConfig(AppConfig):
    """The portal's content: communities, listings, procedures, recommendations, good examples."""

    name = "kompetanse"
    verbose_name = "Kompetanse"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published

        from kompetanse import registry
        from kompetanse.communities import publish_listings_with_home
        from kompetanse.models import CommunityHomePage
        from kompetanse.owners import OwnerChoiceExtension

        registry.register_page_form_extension(OwnerChoiceExtension())

        page_published.connect(
            publish_listings_with_home,
            sender=CommunityHomePage,
            dispatch_uid="kompetanse_publish_listings_with_home",
        )
