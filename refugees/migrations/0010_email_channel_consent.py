"""Consent per channel for the personal links (docs/participants.md): a household with a contact e-mail
whose consent at the referral still stands keeps getting check-in links by e-mail, as before this
migration. The consent to e-mails is dated like that consent and marked with the text version "migrated".
A household that had withdrawn e-mails (a "messages_email" row) gets none. Text messages start with
nobody."""

from django.db import migrations

from core.consent_migration import email_consent_migration

email_consents, remove = email_consent_migration("refugees", "refugee", "refugee_programme")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0021_outbox_text_messages"),
        ("refugees", "0009_expectation"),
    ]

    operations = [migrations.RunPython(email_consents, remove)]
