from django.apps import AppConfig


class KompetanseConfig(AppConfig):
    """The portal's content: communities, listings, procedures, recommendations, good examples."""

    name = "kompetanse"
    verbose_name = "Kompetanse"
    default_auto_field = "django.db.models.BigAutoField"
