"""Hostile input for every form of the volunteer register (tests/hostile.py, tests/core/test_hostile_input.py).

Choice and foreign-key fields are fuzzed too: they must fail validation with a message, never with a 500."""

from tests.factories.core import MembershipFactory
from tests.factories.volunteers import VolunteerFactory
from tests.hostile import HostileRow
from volunteers.models import Interview, StatusChange

VOLUNTEER_FIELDS = {
    "first_name": "text",
    "last_name": "text",
    "email": "email",
    "phone": "text",
    "address": "text",
    "birth_date": "date",
    "gender": "choice",
    "migration_background": "choice",
    "district": "int",
    "available_weekdays": "int",
    "available_times": "choice",
    "hours_per_month": "int",
    "capacity": "int",
    "help_areas": "int",
    "pref_gender": "choice",
    "pref_families": "choice",
    "pref_age_min": "int",
    "pref_age_max": "int",
    "interests": "text",
    "source": "choice",
    "notes": "text",
}
# the language rows: a formset whose management form itself is hostile input too
LANGUAGES = {"languages-TOTAL_FORMS": "1", "languages-INITIAL_FORMS": "0", "languages-MAX_NUM_FORMS": "12"}


def populate(world) -> None:
    world.volunteers_hostile = VolunteerFactory(organisation=world.org, first_name="Anna", last_name="Berg")
    world.volunteers_hostile_twin = VolunteerFactory(
        organisation=world.org, first_name="Anna", last_name="Berg", email=world.volunteers_hostile.email
    )
    world.volunteers_hostile_step = StatusChange.objects.create(
        volunteer=world.volunteers_hostile, status="registered"
    )
    held_by = MembershipFactory(organisation=world.org, role="partner").user
    world.volunteers_hostile_interview = Interview.objects.create(
        volunteer=world.volunteers_hostile, held_on="2026-11-01", held_by=held_by, outcome="suitable"
    )


def _pk(w):
    return {"pk": w.volunteers_hostile.pk}


ROWS = [
    HostileRow(
        "volunteers:bulk_message_create",
        {"subject": "text", "text": "text", "expected": "int", "action": "text"},
        note="a message to the whole list (a row is stored only after a confirmed, valid send)",
    ),
    HostileRow(
        "volunteers:volunteer_create",
        {**VOLUNTEER_FIELDS, "consent_channel": "choice", "consent_version": "text", "organisation": "int"},
        fixed=LANGUAGES,
        max_examples=15,  # a big page: fewer examples keep the hostile module within a minute
    ),
    HostileRow(
        "volunteers:volunteer_create",
        {"first_name": "text", "last_name": "text", "email": "email", "notes": "text"},
        fixed={**LANGUAGES, "consent_channel": "paper", "consent_version": "2026-01"},
        note="text fields only",
    ),
    HostileRow(
        "volunteers:volunteer_create",
        {
            "languages-TOTAL_FORMS": "int",
            "languages-INITIAL_FORMS": "int",
            "languages-MAX_NUM_FORMS": "int",
            "languages-0-language": "int",
            "languages-0-level": "choice",
        },
        note="language formset",
    ),
    HostileRow("volunteers:volunteer_edit", VOLUNTEER_FIELDS, kwargs=_pk, fixed=LANGUAGES, max_examples=15),
    HostileRow(
        "volunteers:volunteer_edit",
        {"first_name": "text", "last_name": "text", "phone": "text", "address": "text", "notes": "text"},
        kwargs=_pk,
        fixed={**LANGUAGES, "gender": "unspecified", "pref_gender": "any", "pref_families": "either"},
        note="text fields only",
    ),
    HostileRow("volunteers:volunteer_status", {"status": "choice", "note": "text"}, kwargs=_pk),
    HostileRow(
        "volunteers:volunteer_status",
        {"note": "text"},
        kwargs=_pk,
        fixed={"status": "interview_done"},
        note="a valid status",
    ),
    HostileRow(
        "volunteers:status_change_edit",
        {"note": "text"},
        kwargs=lambda w: {"pk": w.volunteers_hostile.pk, "step_pk": w.volunteers_hostile_step.pk},
    ),
    HostileRow(
        "volunteers:interview_create",
        {"held_on": "date", "held_by": "int", "outcome": "choice", "motivation": "text", "limits": "text"},
        kwargs=_pk,
    ),
    HostileRow(
        "volunteers:interview_create",
        {"held_on": "date", "motivation": "text", "limits": "text"},
        kwargs=_pk,
        user=lambda w: w.users["partner"],
        fixed={"outcome": "suitable"},
        note="partner, valid outcome",
    ),
    HostileRow(
        "volunteers:interview_edit",
        {"held_on": "date", "held_by": "int", "outcome": "choice", "motivation": "text", "limits": "text"},
        kwargs=lambda w: {"pk": w.volunteers_hostile.pk, "interview_pk": w.volunteers_hostile_interview.pk},
    ),
    HostileRow(
        "volunteers:clearance_create",
        {"issued_on": "date", "seen_on": "date", "seen_by": "int", "valid_until": "date"},
        kwargs=_pk,
    ),
    HostileRow("volunteers:volunteer_import_upload", {"file": "text", "organisation": "int"}),
    HostileRow(
        "signup:signup_form",
        {
            "first_name": "text",
            "last_name": "text",
            "email": "email",
            "phone": "text",
            "birth_date": "date",
            "district": "int",
            "languages": "int",
            "help_areas": "int",
            "source": "choice",
            "message": "text",
            "consent": "bool",
            "website": "text",
        },
        role="anonymous",
    ),
    HostileRow("volunteers:volunteer_anonymise", {"confirm": "bool"}, kwargs=_pk),
    HostileRow(
        "volunteers:volunteer_merge",
        {"confirm": "bool"},
        kwargs=lambda w: {"pk": w.volunteers_hostile.pk, "other_pk": w.volunteers_hostile_twin.pk},
    ),
]
