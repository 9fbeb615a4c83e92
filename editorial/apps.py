from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """Editorial teams: who may edit, approve and publish which community's pages and media."""

    name = "editorial"
    verbose_name = "Redaksjoner"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: models and the modules that use them may load only once
        # the app registry is ready (Django's rule for AppConfig.ready).
        from editorial.communities import team_media_collection
        from kompetanse.communities import register_media_collection_lookup

        register_media_collection_lookup(team_media_collection)
