"""Counting failed logins for the throttle, and forgetting them after a successful one."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from core import throttle


@receiver(user_login_failed, dispatch_uid="core_record_login_failure")
def record_login_failure(sender, credentials, request=None, **kwargs):
    if request is not None:
        throttle.record_failure(request, credentials.get("username", ""))


@receiver(user_logged_in, dispatch_uid="core_clear_login_failures")
def clear_login_failures(sender, request, user, **kwargs):
    if request is not None:
        throttle.clear(request, user.get_username())
