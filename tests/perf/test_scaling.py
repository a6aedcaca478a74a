"""What the city-scale benchmark (docs/performance.md) relies on, kept by fast tests: pages that stay a
fixed number of queries and bounded in rows whatever the data, and the plain-row volunteer export."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import HelpArea, Language
from tandems.models import CheckIn, Tandem
from tandems.views import CASELOAD_PER_PAGE
from tests.factories.tandems import ActiveTandemFactory
from tests.factories.trainings import SessionFactory
from tests.factories.volunteers import ReadyVolunteerFactory, VolunteerFactory, VolunteerLanguageFactory
from trainings.views import REGISTER_SEARCH_LIMIT

TODAY = datetime.date.today()


def _queries(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            response.body = b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured), response


def _open_tandems(org, partner, count: int) -> None:
    while Tandem.objects.filter(coordinator=partner).count() < count:
        ActiveTandemFactory(
            organisation=org, coordinator=partner, started_on=TODAY - datetime.timedelta(days=40)
        )


def test_caseload_is_paginated_with_counts_over_all_and_overdue_first(client, org, partner):
    _open_tandems(org, partner, CASELOAD_PER_PAGE + 3)
    late = Tandem.objects.filter(coordinator=partner).order_by("-pk").first()
    CheckIn.objects.create(tandem=late, planned_on=TODAY - datetime.timedelta(days=3))
    client.force_login(partner)
    response = client.get(reverse("tandems:caseload"))
    rows = list(response.context["rows"])
    assert len(rows) == CASELOAD_PER_PAGE
    assert rows[0].pk == late.pk, "overdue first, also across pages"
    assert response.context["total_count"] == CASELOAD_PER_PAGE + 3
    assert response.context["overdue_count"] == 1
    second = client.get(reverse("tandems:caseload") + "?page=2")
    assert len(second.context["rows"]) == 3
    assert "Seite 2 von 2" in second.content.decode()


def test_caseload_queries_are_the_same_for_5_and_60_tandems(
    client, org, partner, django_assert_max_num_queries
):
    client.force_login(partner)
    _open_tandems(org, partner, 5)
    client.get(reverse("tandems:caseload"))  # the first request of a session writes it once
    with django_assert_max_num_queries(12):
        small, _response = _queries(client, reverse("tandems:caseload"))
    _open_tandems(org, partner, 60)
    assert _queries(client, reverse("tandems:caseload"))[0] == small


def test_caseload_sorts_and_limits_the_tandems_before_joining_the_people(client, org, partner):
    """The page's rows: the urgency order and the page's LIMIT on the tandems alone (a subquery of ids),
    then the people, organisation and coordinator of those 50 only (issue #21)."""
    _open_tandems(org, partner, 5)
    client.force_login(partner)
    client.get(reverse("tandems:caseload"))
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("tandems:caseload"))
    joined = [q["sql"] for q in captured if 'INNER JOIN "volunteers_volunteer"' in q["sql"]]
    assert joined, "the page reads the volunteers of its rows"
    for sql in joined:
        outer, _sep, inner = sql.partition('"tandems_tandem"."id" IN (SELECT')
        assert inner, f"the rows are chosen by a subquery of ids: {sql}"
        limit = re.search(r"LIMIT (\d+)", inner)
        assert limit and int(limit.group(1)) <= CASELOAD_PER_PAGE, inner
        # an EXISTS (the at-risk rules' survey lookup) ends in its own "LIMIT 1)"; the page's LIMIT is inside
        assert "LIMIT" not in outer.replace("LIMIT 1)", "") and "OFFSET" not in outer
        assert "volunteers_volunteer" not in inner and "refugees_refugee" not in inner


def test_registration_search_answers_a_bounded_choice_of_volunteers(
    client, fwz, coordinator, django_assert_max_num_queries
):
    session = SessionFactory(organisation=fwz)
    url = reverse("trainings:registration_search", args=[session.pk]) + "?q=Zi"
    client.force_login(coordinator)
    VolunteerFactory.create_batch(5, organisation=fwz, last_name="Zimmer")
    client.get(url)  # the first request of a session writes it once
    small, response = _queries(client, url)
    assert len(response.context["search"]["matches"]) == 5
    VolunteerFactory.create_batch(REGISTER_SEARCH_LIMIT + 5, organisation=fwz, last_name="Zimmer")
    with django_assert_max_num_queries(small):
        big, response = _queries(client, url)
    assert len(response.context["search"]["matches"]) == REGISTER_SEARCH_LIMIT
    assert big == small


