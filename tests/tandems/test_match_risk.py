"""The risk at match time (issue #20): transparent rules an admin weighs, shown beside each suggestion and
batch pair with its reasons in words and the line that the coordinator decides (DSGVO Art. 22), stored with
the tandem's explanation; computed only for the pairs shown, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import EndReason
from tandems.matching import suggest_volunteers
from tandems.matching.risk import RISK_RULES
from tandems.models import RiskRule
from tandems.services import tandem_propose
from tests.conftest import client_for
from tests.factories.core import help_area
from tests.factories.refugees import WaitingRefugeeFactory
from tests.factories.tandems import ActiveTandemFactory, TandemFactory
from tests.factories.trainings import PastSessionFactory, RegistrationFactory
from tests.factories.volunteers import ReadyVolunteerFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def _risk_of(refugee, volunteer, user):
    [found] = [s for s in suggest_volunteers(refugee=refugee, user=user) if s.volunteer.pk == volunteer.pk]
    return found.risk


def _seasoned(org, **kwargs):
    """A volunteer no rule warns about: a tandem before, a meetup a month ago, time and a long plan."""
    volunteer = ReadyVolunteerFactory(
        organisation=org,
        capacity=2,
        hours_per_month=10,
        commitment_months=24,
        commitment_per_month=4,
        **kwargs,
    )
    TandemFactory(
        organisation=org,
        volunteer=volunteer,
        status="ended",
        proposed_on=TODAY - datetime.timedelta(days=420),
        introduced_on=TODAY - datetime.timedelta(days=410),
        started_on=TODAY - datetime.timedelta(days=400),
        ended_on=TODAY - datetime.timedelta(days=30),
        end_reason=EndReason.objects.filter(is_active=True).first(),
    )
    session = PastSessionFactory(organisation=org)
    RegistrationFactory(session=session, volunteer=volunteer, attended=True)
    return volunteer


def test_the_defaults_are_seeded_one_row_per_rule():
    assert {r.code: float(r.weight) for r in RiskRule.objects.all()} == {
        "commitment": 2.0,
        "capacity": 1.0,
        "training": 1.0,
        "household": 1.5,
        "first_tandem": 1.0,
    }
    assert {rule.code for rule in RISK_RULES} == set(RiskRule.objects.values_list("code", flat=True))


def test_a_seasoned_volunteer_is_low_risk_with_no_reason(org, coordinator):
    refugee = WaitingRefugeeFactory(organisation=org, expected_months=12)
    risk = _risk_of(refugee, _seasoned(org), coordinator)
    assert (risk.level, risk.points, risk.texts) == ("low", 0, [])


def test_every_rule_gives_its_reason_in_words_and_the_points_make_the_level(org, coordinator):
    young = TODAY.year - 2
    refugee = WaitingRefugeeFactory(
        organisation=org, expected_months=12, children_count=1, youngest_birth_year=young
    )
    refugee.needs.set([help_area("german"), help_area("authorities"), help_area("flat")])
    volunteer = ReadyVolunteerFactory(organisation=org, capacity=2, hours_per_month=4, commitment_months=3)
    ActiveTandemFactory(organisation=org, volunteer=volunteer)  # already in one (so not a first tandem)
    risk = _risk_of(refugee, volunteer, coordinator)
    codes = [reason["code"] for reason in risk.reasons]
    assert codes == ["commitment", "capacity", "training", "household"]
    assert risk.texts == [
        "plant 3 Monate, 12 erwartet",
        "bereits in 1 offenen Tandem, nur 4 Stunden im Monat",
        "in den letzten 6 Monaten an keiner Schulung oder Zusammenkunft teilgenommen",
        "Haushalt mit 3 Bedarfen und einem Kind unter 6",
    ]
    assert risk.points == 5.5 and risk.level == "high" and risk.level_label == "hoch"


def test_a_first_tandem_alone_is_low_and_the_admin_weight_changes_the_level(org, coordinator):
    refugee = WaitingRefugeeFactory(organisation=org)
    volunteer = _seasoned(org)
    volunteer.tandems.all().delete()
    risk = _risk_of(refugee, volunteer, coordinator)
    assert (risk.level, risk.texts) == ("low", ["erstes Tandem der*des Ehrenamtlichen"])
    RiskRule.objects.filter(code="first_tandem").update(weight=3)
    assert _risk_of(refugee, volunteer, coordinator).level == "medium"
    RiskRule.objects.filter(code="first_tandem").update(is_active=False)
    assert _risk_of(refugee, volunteer, coordinator).texts == []


def test_the_suggestions_page_shows_the_risk_and_that_the_coordinator_decides(org, partner):
    refugee = WaitingRefugeeFactory(organisation=org, expected_months=24)
    ReadyVolunteerFactory(organisation=org, commitment_months=6)
    page = client_for(partner).get(reverse("tandems:tandem_suggest") + f"?refugee={refugee.pk}")
    text = page.content.decode()
    assert "Risiko bei der Paarbildung:" in text and "plant 6 Monate, 24 erwartet" in text
    assert "die Koordination entscheidet (Art. 22 DSGVO)" in text


def test_the_batch_pairs_explanation_shows_the_risk(org, partner):
    refugee = WaitingRefugeeFactory(organisation=org)
    volunteer = ReadyVolunteerFactory(organisation=org)
    url = reverse("tandems:tandem_batch_explain") + f"?refugee={refugee.pk}&volunteer={volunteer.pk}"
    text = client_for(partner).get(url).content.decode()
    assert "Risiko bei der Paarbildung:" in text and "erstes Tandem der*des Ehrenamtlichen" in text
    assert "Art. 22 DSGVO" in text


def test_the_risk_is_stored_with_the_proposed_tandem(org, coordinator):
    refugee = WaitingRefugeeFactory(organisation=org, expected_months=12)
    volunteer = ReadyVolunteerFactory(organisation=org, commitment_months=3)
    tandem = tandem_propose(volunteer=volunteer, refugee=refugee, actor=coordinator)
    risk = tandem.match_explanation["risk"]
    assert risk["level"] == "high" and risk["points"] == 4.0
    assert [r["code"] for r in risk["reasons"]] == ["commitment", "training", "first_tandem"]
    page = client_for(coordinator).get(tandem.get_absolute_url()).content.decode()
    assert "plant 3 Monate, 12 erwartet" in page


def test_the_risk_costs_the_same_queries_for_few_or_many_candidates(org, coordinator):
    refugee = WaitingRefugeeFactory(organisation=org)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            suggest_volunteers(refugee=refugee, user=coordinator)
        return len(captured)

    ReadyVolunteerFactory.create_batch(12, organisation=org)
    queries()  # the first call also reads the user's memberships
    few = queries()
    for volunteer in ReadyVolunteerFactory.create_batch(30, organisation=org):
        RegistrationFactory(session=PastSessionFactory(organisation=org), volunteer=volunteer, attended=True)
    many = queries()
    assert many == few, connection.queries[-many:]


def test_an_old_meetup_does_not_count_as_recent(org, coordinator):
    refugee = WaitingRefugeeFactory(organisation=org)
    volunteer = _seasoned(org)
    session = volunteer.training_registrations.get().session
    session.starts_at = timezone.now() - datetime.timedelta(days=200)
    session.ends_at = session.starts_at + datetime.timedelta(hours=2)
    session.save()
    assert "training" in [r["code"] for r in _risk_of(refugee, volunteer, coordinator).reasons]
