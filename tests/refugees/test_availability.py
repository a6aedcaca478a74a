"""The household's available times: recorded at the intake and on the edit form, shown on the page (#18)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from refugees.models import Refugee
from tests.conftest import client_for
from tests.factories.core import help_area, language
from tests.factories.refugees import RefugeeFactory, WaitingRefugeeFactory
from tests.refugees.audit_cases import _referral_post

TODAY = timezone.localdate()


def _intake_post(user, **extra) -> dict:
    return {
        "intake_on": (TODAY - datetime.timedelta(days=3)).isoformat(),
        "intake_by": user.pk,
        "coordinator": user.pk,
        "languages": [language("ar").pk],
        "german_level": "A2",
        "needs": [help_area("german").pk],
        "pref_volunteer_gender": "any",
    } | extra


def test_the_intake_form_saves_the_households_times(coordinator, org):
    refugee = RefugeeFactory(organisation=org, referred_at=timezone.now() - datetime.timedelta(days=10))
    client = client_for(coordinator)
    form = client.get(reverse("refugees:refugee_intake", args=[refugee.pk])).content.decode()
    assert 'name="available_weekdays"' in form and 'name="available_times"' in form
    assert "Verfügbare Zeiten" in form
    response = client.post(
        reverse("refugees:refugee_intake", args=[refugee.pk]),
        _intake_post(coordinator, available_weekdays=["2", "0"], available_times=["afternoon"]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    refugee.refresh_from_db()
    assert sorted(refugee.available_weekdays) == [0, 2] and refugee.available_times == ["afternoon"]
    assert AuditEntry.objects.filter(
        action="refugees.refugee.changed", object_id=str(refugee.pk), changes__has_key="available_weekdays"
    ).exists()


def test_a_bad_weekday_is_refused_and_changes_nothing(coordinator, org):
    refugee = RefugeeFactory(organisation=org, referred_at=timezone.now() - datetime.timedelta(days=10))
    response = client_for(coordinator).post(
        reverse("refugees:refugee_intake", args=[refugee.pk]),
        _intake_post(coordinator, available_weekdays=["9"], available_times=["night"]),
    )
    assert response.status_code == 200
    assert "9 ist keine gültige Auswahl" in response.content.decode()
    refugee.refresh_from_db()
    assert refugee.available_weekdays == [] and refugee.intake_on is None


def test_the_edit_form_changes_the_times(coordinator, org):
    refugee = RefugeeFactory(organisation=org)
    post = _referral_post(first_name="A", last_name="B") | {
        "members-TOTAL_FORMS": "0",
        "organisation": org.pk,
        "available_weekdays": ["5"],
        "available_times": ["morning", "evening"],
    }
    response = client_for(coordinator).post(reverse("refugees:refugee_edit", args=[refugee.pk]), post)
    assert response.status_code == 302, response.content.decode()[:2000]
    refugee.refresh_from_db()
    assert (refugee.available_weekdays, refugee.available_times) == ([5], ["morning", "evening"])


def test_the_referral_form_does_not_ask_for_the_times(referrer):
    page = client_for(referrer).get(reverse("refugees:refugee_create")).content.decode()
    assert 'name="available_weekdays"' not in page


def test_the_refugee_page_shows_the_times(coordinator, org):
    refugee = WaitingRefugeeFactory(
        organisation=org, available_weekdays=[2, 0], available_times=["afternoon"]
    )
    page = client_for(coordinator).get(reverse("refugees:refugee_detail", args=[refugee.pk])).content.decode()
    assert "Verfügbare Zeiten" in page
    assert "Montag, Mittwoch; nachmittags" in page
    assert Refugee.objects.get(pk=refugee.pk).availability_display == "Montag, Mittwoch; nachmittags"
