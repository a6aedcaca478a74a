"""The relationship survey on the dashboard (small counts hidden, and the mean with them) and in the
pseudonymised evaluation export (one row per tandem, wave and side, documented in the codebook)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import Organisation
from reporting import evaluation
from reporting.figures import report_build
from reporting.selectors import Period
from tandems.models import SurveyResponse
from tests.conftest import client_for
from tests.factories.tandems import ActiveTandemFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 6, 15)


@pytest.fixture
def answered(org):
    """Six households answered the 1-month wave (two of them low), two volunteers the 3-month wave."""
    tandems = ActiveTandemFactory.create_batch(6, organisation=org)
    for index, tandem in enumerate(tandems):
        score = Decimal("2.00") if index < 2 else Decimal("4.50")
        SurveyResponse.objects.create(tandem=tandem, wave=1, side="household", answered_on=DAY, score=score)
    for tandem in tandems[:2]:
        SurveyResponse.objects.create(tandem=tandem, wave=3, side="volunteer", answered_on=DAY, score=4)
    return tandems


def _figure(hide: bool):
    report = report_build(
        organisations=Organisation.objects.all(), period=Period.for_year(2026), hide_small=hide
    )
    return report.figure("survey_scores")


def test_the_dashboard_shows_the_mean_per_wave_and_side_and_hides_small_counts(answered):
    figure = _figure(hide=True)
    assert str(figure.headline) == "8"
    rows = {row.label: [str(cell) for cell in row.cells] for row in figure.table.rows}
    # volunteers: answers, mean; households: answers, mean; low scores
    assert rows["nach 1 Monat"][2:4] == ["6", "3,7"]
    assert rows["nach 3 Monaten"][:2] == ["<5", "<5"]  # two volunteers: the count and its mean hidden
    assert rows["nach 1 Monat"][4] == "<5"  # two low answers
    assert all(cell == "<5" for cell in rows["nach 6 Monaten"][::2])  # zero is hidden too


def test_staff_who_may_see_the_people_see_every_count(answered):
    rows = {row.label: [str(cell) for cell in row.cells] for row in _figure(hide=False).table.rows}
    assert rows["nach 3 Monaten"][:2] == ["2", "4,0"]
    assert rows["nach 1 Monat"][4] == "2"


def test_the_evaluation_export_has_one_row_per_tandem_wave_and_side(answered, evaluator):
    response = client_for(evaluator).get(
        reverse("reporting:evaluation_export"), {"format": "csv", "table": "surveys"}
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 8
    first = rows[0]
    assert first["tandem_id"] == evaluation.pseudonym("T", answered[0].pk)
    assert (first["wave_months"], first["side"], first["answered_month"]) == ("1", "household", "2026-06")
    assert first["score"] == "2.00"
    assert {row["side"] for row in rows} == {"household", "volunteer"}


def test_the_codebook_documents_the_survey_columns(evaluator):
    text = client_for(evaluator).get(reverse("reporting:evaluation_codebook")).text
    for name in ("wave_months", "side", "score", "answered_month"):
        assert f"<code>{name}</code>" in text


def test_the_survey_is_on_the_dashboard_and_not_in_the_grant_report(answered, coordinator):
    """The survey is the programme's own quality check: the grant report (10 pages in the funders'
    format) leaves its section out, the dashboard shows it."""
    client = client_for(coordinator)
    dashboard = client.get(reverse("reporting:dashboard"), {"year": 2026}).text
    grant = client.get(reverse("reporting:grant_report", args=[2026])).text
    assert 'id="section-survey"' in dashboard
    assert 'id="section-survey"' not in grant and 'id="section-retention"' in grant
