from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    """The newsletter (nyhetsbrev): subscriptions per community and topic, digests, sending."""

    name = "newsletter"
    verbose_name = "Nyhetsbrev"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: models may load only once the app registry is ready.
        from core import pagecache
        from kompetanse import registry
        from newsletter.views import front_page_offer

        # «Nyhetsbrev» on each community's front page, without kompetanse knowing this app.
        registry.register_community_offer(front_page_offer)
        # Subscribers, issues and deliveries change no reader's page.
        pagecache.not_shown_to_readers(
            "newsletter.Subscriber", "newsletter.Issue", "newsletter.IssueItem", "newsletter.Delivery"
        )
