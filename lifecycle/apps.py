from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    """Content lifecycle: review dates, reminders, error reports, change history, subscriptions."""

    name = "lifecycle"
    verbose_name = "Livsløp for innhold"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lifecycle import signals  # noqa: F401
        from lifecycle.forms import install_page_form

        # The change note ("Hva er endret?") and the publish-time checks live on the page edit
        # form. The content models belong to the kompetanse app, so the form is attached here,
        # once, before Wagtail builds (and caches) the edit handlers. See lifecycle/forms.py.
        install_page_form()
