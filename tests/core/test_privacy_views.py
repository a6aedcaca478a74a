"""The access report (Art. 15), the erasure page (Art. 17) and the consent withdrawal for coordinators."""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_entries_for
from core.models import Consent, ConsentChannel
from tests.factories.refugees import HouseholdMemberFactory, RefugeeFactory
from tests.factories.tandems import ActiveTandemFactory
from tests.factories.volunteers import VolunteerFactory
from volunteers.models import Volunteer


def _kwargs(obj) -> dict:
    return {"app_label": obj._meta.app_label, "model": obj._meta.model_name, "pk": obj.pk}


@pytest.fixture
def consent(org):
    volunteer = VolunteerFactory(organisation=org, first_name="Vera", last_name="Vogt", notes="mag Hunde")
    return Consent.objects.create(
        content_type=ContentType.objects.get_for_model(volunteer),
        object_id=volunteer.pk,
        purpose="volunteer_register",
        text_version="2026-11",
        channel=ConsentChannel.ONLINE,
        given_at=timezone.now(),
    )


def test_access_report_shows_record_related_rows_and_consents(client, coordinator, consent):
    volunteer = Volunteer.objects.get(pk=consent.object_id)
    tandem = ActiveTandemFactory(
        organisation=volunteer.organisation, volunteer=volunteer, notes="trifft sich dienstags"
    )
    client.force_login(coordinator)
    response = client.get(reverse("core:privacy_access", kwargs=_kwargs(volunteer)))
    assert response.status_code == 200
    text = response.text
    assert "Vera Vogt" in text and "mag Hunde" in text
    assert "trifft sich dienstags" in text
    assert "volunteer_register" in text
    assert str(tandem.refugee.last_name) not in text, "the other side of the tandem is not disclosed"
    entry = audit_entries_for(volunteer).get(action="core.export.downloaded")
    assert entry.actor == coordinator and entry.organisation == volunteer.organisation
    assert entry.changes["list"] == [None, "access-report"] and entry.changes["format"] == [None, "html"]
    assert entry.changes["rows"][1] >= 2, "the person and their tandem at least"


def test_access_report_as_json_download(client, coordinator, org):
    refugee = RefugeeFactory(organisation=org, first_name="Amal", health_notes="Asthma")
    HouseholdMemberFactory(refugee=refugee, first_name="Sami")
    client.force_login(coordinator)
    response = client.get(reverse("core:privacy_access", kwargs=_kwargs(refugee)) + "?format=json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["subject"]["fields"]["first_name"] == "Amal"
    assert data["subject"]["fields"]["health_notes"] == "Asthma"
    assert [m["fields"]["first_name"] for m in data["related"]["refugees.HouseholdMember"]] == ["Sami"]
    assert any(e["action"] == "core.export.downloaded" for e in data["history"]) is False, (
        "logged after collecting"
    )
    assert audit_entries_for(refugee).get(action="core.export.downloaded").changes == {
        "list": [None, "access-report"],
        "filter": [None, ""],
        "format": [None, "json"],
        "rows": [None, 2],
    }


def test_erasure_confirm_page_and_post(client, coordinator, consent):
    volunteer = Volunteer.objects.get(pk=consent.object_id)
    url = reverse("core:privacy_erase", kwargs=_kwargs(volunteer))
    client.force_login(coordinator)
    page = client.get(url)
    assert page.status_code == 200 and "Vera Vogt" in page.text
    refused = client.post(url, {"reason": "Antrag"})
    assert refused.status_code == 200
    volunteer.refresh_from_db()
    assert volunteer.anonymised_at is None, "nothing happens without the confirmation"
    done = client.post(url, {"confirm": "on", "reason": "Antrag vom 24.11.2026"})
    assert done.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.anonymised_at is not None and volunteer.first_name == ""
    entry = audit_entries_for(volunteer).get(action="core.person.anonymised")
    assert entry.actor == coordinator and entry.changes["reason"] == [None, "Antrag vom 24.11.2026"]
    assert client.get(reverse("core:privacy_access", kwargs=_kwargs(volunteer))).status_code == 404


def test_erasure_is_refused_while_a_tandem_is_open(client, coordinator):
    tandem = ActiveTandemFactory()
    url = reverse("core:privacy_erase", kwargs=_kwargs(tandem.refugee))
    client.force_login(coordinator)
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 200
    assert "offenen Tandem" in response.text
    tandem.refugee.refresh_from_db()
    assert tandem.refugee.anonymised_at is None


def test_consent_withdrawal_by_htmx_returns_the_row(client, coordinator, consent):
    client.force_login(coordinator)
    response = client.post(
        reverse("core:privacy_consent_withdraw", kwargs={"pk": consent.pk}), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'id="consent-{consent.pk}"' in response.text
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


def test_partner_cannot_answer_requests_even_in_their_organisation(client, partner, consent):
    volunteer = Volunteer.objects.get(pk=consent.object_id)
    client.force_login(partner)
    assert client.get(reverse("core:privacy_access", kwargs=_kwargs(volunteer))).status_code == 403
    assert client.post(reverse("core:privacy_consent_withdraw", kwargs={"pk": consent.pk})).status_code == 403
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
