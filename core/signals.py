"""Counting failed logins for the throttle, and forgetting them after a successful one; the
database's planner statistics after migrations."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from core import database, throttle


# No sender: Django sends it with the name of the module that raised it (a string), which is no
# object to connect to.
@receiver(user_login_failed, dispatch_uid="core_record_login_failure")
def record_login_failure(sender, credentials, request=None, **kwargs):
    if request is not None:
        throttle.record_failure(request, credentials.get("username", ""))


@receiver(user_logged_in, sender=get_user_model(), dispatch_uid="core_clear_login_failures")
def clear_login_failures(sender, request, user, **kwargs):
    if request is not None:
        throttle.clear(request, user.get_username())


def refresh_statistics(sender, using="default", **kwargs):
    """After ``migrate``: connected in CoreConfig.ready with the core app as sender."""
    database.refresh_statistics(using)
