"""Hostile input for every form of the refugee register and the referral (tests/hostile.py)."""

from tests.factories.refugees import ReferralNoteFactory, RefugeeFactory
from tests.hostile import HostileRow

PERSON = {
    "first_name": "text",
    "last_name": "text",
    "gender": "choice",
    "birth_year": "int",
    "phone": "text",
    "email": "email",
    "address": "text",
    "district": "int",
    "languages": "int",
    "german_level": "choice",
    "needs": "int",
    "needs_text": "text",
    "pref_volunteer_gender": "choice",
    "preferences_text": "text",
    "arrived_on": "date",
    "residence_status": "int",
    "health_notes": "text",
    "notes": "text",
}
# an empty household: the management form of the formset, as the page sends it
HOUSEHOLD = {
    "members-TOTAL_FORMS": "0",
    "members-INITIAL_FORMS": "0",
    "members-MIN_NUM_FORMS": "0",
    "members-MAX_NUM_FORMS": "1000",
}
# the referral and edit pages are big: fewer examples each keep the hostile module within a minute
EXAMPLES = 15
CONSENT = {
    "consent-consent_given": "on",
    "consent-text_version": "2026-01",
    "consent-given_on": "2026-11-20",
    "consent-channel": "paper",
}


def populate(world) -> None:
    world.refugees_hostile = RefugeeFactory(
        organisation=world.org, referred_by=world.users["referrer"], referring_organisation=world.city
    )
    world.refugees_hostile_note = ReferralNoteFactory(
        refugee=world.refugees_hostile, author=world.users["coordinator"]
    )


def _row(*args, **kwargs) -> HostileRow:
    return HostileRow(*args, max_examples=EXAMPLES, **kwargs)


def _pk(w):
    return {"pk": w.refugees_hostile.pk}


ROWS = [
    _row("refugees:refugee_create", {**PERSON, "organisation": "int"}, fixed={**HOUSEHOLD, **CONSENT}),
    _row(
        "refugees:refugee_create",
        {"first_name": "text", "last_name": "text", "needs_text": "text", "notes": "text"},
        role="referrer",
        fixed={**HOUSEHOLD, **CONSENT, "gender": "unspecified", "german_level": "A0"},
        note="referrer, text fields",
    ),
    _row(
        "refugees:refugee_create",
        {
            "members-TOTAL_FORMS": "int",
            "members-INITIAL_FORMS": "int",
            "members-MIN_NUM_FORMS": "int",
            "members-MAX_NUM_FORMS": "int",
            "members-0-role": "choice",
            "members-0-first_name": "text",
            "members-0-birth_year": "int",
            "members-0-gender": "choice",
        },
        fixed=CONSENT,
        note="household formset",
    ),
    _row(
        "refugees:refugee_create",
        {
            "consent-consent_given": "bool",
            "consent-text_version": "text",
            "consent-given_on": "date",
            "consent-channel": "choice",
            "consent-interpreter_used": "bool",
            "consent-interpreter_language": "int",
        },
        fixed=HOUSEHOLD,
        note="consent",
    ),
    _row(
        "refugees:refugee_edit",
        {
            **PERSON,
            "interests": "text",
            "available_weekdays": "int",
            "available_times": "choice",
            "coordinator": "int",
            "organisation": "int",
        },
        kwargs=_pk,
        fixed=HOUSEHOLD,
    ),
    _row(
        "refugees:refugee_edit",
        {"first_name": "text", "phone": "text", "interests": "text", "notes": "text"},
        kwargs=_pk,
        user=lambda w: w.users["partner"],
        fixed={**HOUSEHOLD, "gender": "unspecified", "german_level": "A0", "pref_volunteer_gender": "any"},
        note="partner, text fields",
    ),
    _row(
        "refugees:refugee_intake",
        {
            "intake_on": "date",
            "intake_by": "int",
            "coordinator": "int",
            "languages": "int",
            "german_level": "choice",
            "needs": "int",
            "needs_text": "text",
            "pref_volunteer_gender": "choice",
            "preferences_text": "text",
            "interests": "text",
            "available_weekdays": "int",
            "available_times": "choice",
            "residence_status": "int",
            "health_notes": "text",
            "intake_notes": "text",
        },
        kwargs=_pk,
    ),
    _row("refugees:refugee_close", {"reason": "choice", "note": "text"}, kwargs=_pk),
    _row("refugees:referral_note_add", {"text": "text"}, kwargs=_pk),
    _row("refugees:referral_note_add", {"text": "text"}, kwargs=_pk, role="referrer", note="referrer"),
    _row(
        "refugees:referral_note_edit", {"text": "text"}, kwargs=lambda w: {"pk": w.refugees_hostile_note.pk}
    ),
]
