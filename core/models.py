import uuid

from django.db import connection, models


class VersionToken(models.Model):
    """A one-row version table: a random token, written anew with every change it stands for
    (``write_token``) and read by whoever keeps something made of that state (``read_token``)."""

    token = models.CharField(max_length=32, default="")

    class Meta:
        abstract = True

    def __str__(self):
        return self.token


class ContentVersion(VersionToken):
    """One row: a token that changes whenever anything a reader may see changes (core.pagecache).

    Cached reader pages are keyed on it, so a change retires all of them at once, on every app
    process, whatever cache holds them. It lives in the database, written in the same transaction
    as the change: a reader can never see the new token before the new content.
    """

    class Meta:
        verbose_name = "innholdsversjon"
        verbose_name_plural = "innholdsversjoner"


def read_token(model, memo=None):
    """The token of a one-row version table (``ContentVersion``, search's ``IndexVersion``), or "".

    ``memo`` (a dict, or None) keeps it for the rest of a request that reads it once (the
    ContextVars of ``core.pagecache`` and search's ``one_version``).

    Plain SQL, not the ORM: every reading request reads the versions before it can answer from
    the page cache, and building the same one-row query through the ORM took about 0.25 ms of
    CPU each time, half of what a whole cached answer costs (bench/load.py and docs/benchmarks.md).
    """
    if memo is not None and "token" in memo:
        return memo["token"]
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {table} WHERE id = %s", [1])  # noqa: S608 (the table is ours)
        row = cursor.fetchone()
    token = row[0] if row else ""
    if memo is not None:
        memo["token"] = token
    return token


def write_token(model, memo=None):
    """Write a new random token into a one-row version table (in the current transaction); a
    ``memo`` that kept the old one for the request is emptied."""
    if memo is not None:
        memo.clear()
    token = uuid.uuid4().hex
    if not model.objects.filter(pk=1).update(token=token):
        model.objects.bulk_create([model(pk=1, token=token)], ignore_conflicts=True)
