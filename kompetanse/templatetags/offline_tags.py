"""What base.html needs for the installable web app and offline reading (kompetanse/offline.py)."""

from django import template

from kompetanse import offline

register = template.Library()


@register.simple_tag
def offline_page_cache():
    """The Cache Storage name static/js/favourites.js keeps pages in (the service worker's too)."""
    return offline.PAGE_CACHE


@register.simple_tag
def app_theme_colour():
    return offline.THEME_COLOUR
