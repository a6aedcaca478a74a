"""The filter forms' reference-data choices are read once per process and version (core/reference.py)."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import District
from core.reference import VERSION_KEY

REFERENCE_TABLES = ("core_district", "core_language", "core_helparea", "core_organisation")


def _reference_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    sql = [q["sql"] for q in captured.captured_queries]
    return [s for s in sql if any(f'FROM "{t}"' in s for t in REFERENCE_TABLES)], response


def test_list_pages_read_the_reference_tables_once(client, coordinator):
    client.force_login(coordinator)
    for name in ("volunteers:volunteer_list", "refugees:refugee_list"):
        first, _response = _reference_queries(client, reverse(name))
        assert first, "the first request reads the choices"
        again, _response = _reference_queries(client, reverse(name))
        assert again == []


def test_an_edit_of_reference_data_shows_in_the_next_request(client, coordinator):
    client.force_login(coordinator)
    url = reverse("volunteers:volunteer_list")
    client.get(url)
    District.objects.create(code="neu", name_de="Neustadt-Test", name_en="New town", latitude=52, longitude=9)
    _queries, response = _reference_queries(client, url)
    assert "Neustadt-Test" in response.content.decode()
    district = District.objects.get(code="neu")
    district.delete()
    assert "Neustadt-Test" not in client.get(url).content.decode()


def test_a_version_changed_by_another_process_reloads_the_choices(client, coordinator):
    client.force_login(coordinator)
    url = reverse("volunteers:volunteer_list")
    client.get(url)
    # another worker saved a district: the row and the version change, this process's signal never ran
    District.objects.filter(pk=District.objects.first().pk).update(name_de="Anderswo-Test")
    assert "Anderswo-Test" not in client.get(url).content.decode(), "cached until the version changes"
    cache.set(VERSION_KEY, "changed-elsewhere", timeout=None)
    assert "Anderswo-Test" in client.get(url).content.decode()
    cache.delete(VERSION_KEY)  # a culled version is replaced by a new one: read again, never stale
    District.objects.filter(name_de="Anderswo-Test").update(name_de="Woanders-Test")
    assert "Woanders-Test" in client.get(url).content.decode()


def test_a_filter_value_outside_the_choices_is_refused(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("volunteers:volunteer_list"), {"district": "999999"})
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen" in response.content.decode()
    assert len(response.context["rows"]) == 0
