"""The table of the cache all processes share (CACHES in config/settings.py, Django's DatabaseCache).

Runs the logic of `manage.py createcachetable`, which leaves a table that already exists alone, so `make run`,
the test databases and production all have it after `migrate`."""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def _cache_tables() -> list[str]:
    return [
        cache["LOCATION"]
        for cache in settings.CACHES.values()
        if cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    ]


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    for table in _cache_tables():
        schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(table)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0009_audit_append_only")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table, elidable=False)]
