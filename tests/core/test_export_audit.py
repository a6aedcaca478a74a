"""Every staff export of personal data leaves one `core.export.downloaded` entry: who, when, which list,
which filter (without page and format), in which format and how many rows."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from core.audit import EXPORT_DOWNLOADED, action_label
from core.models import AuditEntry
from refugees.models import Refugee
from tests.conftest import client_for
from tests.factories.refugees import RefugeeFactory
from tests.factories.volunteers import VolunteerFactory
from volunteers.models import Volunteer, VolunteerStatus


def _export_entry() -> AuditEntry:
    return AuditEntry.objects.get(action=EXPORT_DOWNLOADED)


def test_a_filtered_csv_export_records_who_which_list_filter_and_rows(coordinator, fwz):
    VolunteerFactory.create_batch(3, organisation=fwz, status=VolunteerStatus.ACTIVE)
    VolunteerFactory(organisation=fwz, status=VolunteerStatus.PAUSED)
    response = client_for(coordinator).get(
        reverse("volunteers:volunteer_list"), {"status": "active", "format": "csv", "page": "2"}
    )
    assert response.status_code == 200
    assert len(b"".join(response.streaming_content).decode("utf-8-sig").splitlines()) == 4
    entry = _export_entry()
    assert entry.actor == coordinator and entry.actor_repr == str(coordinator)
    assert entry.content_type == ContentType.objects.get_for_model(Volunteer) and entry.object_id == ""
    assert entry.organisation == fwz
    assert entry.changes == {
        "list": [None, "ehrenamtliche"],
        "filter": [None, "status=active"],
        "format": [None, "csv"],
        "rows": [None, 3],
    }
    assert entry.at is not None


def test_an_xlsx_export_is_recorded_too(coordinator, fwz):
    RefugeeFactory.create_batch(2, organisation=fwz)
    response = client_for(coordinator).get(
        reverse("refugees:refugee_list"), {"format": "xlsx", "sort": "-name"}
    )
    assert response.status_code == 200
    entry = _export_entry()
    assert entry.content_type == ContentType.objects.get_for_model(Refugee)
    assert entry.changes["format"] == [None, "xlsx"] and entry.changes["rows"] == [None, 2]
    assert entry.changes["filter"] == [None, "sort=-name"]


@pytest.mark.parametrize(
    "name",
    [
        "volunteers:volunteer_list",
        "volunteers:volunteer_inbox",
        "refugees:refugee_list",
        "refugees:refugee_waiting_list",
        "tandems:tandem_list",
        "trainings:session_list",
        "trainings:basic_waiting_list",
    ],
)
def test_every_list_export_is_recorded(coordinator, name):
    response = client_for(coordinator).get(reverse(name), {"format": "csv"})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    entry = _export_entry()
    assert entry.actor == coordinator and entry.changes["format"] == [None, "csv"]


def test_showing_a_list_page_is_not_an_export(coordinator):
    assert client_for(coordinator).get(reverse("volunteers:volunteer_list")).status_code == 200
    assert not AuditEntry.objects.filter(action=EXPORT_DOWNLOADED).exists()


def test_an_export_has_a_label(settings):
    assert action_label(EXPORT_DOWNLOADED) == "Personenbezogene Daten exportiert"
