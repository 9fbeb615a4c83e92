from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    """Content lifecycle: review dates, reminders, error reports, change history, subscriptions."""

    name = "lifecycle"
    verbose_name = "Livsløp for innhold"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: models and the modules that use them may load only once
        # the app registry is ready (Django's rule for AppConfig.ready).
        from core import pagecache
        from core.public_forms import fresh_form_tokens
        from kompetanse import registry
        from lifecycle import signals  # noqa: F401
        from lifecycle.forms import ChangeNoteExtension
        from lifecycle.notify import subscriptions_read_once

        # The change note ("Hva er endret?") and the publish-time checks live on the content
        # types' edit form (kompetanse.forms.KnowledgePageForm), which takes them from here.
        registry.register_page_form_extension(ChangeNoteExtension())
        # An import publishes thousands of pages: the subscriptions to tell are read once.
        registry.register_bulk_writes(subscriptions_read_once)
        # Readers' reports and subscriptions and the reminders' bookkeeping change no reader's
        # page; a cached page's public forms get fresh tokens for every reader (core.pagecache).
        pagecache.not_shown_to_readers(
            "lifecycle.ErrorReport",
            "lifecycle.Subscription",
            "lifecycle.ReviewReminder",
            "lifecycle.CommunityRowLogEntry",
        )
        pagecache.register_hit_refresh(fresh_form_tokens)
