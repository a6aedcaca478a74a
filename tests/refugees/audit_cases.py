"""Referrals, household members and notes are audited when created, changed and removed."""

from django.urls import reverse

from core.models import ConsentChannel
from refugees.models import HouseholdMember, ReferralNote, Refugee, RefugeeStatus
from refugees.services import (
    household_member_add,
    household_member_remove,
    household_member_update,
    refugee_anonymise,
    refugee_close,
)
from tests.conftest import client_for
from tests.factories.core import language


def _referral_post(**extra) -> dict:
    data = {
        "first_name": "Samira",
        "last_name": "Haddad",
        "gender": "female",
        "phone": "0176 5550101",
        "languages": [language("ar").pk],
        "german_level": "A1",
        "pref_volunteer_gender": "any",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "20",
        "members-0-role": "child",
        "members-0-birth_year": "2019",
        "members-0-gender": "male",
        "consent-consent_given": "on",
        "consent-text_version": "2026-01",
        "consent-given_on": "2026-11-20",
        "consent-channel": ConsentChannel.PAPER,
    }
    data.update(extra)
    return data


def exercise_refugee(world) -> Refugee:
    """Referred in the form by a referrer, changed by a coordinator, closed and anonymised."""
    client_for(world.users["referrer"]).post(reverse("refugees:refugee_create"), _referral_post())
    refugee = Refugee.objects.get(last_name="Haddad")
    coordinator = world.users["coordinator"]
    client_for(coordinator).post(
        reverse("refugees:refugee_edit", args=[refugee.pk]),
        {
            **_referral_post(phone="0176 5550202", organisation=refugee.organisation_id),
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
        },
    )
    refugee = refugee_close(refugee=refugee, actor=coordinator, reason="moved")
    return refugee_anonymise(refugee=refugee, actor=coordinator)


def exercise_member(world) -> HouseholdMember:
    coordinator = world.users["coordinator"]
    client_for(world.users["referrer"]).post(reverse("refugees:refugee_create"), _referral_post())
    refugee = Refugee.objects.get(last_name="Haddad")
    member = household_member_add(
        refugee=refugee, actor=coordinator, data={"role": "adult", "birth_year": 1988, "first_name": "Omar"}
    )
    household_member_update(member=member, actor=coordinator, data={"first_name": "Omar Karim"})
    pk = member.pk
    household_member_remove(member=member, actor=coordinator)
    member.pk = pk  # delete() forgets the key; the audit trail keeps it
    return member


def exercise_note(world) -> ReferralNote:
    """A referrer writes, corrects and removes a note on their referral through the pages."""
    referrer = client_for(world.users["referrer"])
    referrer.post(reverse("refugees:refugee_create"), _referral_post())
    refugee = Refugee.objects.get(last_name="Haddad", status=RefugeeStatus.REFERRED)
    referrer.post(reverse("refugees:referral_note_add", args=[refugee.pk]), {"text": "Bitte melden"})
    note = ReferralNote.objects.get(refugee=refugee)
    referrer.post(reverse("refugees:referral_note_edit", args=[note.pk]), {"text": "Bitte bald melden"})
    referrer.post(reverse("refugees:referral_note_delete", args=[note.pk]))
    return note


CASES = {
    "refugees.Refugee": exercise_refugee,
    "refugees.HouseholdMember": exercise_member,
    "refugees.ReferralNote": exercise_note,
}
