"""The retention figures ("Dauer der Tandems") on a small hand-computed example.

The period is the year 2025, so the reference day is R = 31.12.2025. A month is 365.25 / 12 = 30.4375 days:
the curve points lie at 30.44 (1), 91.31 (3), 182.63 (6), 273.94 (9), 365.25 (12), 547.88 (18) and 730.5 (24)
days, so no whole number of days falls on one.

The eight tandems (days observed; E = ended, an event; c = still running, censored):

    A  started R-300, ended after  10 days         E 10
    B  started R-20,  running                      c 20
    C  started R-200, ended after  40 days         E 40
    D  started R-100, ended after  60 days         E 60
    E  started R-100, running                      c 100
    F  started R-380, ended after 150 days         E 150
    G  started R-200, running                      c 200
    H  started R-400, ended R+20 (after R)         c 400 (observed only up to R)

Kaplan–Meier, S(t) = product over the event times up to t of (1 - ended / at risk):
    t=10:  8 at risk, 1 ended  S = 7/8            = 0.875
    t=20:  B censored, 6 left
    t=40:  6 at risk, 1 ended  S = 0.875 * 5/6    = 0.72917
    t=60:  5 at risk, 1 ended  S = 0.72917 * 4/5  = 0.58333
    t=100: E censored, 3 left
    t=150: 3 at risk, 1 ended  S = 0.58333 * 2/3  = 0.38889
    t=200, 400: censored
At the points (at risk = observed at least that long; ended = events since the previous row):
    start      8 at risk               100 %
    1 month    6 at risk (C..H)  1 (A)  87.5 %
    3 months   4 at risk (E..H)  2 (C, D) 58.3 %
    6 months   2 at risk (G, H)  1 (F)  38.9 %
    9 months   1 at risk (H)     0      38.9 %
    12 months  1 at risk (H)     0      38.9 %
    18 months  nobody left: not shown
"""

import datetime

import pytest

from core.models import EndReason, Organisation
from refugees.models import RefugeeStatus
from reporting import selectors_retention
from reporting.figures import report_build
from reporting.figures_retention import CurvePoint, curve_points
from reporting.selectors import Period
from tandems.models import Channel, CheckIn, CheckInBy, ContactWith, Mood, Tandem, TandemStatus
from tests.factories.refugees import RefugeeFactory
from tests.reporting.data import volunteer

YEAR = Period.for_year(2025)
R = datetime.date(2025, 12, 31)
TODAY = datetime.date(2026, 11, 26)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def make(org, *, started, lasted=None, ended=None, signed_up=None, status=None) -> Tandem:
    row = volunteer(
        org, gender="female", migration="no", district_code=None, created=signed_up or started - days(400)
    )
    refugee = RefugeeFactory(organisation=org, status=RefugeeStatus.IN_TANDEM)
    ended = ended or (started + days(lasted) if lasted is not None else None)
    return Tandem.objects.create(
        organisation=org,
        volunteer=row,
        refugee=refugee,
        status=status or (TandemStatus.ENDED if ended else TandemStatus.ACTIVE),
        proposed_on=started - days(7),
        introduced_on=started - days(3),
        started_on=started,
        ended_on=ended,
        end_reason=EndReason.objects.get(code="no-time") if ended else None,
    )


