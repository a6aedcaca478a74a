"""The personal data volunteers keeps (core/privacy.py is the mechanism; docs/privacy.md is generated).

Registered from `VolunteersConfig.ready()`. The apps built on volunteers add what they keep of a volunteer
themselves: trainings the registrations, tandems the tandems and the open tandem that blocks an erasure.
"""

import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.models import RetentionUnit
from core.privacy import Basis as B
from core.privacy import Category as C
from core.privacy import Entry, Retention, consent_rule, register
from core.privacy import PersonalField as F


def _volunteer_left(qs: QuerySet, cutoff: datetime.datetime) -> QuerySet:
    return qs.filter(status="left").filter(
        Q(left_on__lt=cutoff.date()) | Q(left_on__isnull=True, status_changed_at__lt=cutoff)
    )


ENTRIES = (
    Entry(
        label="volunteers.Volunteer",
        purpose=_("Volunteer register: recruiting, screening, training and matching mentors with refugees"),
        data_subjects=_("volunteers (mentors)"),
        is_subject=True,
        fields={
            "first_name": F(C.IDENTITY, B.CONSENT),
            "last_name": F(C.IDENTITY, B.CONSENT),
            "email": F(C.CONTACT, B.CONSENT),
            "phone": F(C.CONTACT, B.CONSENT),
            "address": F(C.CONTACT, B.CONSENT),
            "birth_date": F(C.IDENTITY, B.CONSENT),
            "notes": F(C.FREE_TEXT, B.CONSENT),
            "interests": F(C.PROFILE, B.CONSENT),
            "preferred_language": F(C.PROFILE, B.CONSENT, note=_("language of the messages and pages")),
            "email_key": F(C.TECHNICAL, B.LEGITIMATE_INTEREST, note=_("for finding duplicates")),
            "phone_key": F(C.TECHNICAL, B.LEGITIMATE_INTEREST, note=_("for finding duplicates")),
            "name_key": F(C.TECHNICAL, B.LEGITIMATE_INTEREST, note=_("for finding duplicates")),
        },
        retention=(
            Retention(
                code="volunteers-left",
                amount=24,
                unit=RetentionUnit.MONTHS,
                description=_("after the volunteer left the programme"),
                expired=_volunteer_left,
            ),
            consent_rule("volunteers"),
        ),
        cascade=("status_changes", "interviews"),
    ),
    Entry(
        label="volunteers.StatusChange",
        purpose=_("Timeline of a volunteer's steps through recruiting and screening"),
        data_subjects=_("volunteers (mentors)"),
        fields={"note": F(C.FREE_TEXT, B.CONSENT)},
        anonymised_with="volunteers.Volunteer",
    ),
    Entry(
        label="volunteers.Interview",
        purpose=_("Intake interview with a volunteer: motivation and the limits they set"),
        data_subjects=_("volunteers (mentors)"),
        fields={
            "motivation": F(C.FREE_TEXT, B.CONSENT),
            "limits": F(C.FREE_TEXT, B.CONSENT),
        },
        anonymised_with="volunteers.Volunteer",
    ),
)


def privacy_register() -> None:
    for entry in ENTRIES:
        register(entry)
