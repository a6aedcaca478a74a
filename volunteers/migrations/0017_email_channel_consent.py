"""Consent per channel for the personal links (docs/participants.md): a volunteer with an e-mail address
whose consent to the register still stands keeps getting links by e-mail, as before this migration. The
consent to e-mails is dated like that consent and marked with the text version "migrated". A volunteer
who had withdrawn e-mails (a withdrawn "messages_email" row) gets none. Text messages start with nobody."""

from django.db import migrations

from core.consent_migration import email_consent_migration

email_consents, remove = email_consent_migration("volunteers", "volunteer", "volunteer_register")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0021_outbox_text_messages"),
        ("volunteers", "0016_commitment"),
    ]

    operations = [migrations.RunPython(email_consents, remove)]
