from django.db import models


class ContentVersion(models.Model):
    """One row: a token that changes whenever anything a reader may see changes (core.pagecache).

    Cached reader pages are keyed on it, so a change retires all of them at once, on every app
    process, whatever cache holds them. It lives in the database, written in the same transaction
    as the change: a reader can never see the new token before the new content.
    """

    token = models.CharField(max_length=32, default="")

    class Meta:
        verbose_name = "innholdsversjon"
        verbose_name_plural = "innholdsversjoner"

    def __str__(self):
        return self.token
