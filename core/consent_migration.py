"""The data migration of issue #18 that the volunteers' and the refugees' apps each run for their people:
consent per channel for the personal links (docs/participants.md). A person with an e-mail address whose
programme consent still stands keeps getting links by e-mail, as before the migration: the consent to
e-mails is dated like that programme consent and marked with the text version "migrated". A person who had
withdrawn e-mails (a "messages_email" row) gets none; text messages start with nobody.

Only historical models (`apps.get_model`) are used, so the functions run at any later state of the code."""

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q

MIGRATED = "migrated"


def email_consent_migration(app_label: str, model: str, programme_purpose: str) -> tuple[Callable, Callable]:
    """(forward, backward) for `RunPython` over `app_label.model` whose programme consent is
    `programme_purpose`."""

    def forward(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        Consent = apps.get_model("core", "Consent")
        Person = apps.get_model(app_label, model)
        if not Person.objects.exists():
            return
        kind, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
        mine = Consent.objects.filter(content_type=kind, object_id=OuterRef("pk"))
        people = (
            Person.objects.filter(anonymised_at__isnull=True)
            .exclude(Q(email="") | Q(email__isnull=True))
            .filter(Exists(mine.filter(purpose=programme_purpose, withdrawn_at__isnull=True)))
            .exclude(Exists(mine.filter(purpose__startswith="messages_email")))
        )
        rows = []
        for person in people.iterator():
            programme = (
                Consent.objects.filter(
                    content_type=kind,
                    object_id=person.pk,
                    purpose=programme_purpose,
                    withdrawn_at__isnull=True,
                )
                .order_by("given_at")
                .first()
            )
            rows.append(
                Consent(
                    content_type=kind,
                    object_id=person.pk,
                    purpose="messages_email",
                    text_version=MIGRATED,
                    channel=programme.channel,
                    given_at=programme.given_at,
                )
            )
        Consent.objects.bulk_create(rows, batch_size=1000)

    def backward(apps, schema_editor):
        Consent = apps.get_model("core", "Consent")
        ContentType = apps.get_model("contenttypes", "ContentType")
        Consent.objects.filter(
            content_type__in=ContentType.objects.filter(app_label=app_label, model=model),
            purpose="messages_email",
            text_version=MIGRATED,
        ).delete()

    return forward, backward
