"""The closure's integration outcomes in the grant report ("Wirkung") and in the evaluation export."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from core.models import EndReason
from reporting import evaluation
from reporting.figures import report_build
from reporting.selectors import Period
from tandems import services
from tandems.models import IntegrationOutcome, TandemClosure
from tests.conftest import client_for
from tests.factories.tandems import ActiveTandemFactory, closure_answers

TODAY = datetime.date.today()
PERIOD = Period(TODAY - datetime.timedelta(days=30), TODAY)


def _ended(org, coordinator, codes, **answers):
    tandem = ActiveTandemFactory(organisation=org)
    outcomes = list(IntegrationOutcome.objects.filter(code__in=codes))
    return services.tandem_end(
        tandem=tandem,
        actor=coordinator,
        ended_on=TODAY,
        end_reason=EndReason.objects.get(code="self-reliant"),
        volunteer_wants_new=False,
        refugee_needs_new=False,
        **closure_answers(outcomes=outcomes, no_outcome=not outcomes, **answers),
    )


@pytest.fixture
def six_closed(org, coordinator):
    for _ in range(5):
        _ended(org, coordinator, ["job", "club"])
    _ended(org, coordinator, ["volunteering"], german_level_start="A1", german_level_end="B1")


def _row(report, label):
    figure = report.figure("integration_outcomes")
    return next(row for row in figure.table.rows if row.label == label).cells[0]


def test_the_impact_section_counts_each_outcome(six_closed, org):
    report = report_build(organisations=org.__class__.objects.all(), period=PERIOD, hide_small=False)
    assert "Wirkung" in [section.title for section in report.sections]
    figure = report.figure("integration_outcomes")
    assert figure.headline.value == 6
    assert _row(report, "Praktikum, Ausbildung oder Arbeit").value == 5
    assert _row(report, "Mitglied in einem Verein oder einer Gruppe").value == 5
    assert _row(report, "Engagiert sich selbst ehrenamtlich").value == 1
    assert _row(report, "Kita- oder Schulplatz").value == 0


def test_small_outcome_counts_are_hidden_from_steering(six_closed, org):
    report = report_build(organisations=org.__class__.objects.all(), period=PERIOD, hide_small=True)
    assert str(_row(report, "Engagiert sich selbst ehrenamtlich")) == "<5"
    assert _row(report, "Engagiert sich selbst ehrenamtlich").shown is None
    assert _row(report, "Praktikum, Ausbildung oder Arbeit").shown == 5
    assert report.figure("integration_outcomes").headline.shown == 6


def test_the_export_has_one_column_per_outcome_and_the_german_levels(six_closed, evaluator):
    response = client_for(evaluator).get(
        reverse("reporting:evaluation_export"), {"format": "csv", "table": "tandems"}
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 6
    volunteering = [row for row in rows if row["outcome_volunteering"] == "yes"]
    assert len(volunteering) == 1
    assert volunteering[0]["outcome_job"] == "no" and volunteering[0]["outcome_childcare_school"] == "no"
    assert (volunteering[0]["german_level_start"], volunteering[0]["german_level_end"]) == ("A1", "B1")
    assert sum(row["outcome_job"] == "yes" for row in rows) == 5
    assert {row["household_wish"] for row in rows} == {"none"}


def test_an_outcome_added_by_an_admin_gets_its_column_and_codebook_entry(evaluator, db):
    IntegrationOutcome.objects.create(code="flat", name_de="Wohnung gefunden", name_en="Found a flat")
    names = evaluation.TABLES["tandems"].header()
    assert {"outcome_job", "outcome_flat", "german_level_start", "german_level_end"} <= set(names)
    text = client_for(evaluator).get(reverse("reporting:evaluation_codebook")).text
    assert "<code>outcome_flat</code>" in text and "Wohnung gefunden" in text


def test_a_tandem_without_closure_has_empty_outcome_cells(org, evaluator):
    ActiveTandemFactory(organisation=org)
    assert not TandemClosure.objects.exists()
    response = client_for(evaluator).get(
        reverse("reporting:evaluation_export"), {"format": "csv", "table": "tandems"}
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(text), delimiter=";")
    assert row["outcome_job"] == "" and row["german_level_end"] == ""
