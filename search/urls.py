"""Search URLs: the page (/sok/), autocomplete (/sok/forslag/) and the JSON API (/api/search/)."""

from django.urls import path

from search import views

urlpatterns = [
    path("sok/", views.search_page, name="search"),
    path("sok/forslag/", views.suggestions, name="search_suggestions"),
    path("api/search/", views.api_search, name="search_api"),
]
