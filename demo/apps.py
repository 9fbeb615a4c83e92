from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo portal's data and ``load_demo``; no models of its own."""

    name = "demo"
    verbose_name = "Demo"
