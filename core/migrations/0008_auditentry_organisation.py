"""Every audit entry names the organisation of its record (`AuditEntry.organisation`), so an organisation's
entries can be listed. The entries written before are filled in here: from the record's own `organisation`,
or, for rows without one (check-ins, household members, registrations, ...), from the tandem, refugee,
volunteer or session they belong to (the same order as `core.audit.ORGANISATION_VIA`). Entries of records
without an organisation (users, expenses, deleted records) stay empty."""

import django.db.models.deletion
from django.core.exceptions import FieldDoesNotExist
from django.db import migrations, models

ORGANISATION_VIA = ("tandem", "refugee", "volunteer", "session")


def _organisation_fk(model):
    try:
        field = model._meta.get_field("organisation")
    except FieldDoesNotExist:
        return None
    return field if field.many_to_one else None


def fill_organisation(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    quote = schema_editor.connection.ops.quote_name
    for content_type in ContentType.objects.filter(
        pk__in=AuditEntry.objects.filter(organisation__isnull=True).values("content_type")
    ):
        try:
            model = apps.get_model(content_type.app_label, content_type.model)
        except LookupError:
            continue
        own = _organisation_fk(model)
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        if own is not None:
            source = f"SELECT {pk}::text AS id, {quote(own.column)} AS organisation_id FROM {table}"
        else:
            for name in ORGANISATION_VIA:
                try:
                    link = model._meta.get_field(name)
                except FieldDoesNotExist:
                    continue
                parent_fk = _organisation_fk(link.related_model) if link.many_to_one else None
                if parent_fk is not None:
                    parent = link.related_model._meta
                    source = (
                        f"SELECT c.{pk}::text AS id, p.{quote(parent_fk.column)} AS organisation_id "
                        f"FROM {table} c JOIN {quote(parent.db_table)} p "
                        f"ON p.{quote(parent.pk.column)} = c.{quote(link.column)}"
                    )
                    break
            else:
                continue
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "UPDATE core_auditentry a SET organisation_id = s.organisation_id "
                f"FROM ({source}) s WHERE a.content_type_id = %s AND a.organisation_id IS NULL "
                "AND a.object_id = s.id",
                [content_type.pk],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0007_erasure_record"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["organisation", "-at"], name="audit_organisation_idx"),
        ),
        migrations.RunPython(fill_organisation, migrations.RunPython.noop),
    ]
