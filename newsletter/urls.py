"""Public URLs, mounted under /nyhetsbrev/ in site/urls.py (before Wagtail's page serving)."""

from django.urls import path

from newsletter import views

app_name = "newsletter"

urlpatterns = [
    path("bekreft/<str:token>/", views.confirm, name="confirm"),
    path("avmeld/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<slug:community_slug>/", views.subscribe, name="subscribe"),
]