def _export(client, query: str = "") -> list[list[str]]:
    _count, response = _queries(client, reverse("volunteers:volunteer_list") + "?format=csv" + query)
    return list(csv.reader(io.StringIO(response.body.decode("utf-8").lstrip("\ufeff")), delimiter=";"))


@pytest.mark.parametrize("language", ["de", "en"])
def test_volunteer_export_reads_plain_rows_with_names_and_labels(client, fwz, coordinator, language):
    volunteer = ReadyVolunteerFactory(organisation=fwz, last_name="Zimmer", gender="female", source="")
    VolunteerLanguageFactory(volunteer=volunteer)
    VolunteerLanguageFactory(volunteer=volunteer, language=Language.objects.get(code="ar"), level="basic")
    volunteer.help_areas.add(*HelpArea.objects.order_by("sort_order")[:2])
    client.force_login(coordinator)
    client.cookies.load({"django_language": language})
    header, row = _export(client)
    cells = dict(zip(header, row, strict=True))
    areas = HelpArea.objects.order_by("sort_order")[:2]
    if language == "de":
        assert cells["Geschlecht"] == "weiblich"
        assert cells["Sprachen"] == "Deutsch (Muttersprache), Arabisch (Grundkenntnisse)"
        assert cells["Unterstützungsbereiche"] == ", ".join(a.name_de for a in areas)
        assert cells["Status"] == "geschult"
    else:
        assert cells["Gender"] == "female"
        assert cells["Languages"] == "German (native speaker), Arabic (basic)"
        assert cells["Areas of help"] == ", ".join(a.name_en for a in areas)
    assert row[2] == "Zimmer"


def test_volunteer_export_queries_are_the_same_for_5_and_40_rows(
    client, fwz, coordinator, django_assert_max_num_queries
):
    client.force_login(coordinator)
    for volunteer in ReadyVolunteerFactory.create_batch(5, organisation=fwz):
        VolunteerLanguageFactory(volunteer=volunteer)
    _export(client)  # the first request of a session writes it once (and sets the reference-data version)
    with django_assert_max_num_queries(11):
        small, _response = _queries(client, reverse("volunteers:volunteer_list") + "?format=csv")
    for volunteer in ReadyVolunteerFactory.create_batch(35, organisation=fwz):
        VolunteerLanguageFactory(volunteer=volunteer)
    big, response = _queries(client, reverse("volunteers:volunteer_list") + "?format=csv")
    assert big == small
    assert response.body.count(b"\n") == 41


LIST_PAGES = [
    "volunteers:volunteer_list",
    "volunteers:volunteer_inbox",
    "refugees:refugee_list",
    "refugees:refugee_waiting_list",
    "tandems:tandem_list",
    "trainings:session_list?when=coming",
    "trainings:basic_waiting_list",
]
LIST_MAX_QUERIES = 8  # issue #21: at most 8 per list page, the same at every size


def _fill(fwz, count: int) -> None:
    from tests.factories.refugees import WaitingRefugeeFactory

    for volunteer in ReadyVolunteerFactory.create_batch(count, organisation=fwz):
        VolunteerLanguageFactory(volunteer=volunteer)
        volunteer.help_areas.add(*HelpArea.objects.order_by("sort_order")[:2])
    WaitingRefugeeFactory.create_batch(count, organisation=fwz)
    ActiveTandemFactory.create_batch(count, organisation=fwz)
    SessionFactory.create_batch(count, organisation=fwz)


@pytest.mark.parametrize("name", LIST_PAGES)
def test_list_pages_take_at_most_8_queries_at_every_size(client, fwz, coordinator, name):
    client.force_login(coordinator)
    name, _sep, query = name.partition("?")
    url = reverse(name) + (f"?{query}" if query else "")
    _fill(fwz, 3)
    client.get(url)  # the first request of a session writes it once (and sets the reference-data version)
    small, _response = _queries(client, url)
    _fill(fwz, 30)
    with CaptureQueriesContext(connection) as captured:
        big, _response = _queries(client, url)
    assert big == small
    assert big <= LIST_MAX_QUERIES, "\n".join(q["sql"][:160] for q in captured.captured_queries)


def test_volunteer_list_reads_no_help_areas(client, fwz, coordinator):
    """No template of the list shows the areas of help (the export reads its own rows)."""
    _fill(fwz, 3)
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as captured:
        _queries(client, reverse("volunteers:volunteer_list"))
    assert not [q for q in captured.captured_queries if "volunteer_help_areas" in q["sql"]]