@pytest.fixture
def example(org):
    t = {
        # sign-up to the first start: A 30, B 10, C 50, E 40, G 60 days; D signed up after it started
        "A": make(org, started=R - days(300), lasted=10, signed_up=R - days(330)),
        "B": make(org, started=R - days(20), signed_up=R - days(30)),
        "C": make(org, started=R - days(200), lasted=40, signed_up=R - days(250)),
        "D": make(org, started=R - days(100), lasted=60, signed_up=R - days(50)),
        "E": make(org, started=R - days(100), signed_up=R - days(140)),
        "F": make(org, started=R - days(380), lasted=150),
        "G": make(org, started=R - days(200), signed_up=R - days(260)),
        "H": make(org, started=R - days(400), ended=R + days(20)),
    }
    # not counted by the curve: one starting after R, one proposed and never started
    make(org, started=R + days(10))
    for reason in ("Passt zeitlich nicht", "Umgezogen"):
        refugee = RefugeeFactory(organisation=org, status=RefugeeStatus.WAITING)
        Tandem.objects.create(
            organisation=org,
            volunteer=t["A"].volunteer,
            refugee=refugee,
            status=TandemStatus.NOT_STARTED,
            proposed_on=datetime.date(2025, 6, 1),
            not_started_reason=reason,
        )
    Tandem.objects.create(
        organisation=org,
        volunteer=t["C"].volunteer,
        refugee=RefugeeFactory(organisation=org, status=RefugeeStatus.WAITING),
        status=TandemStatus.PROPOSED,
        proposed_on=datetime.date(2025, 12, 1),
    )
    return t


def everyone():
    return Organisation.objects.all()


def build(hide: bool):
    return report_build(organisations=everyone(), period=YEAR, hide_small=hide, today=TODAY)


def test_kaplan_meier_curve_against_the_hand_computed_example(example):
    points = curve_points(selectors_retention.durations(organisations=everyone(), period=YEAR), hide=False)
    shown = [(p.months, p.at_risk, p.events, p.retained) for p in points if p.shown]
    assert shown == [
        (0, 8, 0, 100.0),
        (1, 6, 1, 87.5),
        (3, 4, 2, 58.3),
        (6, 2, 1, 38.9),
        (9, 1, 0, 38.9),
        (12, 1, 0, 38.9),
    ]
    # 18 and 24 months: nobody was observed that long
    assert [(p.months, p.at_risk, p.shown) for p in points[-2:]] == [(18, 0, False), (24, 0, False)]


def test_censoring_stops_at_the_reference_day(example):
    rows = selectors_retention.durations(organisations=everyone(), period=YEAR)
    # H ended only after R: censored at 400 days, not an event at 420; the tandem starting after R and
    # those that never started are not followed
    assert sorted(rows) == sorted(
        [(10, True, 1), (20, False, 1), (40, True, 1), (60, True, 1), (100, False, 1), (150, True, 1)]
        + [(200, False, 1), (400, False, 1)]
    )
    # half a year later (reference day 30.06.2026, R + 181) H has ended: an event after 420 days, and B is
    # observed 181 days longer; the tandem that started on R + 10 is followed for 171 days
    later = selectors_retention.durations(
        organisations=everyone(), period=Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    )
    assert {(420, True, 1), (201, False, 1), (171, False, 1)} <= set(later)


def test_the_figure_shows_the_curve_to_coordinators(example):
    figure = build(hide=False).figure("retention_curve")
    assert figure.headline.value == 8
    assert [row.label for row in figure.table.rows] == [
        "Beginn",
        "1 Monat",
        "3 Monate",
        "6 Monate",
        "9 Monate",
        "12 Monate",
    ]
    assert [str(cell) for cell in figure.table.rows[2].cells] == ["58,3", "4", "2"]
    assert [bar.cell.value for bar in figure.chart.bars] == [100.0, 87.5, 58.3, 38.9, 38.9, 38.9]
    assert str(dict(figure.extra)["Mit 12 Monaten laufend (%)"]) == "38,9"


def test_steering_sees_no_curve_point_with_few_tandems(example):
    figure = build(hide=True).figure("retention_curve")
    # 8 followed: the start is shown; 1 month has 1 ended since the start, 3 months 4 at risk: all hidden
    assert [row.label for row in figure.table.rows] == ["Beginn"]
    assert dict(figure.extra)["Mit 12 Monaten laufend (%)"] == "nicht ausgewiesen"


def grouped(*groups: tuple[int, bool, int]) -> list[tuple[int, bool, int]]:
    return list(groups)


