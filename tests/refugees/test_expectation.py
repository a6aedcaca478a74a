"""The household's expectation of a tandem (issue #20): how long (months) and how often (times a month),
recorded at the referral, the intake and on the edit form, shown on the page; optional."""

import datetime

from django.urls import reverse
from django.utils import timezone

from refugees.models import Refugee
from tests.conftest import client_for
from tests.factories.refugees import RefugeeFactory, WaitingRefugeeFactory
from tests.refugees.audit_cases import _referral_post
from tests.refugees.test_availability import _intake_post


def test_the_referral_records_the_households_expectation(referrer):
    client = client_for(referrer)
    assert 'name="expected_months"' in client.get(reverse("refugees:refugee_create")).content.decode()
    response = client.post(
        reverse("refugees:refugee_create"), _referral_post(expected_months="12", expected_per_month="4")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    refugee = Refugee.objects.get(last_name="Haddad")
    assert (refugee.expected_months, refugee.expected_per_month) == (12, 4)


def test_the_intake_records_it_and_a_bad_value_changes_nothing(coordinator, org):
    refugee = RefugeeFactory(organisation=org, referred_at=timezone.now() - datetime.timedelta(days=10))
    client = client_for(coordinator)
    url = reverse("refugees:refugee_intake", args=[refugee.pk])
    bad = client.post(url, _intake_post(coordinator, expected_months="7"))
    assert bad.status_code == 200 and "7 ist keine gültige Auswahl" in bad.content.decode()
    refugee.refresh_from_db()
    assert refugee.expected_months is None and refugee.intake_on is None
    response = client.post(url, _intake_post(coordinator, expected_months="24", expected_per_month="1"))
    assert response.status_code == 302
    refugee.refresh_from_db()
    assert (refugee.expected_months, refugee.expected_per_month) == (24, 1)


def test_the_page_shows_the_expectation(coordinator, org):
    refugee = WaitingRefugeeFactory(organisation=org, expected_months=6, expected_per_month=2)
    page = client_for(coordinator).get(reverse("refugees:refugee_detail", args=[refugee.pk])).content.decode()
    assert "Erwartung an das Tandem" in page and "6 Monate" in page and "zweimal im Monat" in page
    other = WaitingRefugeeFactory(organisation=org)
    page = client_for(coordinator).get(reverse("refugees:refugee_detail", args=[other.pk])).content.decode()
    assert "nicht angegeben" in page
