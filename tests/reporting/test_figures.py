"""Every figure on small known data (tests/reporting/data.py), exact numbers."""

import datetime

import pytest
from django.utils import timezone

from reporting import selectors
from reporting.figures import report_build
from reporting.selectors import Period
from tests.reporting.data import build_known

YEAR = Period.for_year(2026)
TODAY = datetime.date(2026, 11, 26)


@pytest.fixture
def known(org, fwz):
    return build_known(org=org, fwz=fwz, today=TODAY)


@pytest.fixture
def everyone():
    from core.models import Organisation

    return Organisation.objects.all()


def test_tandems_formed_by_month_and_dimensions(known, everyone):
    counts = selectors.count_by_dimensions(
        selectors.tandems_formed(organisations=everyone, period=YEAR), subject="tandem"
    )
    assert counts.total == 6
    assert counts.by["gender"] == {"female": 6}
    assert counts.by["migration"] == {"yes": 6}
    assert counts.by["organisation"] == {"gEMiDe": 6}
    assert counts.by["district"] == {"mitte": 6}
    months = selectors.tandems_formed_by_month(organisations=everyone, period=YEAR)
    assert len(months) == 12
    assert months[datetime.date(2026, 1, 1)] == 2
    assert months[datetime.date(2026, 2, 1)] == 3
    assert months[datetime.date(2026, 3, 1)] == 1
    assert sum(months.values()) == 6


def test_active_tandems_on_the_reference_day(known, everyone):
    counts = selectors.count_by_dimensions(
        selectors.tandems_active(organisations=everyone, period=YEAR), subject="tandem"
    )
    # 4 of the 2026 tandems did not end, and the 2025 tandem still runs
    assert counts.total == 5
    assert counts.by["organisation"] == {"gEMiDe": 4, "FWZ": 1}
    # on 30 June 2026 the tandem ended on 15 July was still active
    june = selectors.count_by_dimensions(
        selectors.tandems_active(
            organisations=everyone, period=Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
        ),
        subject="tandem",
    )
    assert june.total == 6


def test_tandems_ended_by_reason_and_median_duration(known, everyone):
    by_reason = selectors.tandems_ended_by_reason(organisations=everyone, period=YEAR)
    from core.models import EndReason

    moved, no_time = EndReason.objects.get(code="moved"), EndReason.objects.get(code="no-time")
    assert by_reason == {moved.pk: (1, 151.0), no_time.pk: (1, 155.0)}
    duration = selectors.tandem_duration(organisations=everyone, period=YEAR)
    assert duration.people == 2
    assert duration.median == 153.0
    assert duration.by["gender"] == {"female": (2, 153.0)}


def test_waiting_refugees_and_waiting_until_tandem(known, everyone):
    waiting = selectors.refugees_waiting(organisations=everyone, today=TODAY)
    assert waiting.people == 7
    assert waiting.median == 40.0
    assert waiting.by["organisation"] == {"gEMiDe": (4, 25.0), "FWZ": (3, 60.0)}
    assert "migration" not in waiting.by
    until = selectors.waiting_until_tandem(organisations=everyone, period=YEAR)
    assert until.people == 6
    assert until.median == 20.0


def test_volunteer_pipeline(known, everyone):
    recruited = selectors.volunteers_recruited(organisations=everyone, period=YEAR)
    assert recruited.total == 9
    assert recruited.by["gender"] == {"female": 6, "male": 3}
    assert recruited.by["migration"] == {"yes": 6, "no": 3}
    assert recruited.by["district"] == {"mitte": 6, "linden-limmer": 3}
    assert selectors.volunteers_interviewed(organisations=everyone, period=YEAR).total == 8
    assert selectors.volunteers_cleared(organisations=everyone, period=YEAR).total == 5
    trained = selectors.volunteers_trained(organisations=everyone, period=YEAR)
    assert trained.total == 6
    assert trained.by["organisation"] == {"gEMiDe": 6}
    assert selectors.volunteers_recruited(organisations=everyone, period=Period.for_year(2025)).total == 1


def test_trainings_and_attendance(known, everyone):
    rows = selectors.trainings_held(organisations=everyone, period=YEAR)
    assert len(rows) == 1
    row = rows[0]
    assert (row.sessions, row.hours, row.attendances, row.participant_hours) == (2, 5, 8, 22)
    attendance = selectors.attendance(organisations=everyone, period=YEAR)
    assert attendance.total == 8
    assert attendance.by["gender"] == {"female": 6, "male": 2}
    assert attendance.people == 8


def test_partner_scope_counts_only_their_organisation(known, org, fwz):
    from core.models import Organisation

    own = Organisation.objects.filter(pk=org.pk)
    assert selectors.volunteers_recruited(organisations=own, period=YEAR).total == 6
    assert selectors.refugees_waiting(organisations=own, today=TODAY).people == 4
    # the sessions are the FWZ's; the partner's volunteers attended six places
    assert selectors.trainings_held(organisations=own, period=YEAR)[0].sessions == 0
    assert selectors.attendance(organisations=own, period=YEAR).total == 6


def test_report_for_staff_shows_exact_figures(known, everyone):
    report = report_build(organisations=everyone, period=YEAR, hide_small=False, today=TODAY)
    formed = report.figure("tandems_formed")
    assert str(formed.headline) == "6"
    assert report.target == 500
    assert dict(formed.extra)["Anteil am Ziel erreicht (%)"].value == 1.2
    recruited = report.figure("volunteers_recruited")
    gender = recruited.breakdowns[0]
    assert [(row.label, str(row.cells[0])) for row in gender.rows] == [
        ("weiblich", "6"),
        ("männlich", "3"),
        ("divers", "0"),
        ("keine Angabe", "0"),
    ]


def test_report_for_steering_hides_small_counts(known, everyone):
    report = report_build(organisations=everyone, period=YEAR, hide_small=True, today=TODAY)
    recruited = report.figure("volunteers_recruited")
    gender = {row.label: str(row.cells[0]) for row in recruited.breakdowns[0].rows}
    assert gender == {"weiblich": "6", "männlich": "<5", "divers": "<5", "keine Angabe": "<5"}
    assert str(recruited.breakdowns[0].total.cells[0]) == "9"
    ended = report.figure("tandems_ended")
    assert str(ended.headline) == "<5"
    assert str(dict(ended.extra)["Mittlere Dauer (Median, Tage)"]) == "<5"
    months = {row.label: str(row.cells[0]) for row in report.figure("tandems_formed").table.rows}
    assert set(months.values()) == {"<5"}
    assert str(report.figure("tandems_active").headline) == "5"
    waiting = report.figure("refugees_waiting")
    assert str(waiting.headline) == "7"
    assert str(dict(waiting.extra)["Mittlere Wartezeit bisher (Median, Tage)"]) == "40,0"


def test_period_months_cover_a_range():
    period = Period(datetime.date(2025, 11, 15), datetime.date(2026, 2, 3))
    assert period.months() == [
        datetime.date(2025, 11, 1),
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
    ]
    assert Period.for_year(2099).reference_day == timezone.localdate()
