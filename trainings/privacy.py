"""The personal data trainings keeps (core/privacy.py is the mechanism; docs/privacy.md is generated).

Registered from `TrainingsConfig.ready()`; a volunteer's registrations are erased along with the volunteer.
"""

import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.models import RetentionUnit
from core.privacy import Basis as B
from core.privacy import Category as C
from core.privacy import Entry, Retention, extend, register
from core.privacy import PersonalField as F


def _session_held(qs: QuerySet, cutoff: datetime.datetime) -> QuerySet:
    return qs.filter(ends_at__lt=cutoff)


ENTRIES = (
    Entry(
        label="trainings.Session",
        purpose=_("Training sessions and meetups: the trainer and organisational notes"),
        data_subjects=_("trainers"),
        recipients=_("FWZ coordinators and partner coordinators"),
        fields={
            "trainer": F(C.IDENTITY, B.LEGITIMATE_INTEREST),
            "notes": F(C.FREE_TEXT, B.LEGITIMATE_INTEREST),
        },
        retention=(
            Retention(
                code="trainings-session-held",
                amount=24,
                unit=RetentionUnit.MONTHS,
                description=_("after the session took place"),
                expired=_session_held,
            ),
        ),
    ),
    Entry(
        label="trainings.Registration",
        purpose=_("Registrations for and attendance of trainings (counted for the grant report)"),
        data_subjects=_("volunteers (mentors)"),
        fields={"note": F(C.FREE_TEXT, B.CONSENT)},
        anonymised_with="volunteers.Volunteer",
    ),
)


def privacy_register() -> None:
    for entry in ENTRIES:
        register(entry)
    extend("volunteers.Volunteer", cascade=("training_registrations",))
