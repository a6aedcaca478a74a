"""The personal data tandems keeps, and what it adds to the records of volunteers and refugees
(core/privacy.py is the mechanism; docs/privacy.md is generated).

Registered from `TandemsConfig.ready()`. volunteers and refugees import no tandems: a person's tandems are
erased along with the person, an open tandem blocks the erasure, and a closed referral is kept while its
last tandem ended within the period; tandems says so here.
"""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.models import RetentionUnit
from core.privacy import Basis as B
from core.privacy import Blocker, Entry, Retention, extend, register, retention_keep_register
from core.privacy import Category as C
from core.privacy import PersonalField as F
from tandems.models import OPEN_STATUSES, Tandem

OPEN = {"status__in": OPEN_STATUSES}


def _tandem_ended(qs: QuerySet, cutoff: datetime.datetime) -> QuerySet:
    return qs.filter(
        Q(status="ended", ended_on__lt=cutoff.date()) | Q(status="not_started", updated_at__lt=cutoff)
    )


def _refugee_tandem_recent(qs: QuerySet, cutoff: datetime.datetime) -> QuerySet:
    """A closed referral stays while the person's tandem is open or ended after the cutoff."""
    recent = Tandem.objects.filter(refugee=OuterRef("pk")).filter(
        Q(status__in=OPEN_STATUSES) | Q(ended_on__gte=cutoff.date())
    )
    return qs.exclude(Exists(recent))


ENTRIES = (
    Entry(
        label="tandems.Tandem",
        purpose=_("Tandems: who accompanies whom, support by the coordinators, closing conversation"),
        data_subjects=_("volunteers and refugees in a tandem"),
        fields={
            "notes": F(C.FREE_TEXT, B.CONSENT),
            "closing_notes": F(C.FREE_TEXT, B.CONSENT),
            "not_started_reason": F(C.FREE_TEXT, B.CONSENT),
        },
        retention=(
            Retention(
                code="tandems-ended",
                amount=24,
                unit=RetentionUnit.MONTHS,
                description=_("after the tandem ended or did not start"),
                expired=_tandem_ended,
            ),
        ),
        cascade=("checkins", "hours_logs", "exit_conversations"),
    ),
    Entry(
        label="tandems.CheckIn",
        purpose=_("Check-ins and contacts with a tandem"),
        data_subjects=_("volunteers and refugees in a tandem"),
        fields={
            "topics": F(C.FREE_TEXT, B.CONSENT),
            "follow_up": F(C.FREE_TEXT, B.CONSENT),
        },
        anonymised_with="tandems.Tandem",
    ),
    Entry(
        label="tandems.ExitConversation",
        purpose=_("Exit conversations with each side when a tandem closes"),
        data_subjects=_("volunteers and refugees in a tandem"),
        fields={"notes": F(C.FREE_TEXT, B.CONSENT)},
        anonymised_with="tandems.Tandem",
    ),
    Entry(
        label="tandems.HoursLog",
        purpose=_("Hours a volunteer logged with their tandem, for the activity certificate"),
        data_subjects=_("volunteers in a tandem"),
        fields={"note": F(C.FREE_TEXT, B.CONSENT)},
        anonymised_with="tandems.Tandem",
    ),
)


# The relationship survey's answers (tandems.SurveyResponse, SurveyAnswer) have no entry: like a check-in's mood
# they hold no name and no free text (wave, side, date, values 1-5), so they declare PERSONAL_FIELDS = () and
# are kept when the tandem's free texts are erased; they become anonymous with the tandem's people
# (docs/participants.md § The relationship survey).


def privacy_register() -> None:
    for entry in ENTRIES:
        register(entry)
    extend(
        "volunteers.Volunteer",
        cascade=("tandems",),
        blockers=(Blocker("tandems", OPEN, _("The volunteer is in an open tandem. End the tandem first.")),),
    )
    extend(
        "refugees.Refugee",
        cascade=("tandems",),
        blockers=(Blocker("tandems", OPEN, _("The person is in an open tandem. End the tandem first.")),),
    )
    retention_keep_register("refugees-closed", _refugee_tandem_recent)
