"""The table behind the database cache that counts rate limits (CACHES["ratelimit"], core/ratelimit.py).

`migrate` does not run `createcachetable`, so this migration does, for this one table by name:
it then exists whichever cache the settings name today, and a deployment that stops using Redis
finds it in place.
"""

from django.core.management import call_command
from django.db import migrations

TABLE = "core_ratelimit_cache"  # CACHES["ratelimit"]["LOCATION"] in settings.base


def create_table(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_table, drop_table, elidable=False)]