# 30 tandems (days, ended?, how many):
#   3 ended at day 10, 4 ended at 50, 5 censored at 70, 5 ended at 120, 2 censored at 150, 5 censored at 300,
#   6 censored at 400.
# Kaplan–Meier: t=10 S = 27/30 = 0.9; t=50 S = 0.9 * 23/27 = 0.76667; (5 censored: 18 left);
#   t=120 S = 0.76667 * 13/18 = 0.55370.
# The points with suppression (threshold 5; counted from the previous point shown):
#   start     30 at risk: shown
#   1 month   27 at risk, ended since the start 3                          -> hidden (3 ended)
#   3 months  18 at risk, ended since the start 3+4 = 7, censored 30-18-7 = 5 -> shown, 76.7 %
#   6 months  11 at risk, ended since 3 months 5, censored 18-11-5 = 2      -> hidden (2 censored)
#   9 months  11 at risk, the same                                            -> hidden
#   12 months  6 at risk, ended since 3 months 5, censored 18-6-5 = 7      -> shown, 55.4 %
#   18 months  0 at risk                                                      -> hidden
SUPPRESSION_EXAMPLE = grouped(
    (10, True, 3),
    (50, True, 4),
    (70, False, 5),
    (120, True, 5),
    (150, False, 2),
    (300, False, 5),
    (400, False, 6),
)


def test_curve_points_are_suppressed_with_the_counts_between_them():
    points = curve_points(SUPPRESSION_EXAMPLE, hide=True)
    assert [(p.months, p.at_risk, p.events, p.retained) for p in points if p.shown] == [
        (0, 30, 0, 100.0),
        (3, 18, 7, 76.7),
        (12, 6, 5, 55.4),
    ]
    # between two shown points both the ended and the censored tandems are 0 or at least 5, so the
    # difference of their numbers at risk reveals no small count
    shown = [p for p in points if p.shown]
    for before, after in zip(shown, shown[1:], strict=False):
        censored = before.at_risk - after.at_risk - after.events
        assert after.events >= 5 and (censored == 0 or censored >= 5)


def test_coordinators_see_every_curve_point_with_tandems_at_risk():
    points = curve_points(SUPPRESSION_EXAMPLE, hide=False)
    assert [(p.months, p.at_risk, p.events) for p in points if p.shown] == [
        (0, 30, 0),
        (1, 27, 3),
        (3, 18, 4),
        (6, 11, 5),
        (9, 11, 0),
        (12, 6, 0),
    ]


def test_a_curve_of_fewer_than_five_tandems_shows_nothing():
    assert [p.shown for p in curve_points([(40, True, 2), (200, False, 2)], hide=True)] == [False] * 8
    assert curve_points([], hide=True) == []


def test_a_curve_without_any_end_stays_at_100_percent():
    points = curve_points([(400, False, 6)], hide=False)
    assert points[5] == CurvePoint(12, 6, 0, 100.0, True)


def test_share_ended_before_3_6_and_12_months(example):
    # could have reached 3 months (started >= 91.31 days before R): A C D E F G H = 7; ended before: A C D
    # 6 months (>= 182.63 days): A C F G H = 5; ended before: A (10) C (40) F (150)
    # 12 months (>= 365.25 days): F H = 2; ended before: F; H lasted 420 days
    found = selectors_retention.ended_before(organisations=everyone(), period=YEAR, months=(3, 6, 12))
    assert [(f.months, f.could_reach, f.ended) for f in found] == [(3, 7, 3), (6, 5, 3), (12, 2, 1)]
    figure = build(hide=False).figure("retention_ended_before")
    assert [[str(c) for c in row.cells] for row in figure.table.rows] == [
        ["7", "3", "42,9"],
        ["5", "3", "60,0"],
        ["2", "1", "50,0"],
    ]
    assert figure.headline.value == 50.0
    # for steering: 3 of 7 ended (and 4 did not) are small counts, so are 2 tandems
    hidden = build(hide=True).figure("retention_ended_before")
    assert [[str(c) for c in row.cells] for row in hidden.table.rows] == [
        ["7", "<5", "<5"],
        ["5", "<5", "<5"],
        ["<5", "<5", "<5"],
    ]


