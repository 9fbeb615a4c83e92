"""Addresses for e-mails: a link in a message leaves the site, so it needs the site's scheme and host."""

from django.conf import settings


def absolute_url(url):
    """``url`` with the portal's address in front (WAGTAILADMIN_BASE_URL) unless it has one."""
    if url.startswith("http://") or url.startswith("https://"):
        return url
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


def public_page_url(page):
    """Where a reader opens the page, as a full address."""
    return absolute_url(page.get_url() or page.url or "/")
