"""Public URLs, mounted under /innhold/ in site/urls.py (before Wagtail's page serving)."""

from django.urls import path

from lifecycle import views

app_name = "lifecycle"

urlpatterns = [
    path("<int:page_id>/endringslogg/", views.changelog, name="changelog"),
    path("<int:page_id>/versjon/<int:revision_id>/", views.version, name="version"),
    path("<int:page_id>/endringer/", views.diff, name="diff"),
    path("<int:page_id>/meld-fra/", views.report, name="report"),
    path("<int:page_id>/folg/", views.subscribe, name="subscribe"),
    path("varsel/bekreft/<str:token>/", views.confirm, name="confirm"),
    path("varsel/avslutt/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
