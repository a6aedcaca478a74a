"""Volunteers, their timeline notes and interview texts: created, changed and anonymised through the
staff views, each write leaving its audit entry."""

from django.urls import reverse

from tests.conftest import client_for
from volunteers.models import Interview, StatusChange, Volunteer


def _create_volunteer(world) -> tuple:
    client = client_for(world.users["coordinator"])
    client.post(
        reverse("volunteers:volunteer_create"),
        {
            "organisation": world.org.pk,
            "first_name": "Petra",
            "last_name": "Protokoll",
            "email": "petra@example.org",
            "gender": "female",
            "migration_background": "no",
            "hours_per_month": "8",
            "capacity": "1",
            "pref_gender": "any",
            "pref_families": "either",
            "consent_channel": "paper",
            "consent_version": "2026-11",
            "languages-TOTAL_FORMS": "0",
            "languages-INITIAL_FORMS": "0",
        },
    )
    return client, Volunteer.objects.get(email="petra@example.org")


def _edit_data(volunteer: Volunteer, **changes) -> dict:
    data = {
        "organisation": volunteer.organisation_id,
        "first_name": volunteer.first_name,
        "last_name": volunteer.last_name,
        "email": volunteer.email,
        "gender": volunteer.gender,
        "migration_background": volunteer.migration_background,
        "hours_per_month": volunteer.hours_per_month,
        "capacity": volunteer.capacity,
        "pref_gender": volunteer.pref_gender,
        "pref_families": volunteer.pref_families,
        "languages-TOTAL_FORMS": "0",
        "languages-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


def _anonymise(client, volunteer: Volunteer) -> None:
    client.post(reverse("volunteers:volunteer_anonymise", args=[volunteer.pk]), {"confirm": "on"})


def exercise_volunteer(world) -> Volunteer:
    client, volunteer = _create_volunteer(world)
    client.post(
        reverse("volunteers:volunteer_edit", args=[volunteer.pk]), _edit_data(volunteer, phone="0511 123")
    )
    _anonymise(client, volunteer)
    return volunteer


def exercise_status_change(world) -> StatusChange:
    client, volunteer = _create_volunteer(world)
    client.post(
        reverse("volunteers:volunteer_status", args=[volunteer.pk]), {"status": "paused", "note": "Reise"}
    )
    step = volunteer.status_changes.get(status="paused")
    client.post(
        reverse("volunteers:status_change_edit", args=[volunteer.pk, step.pk]), {"note": "Reise bis März"}
    )
    _anonymise(client, volunteer)
    return step


def exercise_interview(world) -> Interview:
    client, volunteer = _create_volunteer(world)
    coordinator = world.users["coordinator"]
    data = {"held_on": "2026-11-20", "held_by": coordinator.pk, "outcome": "pending", "motivation": "Zeit"}
    client.post(reverse("volunteers:interview_create", args=[volunteer.pk]), data)
    interview = volunteer.interviews.get()
    client.post(
        reverse("volunteers:interview_edit", args=[volunteer.pk, interview.pk]),
        {**data, "outcome": "suitable", "limits": "keine Behördengänge"},
    )
    _anonymise(client, volunteer)
    return interview


CASES = {
    "volunteers.Volunteer": exercise_volunteer,
    "volunteers.StatusChange": exercise_status_change,
    "volunteers.Interview": exercise_interview,
}
