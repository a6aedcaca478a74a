"""The personal data core's own models keep: staff logins, the outbox, the audit trail and the erasure
records. Registered from `CoreConfig.ready()`; the domain apps register theirs in `<app>/privacy.py`."""

import datetime

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.models import RetentionUnit
from core.privacy import Basis as B
from core.privacy import Category as C
from core.privacy import Entry, Retention, register
from core.privacy import PersonalField as F


def _message_queued(qs: QuerySet, cutoff: datetime.datetime) -> QuerySet:
    return qs.filter(queued_at__lt=cutoff).exclude(to_address="", body="")


def _deleted_username(obj: models.Model) -> str:
    return f"deleted-{obj.pk}"


ENTRIES = (
    Entry(
        label="core.User",
        purpose=_("Staff logins: who may work with the data, and who did what"),
        data_subjects=_("staff of the FWZ, the partners, the city, the steering group and the university"),
        recipients=_("administrators"),
        fields={
            "username": F(C.ACCOUNT, B.CONTRACT, replace=_deleted_username),
            "first_name": F(C.IDENTITY, B.CONTRACT),
            "last_name": F(C.IDENTITY, B.CONTRACT),
            "email": F(C.CONTACT, B.CONTRACT),
        },
    ),
    Entry(
        label="core.OutboxMessage",
        purpose=_("Outbox: the e-mails sent to volunteers, refugees and staff, and whether they arrived"),
        data_subjects=_("volunteers, refugees and staff who receive e-mails"),
        fields={
            "to_address": F(
                C.CONTACT,
                B.LEGITIMATE_INTEREST,
                note=_("the e-mail address, or the mobile number of a text message with a personal link"),
            ),
            "context": F(C.CONTACT, B.LEGITIMATE_INTEREST, note=_("the values the text was written from")),
            "attachments": F(C.CONTACT, B.LEGITIMATE_INTEREST),
            "subject": F(C.CONTACT, B.LEGITIMATE_INTEREST),
            "body": F(C.FREE_TEXT, B.LEGITIMATE_INTEREST),
            "error": F(C.TECHNICAL, B.LEGITIMATE_INTEREST, note=_("the mail server's answer")),
        },
        retention=(
            Retention(
                code="core-outbox-queued",
                amount=12,
                unit=RetentionUnit.MONTHS,
                description=_("after the e-mail was queued (the row stays, without address and text)"),
                expired=_message_queued,
            ),
        ),
    ),
    Entry(
        label="core.AuditEntry",
        purpose=_(
            "Audit trail: who changed, read or exported which record when (accountability, Art. 5(2) GDPR)"
        ),
        data_subjects=_("staff and the people whose records were changed"),
        recipients=_("administrators; coordinators on a record's page"),
        fields={
            "actor_repr": F(C.ACCOUNT, B.LEGAL_OBLIGATION),
            "object_repr": F(C.IDENTITY, B.LEGAL_OBLIGATION),
            "changes": F(C.LOG, B.LEGAL_OBLIGATION, note=_("old values are removed with the record")),
        },
        is_anonymisable=False,
    ),
    Entry(
        label="core.ErasureRecord",
        purpose=_(
            "Erasure records: which record was erased when and why (a code), so that an erasure is made again "
            "after restoring an older backup (Art. 17 GDPR)"
        ),
        data_subjects=_("volunteers, refugees and staff whose data were erased"),
        recipients=_("administrators"),
        fields={},
        is_anonymisable=False,
        legal_basis=B.LEGAL_OBLIGATION,
        erased_note=_(
            "never: the rows hold no personal data, only the record type, the id, the time and a reason code"
        ),
    ),
)


def privacy_register() -> None:
    for entry in ENTRIES:
        register(entry)
