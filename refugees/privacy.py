"""The personal data refugees keeps (core/privacy.py is the mechanism; docs/privacy.md is generated).

Registered from `RefugeesConfig.ready()`. tandems adds a person's tandems to the erasure, the open tandem
that blocks it, and keeps a closed referral whose last tandem ended recently (tandems/privacy.py).
"""

import datetime

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.models import RetentionUnit
from core.privacy import Basis as B
from core.privacy import Category as C
from core.privacy import Entry, Retention, consent_rule, register
from core.privacy import PersonalField as F


def _refugee_closed(qs: QuerySet, cutoff: datetime.datetime) -> QuerySet:
    return qs.filter(status="closed", closed_at__lt=cutoff)


def _band_decade(obj: models.Model) -> int:
    # the year of birth is required on this row; its decade is kept for statistics by age group
    year = obj.birth_year or 1900
    return max(1900, year - year % 10)


ENTRIES = (
    Entry(
        label="refugees.Refugee",
        purpose=_("Referral and intake of refugees, waiting list and matching with a volunteer"),
        data_subjects=_("refugees and their households"),
        recipients=_(
            "FWZ coordinators; partner coordinators of the record's organisation; the referring office "
            "(state of its own referrals only)"
        ),
        is_subject=True,
        fields={
            "first_name": F(C.IDENTITY, B.CONSENT),
            "last_name": F(C.IDENTITY, B.CONSENT),
            "phone": F(C.CONTACT, B.CONSENT),
            "email": F(C.CONTACT, B.CONSENT),
            "address": F(C.CONTACT, B.CONSENT),
            "birth_year": F(C.IDENTITY, B.CONSENT),
            "needs_text": F(C.FREE_TEXT, B.CONSENT),
            "preferences_text": F(C.PROFILE, B.CONSENT),
            "interests": F(C.PROFILE, B.CONSENT),
            "available_weekdays": F(C.PROFILE, B.CONSENT),
            "available_times": F(C.PROFILE, B.CONSENT),
            "intake_notes": F(C.FREE_TEXT, B.CONSENT),
            "notes": F(C.FREE_TEXT, B.CONSENT),
            "health_notes": F(C.SPECIAL, B.EXPLICIT_CONSENT, note=_("not shown in the history")),
            "residence_status": F(C.RESIDENCE, B.CONSENT),
            "close_note": F(C.FREE_TEXT, B.CONSENT),
        },
        retention=(
            Retention(
                code="refugees-closed",
                amount=24,
                unit=RetentionUnit.MONTHS,
                description=_("after the referral was closed and the last tandem ended"),
                expired=_refugee_closed,
            ),
            consent_rule("refugees"),
        ),
        cascade=("members", "referral_notes"),
    ),
    Entry(
        label="refugees.HouseholdMember",
        purpose=_("Household of a referred person (for matching with families and children)"),
        data_subjects=_("refugees and their households"),
        fields={
            "first_name": F(C.IDENTITY, B.CONSENT),
            "birth_year": F(
                C.IDENTITY, B.CONSENT, replace=_band_decade, note=_("kept as the decade of birth")
            ),
        },
        anonymised_with="refugees.Refugee",
    ),
    Entry(
        label="refugees.ReferralNote",
        purpose=_("Notes on a referral by the referring office or staff"),
        data_subjects=_("refugees and their households"),
        fields={"text": F(C.FREE_TEXT, B.CONSENT)},
        anonymised_with="refugees.Refugee",
    ),
)


def privacy_register() -> None:
    for entry in ENTRIES:
        register(entry)