def test_not_started_rate(example):
    # proposed in 2025: A B C D E G (started), 2 not started, 1 still proposed = 9; F and H were proposed in
    # 2024; 2 / 9 = 22.2 %
    found = selectors_retention.proposals(organisations=everyone(), period=YEAR)
    assert (found.proposed, found.started, found.not_started, found.open) == (9, 6, 2, 1)
    figure = build(hide=False).figure("retention_not_started")
    assert figure.headline.value == 22.2
    assert [str(row.cells[0]) for row in figure.table.rows] == ["6", "2", "1"]
    hidden = build(hide=True).figure("retention_not_started")
    assert hidden.headline.hidden
    # 2 and 1 are hidden; 6 may stay: the two hidden cells add up to 3, but neither can be told
    assert [str(row.cells[0]) for row in hidden.table.rows] == ["6", "<5", "<5"]
    assert str(hidden.table.total.cells[0]) == "9"


def test_median_time_from_sign_up_to_the_first_tandem(example):
    # first tandem started in 2025: A 30, B 10, C 50, E 40, G 60 days after sign-up (D signed up after its
    # start: left out; F and H started in 2024): 10 30 40 50 60, median 40
    found = selectors_retention.signup_to_first_tandem(organisations=everyone(), period=YEAR)
    assert (found.volunteers, found.median) == (5, 40.0)
    assert build(hide=True).figure("signup_to_first_tandem").headline.value == 40.0


def test_a_second_tandem_does_not_count_as_the_first(example):
    # A's volunteer starts a second tandem in 2026: in 2026 nobody had a first tandem but the one after R
    make_second = example["A"].volunteer
    Tandem.objects.create(
        organisation=make_second.organisation,
        volunteer=make_second,
        refugee=RefugeeFactory(organisation=make_second.organisation, status=RefugeeStatus.IN_TANDEM),
        status=TandemStatus.ACTIVE,
        proposed_on=datetime.date(2026, 3, 1),
        started_on=datetime.date(2026, 3, 10),
    )
    found = selectors_retention.signup_to_first_tandem(organisations=everyone(), period=Period.for_year(2026))
    assert found.volunteers == 1  # the tandem starting R+10, not A's second one
    assert (
        report_build(organisations=everyone(), period=Period.for_year(2026), hide_small=True, today=TODAY)
        .figure("signup_to_first_tandem")
        .headline.hidden
    )


def checkin(tandem: Tandem, held_on: datetime.date, with_whom: str, channel=Channel.PHONE, **kw) -> CheckIn:
    return CheckIn.objects.create(
        tandem=tandem, held_on=held_on, channel=channel, contact_with=with_whom, mood=Mood.GREEN, **kw
    )


def test_contact_with_each_side_in_the_last_30_days(example):
    # active on R: B E G H (H ended after R)
    checkin(example["B"], R - days(5), ContactWith.BOTH)
    checkin(example["E"], R - days(10), ContactWith.VOLUNTEER, by=CheckInBy.VOLUNTEER, channel=Channel.LINK)
    checkin(example["G"], R - days(30), ContactWith.REFUGEE)  # one day too early
    checkin(example["H"], R - days(29), ContactWith.REFUGEE)  # the first day inside the 30
    CheckIn.objects.create(tandem=example["G"], planned_on=R - days(2))  # planned, not held
    found = selectors_retention.contact_last_30_days(organisations=everyone(), period=YEAR)
    assert (found.active, found.volunteer, found.household, found.both) == (4, 2, 2, 1)
    figure = build(hide=False).figure("contact_last_30_days")
    assert [[str(c) for c in row.cells] for row in figure.table.rows] == [
        ["2", "50,0"],
        ["2", "50,0"],
        ["1", "25,0"],
    ]
    assert figure.headline.value == 25.0
    hidden = build(hide=True).figure("contact_last_30_days")
    assert {str(c) for row in hidden.table.rows for c in row.cells} == {"<5"}
    assert str(hidden.table.total.cells[0]) == "<5"
