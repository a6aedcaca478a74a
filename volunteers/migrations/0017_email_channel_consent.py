"""Consent per channel for the personal links (docs/participants.md): a volunteer with an e-mail address
whose consent to the register still stands keeps getting links by e-mail, as before this migration. The
consent to e-mails is dated like that consent and marked with the text version "migrated". A volunteer
who had withdrawn e-mails (a withdrawn "messages_email" row) gets none. Text messages start with nobody."""

from django.db import migrations
from django.db.models import Exists, OuterRef, Q


def email_consents(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Consent = apps.get_model("core", "Consent")
    Volunteer = apps.get_model("volunteers", "Volunteer")
    if not Volunteer.objects.exists():
        return
    kind, _created = ContentType.objects.get_or_create(app_label="volunteers", model="volunteer")
    mine = Consent.objects.filter(content_type=kind, object_id=OuterRef("pk"))
    people = (
        Volunteer.objects.filter(anonymised_at__isnull=True)
        .exclude(Q(email="") | Q(email__isnull=True))
        .filter(Exists(mine.filter(purpose="volunteer_register", withdrawn_at__isnull=True)))
        .exclude(Exists(mine.filter(purpose__startswith="messages_email")))
    )
    rows = []
    for volunteer in people.iterator():
        programme = (
            Consent.objects.filter(
                content_type=kind, object_id=volunteer.pk, purpose="volunteer_register", withdrawn_at__isnull=True
            )
            .order_by("given_at")
            .first()
        )
        rows.append(
            Consent(
                content_type=kind,
                object_id=volunteer.pk,
                purpose="messages_email",
                text_version="migrated",
                channel=programme.channel,
                given_at=programme.given_at,
            )
        )
    Consent.objects.bulk_create(rows, batch_size=1000)


def remove(apps, schema_editor):
    Consent = apps.get_model("core", "Consent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Consent.objects.filter(
        content_type__in=ContentType.objects.filter(app_label="volunteers", model="volunteer"),
        purpose="messages_email",
        text_version="migrated",
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0021_outbox_text_messages"),
        ("volunteers", "0016_commitment"),
    ]

    operations = [migrations.RunPython(email_consents, remove)]
