"""The detail pages (issue #21): a fixed number of queries whatever the record holds, no lazy loads from
the templates (the people's organisation and district, who proposed the tandem), one query for the
personal links of both sides."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.links import link_create, links_about
from core.models import LinkPurpose
from core.services import channel_consent_change
from tandems.models import HelpRequest
from tests.factories.core import district
from tests.factories.refugees import WaitingRefugeeFactory, consent_for
from tests.factories.tandems import ActiveTandemFactory, CheckInFactory
from tests.factories.trainings import RegistrationFactory, SessionFactory, course_type
from tests.factories.volunteers import VolunteerFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()

# the fixed cost of a page (session, user, memberships; the tests save the session on every request)
# plus the page's own sections; 26 before issue #21
TANDEM_DETAIL_QUERIES = 18


def _queries(client, url: str):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return captured, response


@pytest.fixture
def tandem(org, partner):
    tandem = ActiveTandemFactory(
        organisation=org,
        coordinator=partner,
        proposed_by=partner,
        volunteer__district=district("mitte"),
        refugee__district=district("linden-limmer"),
    )
    return tandem


def _links(tandem, count: int) -> None:
    for side in (tandem.volunteer, tandem.refugee):
        for _ in range(count):
            link_create(person=side, purpose=LinkPurpose.CHECKIN, about=tandem)


def test_tandem_detail_runs_a_fixed_number_of_queries(client, partner, tandem, django_assert_max_num_queries):
    _links(tandem, 2)
    links_about(tandem).filter(person_id=tandem.refugee.pk, person_type__model="refugee").update(
        revoked_at=timezone.now()
    )
    HelpRequest.objects.create(tandem=tandem, by="volunteer")
    for days in (3, 10, 20):
        CheckInFactory(tandem=tandem, held_on=TODAY - datetime.timedelta(days=days))
    client.force_login(partner)
    url = reverse("tandems:tandem_detail", args=[tandem.pk])
    with django_assert_max_num_queries(TANDEM_DETAIL_QUERIES):
        response = client.get(url)
    page = response.content.decode()
    # the sections the saved queries fed are all still there
    assert str(tandem.volunteer.organisation) in page
    assert str(district("mitte")) in page and str(district("linden-limmer")) in page
    assert f"({partner})" in page  # proposed by
    links = response.context["participant_links"]
    assert links["volunteer"]["open"] == 2 and links["household"]["open"] == 0
    newest = (
        links_about(tandem)
        .filter(person_id=tandem.volunteer.pk, person_type__model="volunteer")
        .order_by("-created_at", "-pk")
        .first()
    )
    assert links["volunteer"]["last"] == newest


def test_tandem_detail_queries_do_not_grow_with_links_and_check_ins(client, partner, tandem):
    client.force_login(partner)
    url = reverse("tandems:tandem_detail", args=[tandem.pk])
    client.get(url)  # the first request of a session differs (the session is saved anew)
    few, _response = _queries(client, url)
    _links(tandem, 4)
    for days in range(1, 9):
        CheckInFactory(tandem=tandem, held_on=TODAY - datetime.timedelta(days=days))
    many, _response = _queries(client, url)
    assert len(many) == len(few) <= TANDEM_DETAIL_QUERIES


def test_probable_duplicates_read_the_records_by_their_shared_keys(client, coordinator, org):
    """Finding the shared keys and reading the records that hold them are two queries: as one (the
    groupings as subqueries of the records' query) PostgreSQL scanned every volunteer at city."""
    client.force_login(coordinator)
    url = reverse("volunteers:volunteer_duplicates")
    assert _queries(client, url)[1].context["groups"] == []  # no shared key: no records read
    for n in range(3):
        VolunteerFactory(organisation=org, email=f"doppelt{n}@example.org")
        VolunteerFactory(organisation=org, email=f"Doppelt{n}@example.org", phone=f"0511 99{n}")
        VolunteerFactory(organisation=org, email=f"anders{n}@example.org", phone=f"0511 99{n}")
    captured, response = _queries(client, url)
    assert sorted(len(group.member_ids) for group in response.context["groups"]) == [3, 3, 3]
    records = [q["sql"] for q in captured if '"volunteers_volunteer"."id" AS "pk"' in q["sql"]]
    assert len(records) == 1
    assert "HAVING" not in records[0] and "UNION" in records[0]


VOLUNTEER_DETAIL_QUERIES = 14  # 16 before issue #21: the consents read twice, the training hours summed apart
REFUGEE_DETAIL_QUERIES = 12  # 13 before: the consents read twice


def test_volunteer_detail_reads_each_consent_and_training_once(client, coordinator, org):
    volunteer = VolunteerFactory(organisation=org)
    channel_consent_change(person=volunteer, channel="email", given=True, actor=coordinator)
    for course, attended in (("basic", True), ("basic", False)):
        RegistrationFactory(
            volunteer=volunteer,
            session=SessionFactory(organisation=org, course_type=course_type(course)),
            attended=attended,
        )
    client.force_login(coordinator)
    url = reverse("volunteers:volunteer_detail", args=[volunteer.pk])
    client.get(url)
    captured, response = _queries(client, url)
    assert len(captured) <= VOLUNTEER_DETAIL_QUERIES
    assert [state.given_at is not None for state in response.context["channels"]] == [True, False]
    assert all(not row.purpose.startswith("messages_") for row in response.context["consents"])
    hours = str(course_type("basic").duration_hours).replace(".", ",")  # one basic course attended
    assert f"Stunden insgesamt: {hours}\n" in response.content.decode()


def test_refugee_detail_reads_the_consents_once(client, coordinator, fwz):
    refugee = WaitingRefugeeFactory(organisation=fwz)
    programme = consent_for(refugee)
    channel_consent_change(person=refugee, channel="sms", given=True, actor=coordinator)
    client.force_login(coordinator)
    url = reverse("refugees:refugee_detail", args=[refugee.pk])
    client.get(url)
    captured, response = _queries(client, url)
    assert len(captured) <= REFUGEE_DETAIL_QUERIES
    assert response.context["consents"] == [programme]
    assert [state.given_at is not None for state in response.context["channels"]] == [False, True]
