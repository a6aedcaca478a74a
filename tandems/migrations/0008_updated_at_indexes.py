"""Indexes on `updated_at` of the tables the batch page asks "changed since the run?" (tandems.batch_runs.
batch_run_is_stale): an index probe instead of reading every volunteer, refugee and tandem on each view."""

from django.db import migrations

TABLES = ("volunteers_volunteer", "refugees_refugee", "tandems_tandem")


class Migration(migrations.Migration):
    dependencies = [
        ("tandems", "0007_batch_run"),
        ("volunteers", "0011_clearance_notice_for"),
        ("refugees", "0007_search_without_weights"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {table}_updated_at_idx ON {table} (updated_at)",
            f"DROP INDEX IF EXISTS {table}_updated_at_idx",
        )
        for table in TABLES
    ]
