from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """Editorial teams: who may edit, approve and publish which community's pages and media."""

    name = "editorial"
    verbose_name = "Redaksjoner"
    default_auto_field = "django.db.models.BigAutoField"
