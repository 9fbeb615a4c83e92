from django.apps import AppConfig


class ReuseConfig(AppConfig):
    name = "reuse"
    verbose_name = "Gjenbruk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: models and the modules that use them may load only once
        # the app registry is ready (Django's rule for AppConfig.ready).
        from kompetanse import registry
        from reuse import provenance, signals  # noqa: F401
        from reuse.models import adopted_source_ids, live_copy_ids
        from reuse.provenance import export_origin
        from reuse.signals import live_copy_sources_read_once

        # Listings leave out central pages a community has taken into use, and search leaves out
        # live copies (their text is their source's): kompetanse asks, reuse answers.
        registry.register_replaced_shared_pages(adopted_source_ids)
        registry.register_live_copies(live_copy_ids)
        # An export passes on where imported and taken-into-use pages come from.
        registry.register_export_origin(export_origin)
        # An import publishes thousands of pages: which have live copies is read once.
        registry.register_bulk_writes(live_copy_sources_read_once)
