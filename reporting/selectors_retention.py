"""The reads behind the retention figures (how long tandems last, `reporting/figures_retention.py`).

Like `reporting.selectors`, every function returns aggregates computed by PostgreSQL: counts per observed
duration, conditional counts and a median. No tandem's or person's row reaches Python.

Time is counted in days; a month is 365.25 / 12 = 30.4375 days, so that "3 months" means the same for a
tandem that started in February and one that started in July, and no whole number of days falls exactly
on a curve point.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, DateField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import TruncDate

from core.models import Organisation
from reporting.selectors import DaysBetween, Median, Period, tandem_rows, tandems_active, volunteer_rows
from tandems.models import CheckIn, CheckInBy, ContactWith, Tandem, TandemStatus

DAYS_PER_MONTH = 365.25 / 12
CONTACT_DAYS = 30  # "contact in the last 30 days": the reference day and the 29 days before it


def months_in_days(months: int) -> float:
    return months * DAYS_PER_MONTH


def started_by(*, organisations: QuerySet[Organisation], period: Period) -> QuerySet[Tandem]:
    """The tandems the curve follows: every tandem of the scope that started on or before the reference
    day (whatever year it started in)."""
    return tandem_rows(organisations=organisations).filter(
        started_on__isnull=False, started_on__lte=period.reference_day
    )


def durations(*, organisations: QuerySet[Organisation], period: Period) -> list[tuple[int, bool, int]]:
    """(days observed, ended?, how many tandems) for the Kaplan–Meier curve, one grouped query.

    A tandem that ended on or before the reference day is an event after `ended_on - started_on` days; one
    still running then (or ended only later) is censored after `reference day - started_on` days."""
    day = Value(period.reference_day, output_field=DateField())
    ended = Q(ended_on__isnull=False, ended_on__lte=period.reference_day)
    rows = (
        started_by(organisations=organisations, period=period)
        .annotate(
            is_event=Case(When(ended, then=Value(True)), default=Value(False)),
            days=Case(
                When(ended, then=DaysBetween(F("ended_on"), F("started_on"))),
                default=DaysBetween(day, F("started_on")),
            ),
        )
        .order_by()
        .values("days", "is_event")
        .annotate(n=Count("pk"))
    )
    return [(row["days"], row["is_event"], row["n"]) for row in rows]


@dataclass
class EndedBefore:
    months: int
    could_reach: int  # started at least `months` before the reference day
    ended: int  # of those, ended before reaching `months`


def ended_before(
    *, organisations: QuerySet[Organisation], period: Period, months: tuple[int, ...]
) -> list[EndedBefore]:
    """Per age in `months`: the tandems that could have reached it by the reference day and how many of
    them ended before it (one query with a pair of conditional counts per age)."""
    since_start = DaysBetween(Value(period.reference_day, output_field=DateField()), F("started_on"))
    lasted = DaysBetween(F("ended_on"), F("started_on"))
    queryset = started_by(organisations=organisations, period=period).annotate(
        since_start=since_start, lasted=lasted
    )
    counts = {}
    for m in months:
        limit = months_in_days(m)
        counts[f"reach_{m}"] = Count("pk", filter=Q(since_start__gte=limit))
        counts[f"ended_{m}"] = Count(
            "pk", filter=Q(since_start__gte=limit, ended_on__isnull=False, lasted__lt=limit)
        )
    found = queryset.order_by().aggregate(**counts)
    return [EndedBefore(m, found[f"reach_{m}"], found[f"ended_{m}"]) for m in months]


@dataclass
class Proposals:
    proposed: int = 0
    started: int = 0
    not_started: int = 0
    open: int = 0  # still proposed or introduced


def proposals(*, organisations: QuerySet[Organisation], period: Period) -> Proposals:
    """The tandems proposed within the period and what became of them (one query)."""
    found = (
        tandem_rows(organisations=organisations)
        .filter(proposed_on__range=(period.start, period.end))
        .order_by()
        .aggregate(
            proposed=Count("pk"),
            started=Count("pk", filter=Q(started_on__isnull=False)),
            not_started=Count("pk", filter=Q(status=TandemStatus.NOT_STARTED)),
            open=Count("pk", filter=Q(status__in=(TandemStatus.PROPOSED, TandemStatus.INTRODUCED))),
        )
    )
    return Proposals(**found)


@dataclass
class SignupToTandem:
    volunteers: int = 0
    median: float | None = None


def signup_to_first_tandem(*, organisations: QuerySet[Organisation], period: Period) -> SignupToTandem:
    """For the volunteers of the scope whose first tandem started within the period: the days from their
    registration (`created_at`, local date) to that start, as a median (one query). Volunteers entered
    after their first tandem had started (imported later) are left out."""
    first = (
        Tandem.objects.filter(volunteer=OuterRef("pk"), started_on__isnull=False)
        .order_by("started_on")
        .values("started_on")[:1]
    )
    # only volunteers with a tandem started in the period can have had their first one in it: the cheap
    # EXISTS narrows the rows before the first start is looked up (10,000 volunteers at city scale)
    started_in_period = Tandem.objects.filter(
        volunteer=OuterRef("pk"), started_on__range=(period.start, period.end)
    )
    queryset = (
        volunteer_rows(organisations=organisations)
        .filter(Exists(started_in_period))
        .annotate(first_started=Subquery(first, output_field=DateField()), signed_up=TruncDate("created_at"))
        .filter(first_started__range=(period.start, period.end), first_started__gte=F("signed_up"))
    )
    found = queryset.order_by().aggregate(
        n=Count("pk"), median=Median(DaysBetween(F("first_started"), F("signed_up")))
    )
    return SignupToTandem(found["n"], found["median"])


@dataclass
class Contact:
    active: int = 0
    volunteer: int = 0
    household: int = 0
    both: int = 0


def _contact(period: Period, side: Q) -> Exists:
    day = period.reference_day
    first = day - datetime.timedelta(days=CONTACT_DAYS - 1)
    return Exists(CheckIn.objects.filter(side, tandem=OuterRef("pk"), held_on__range=(first, day)))


def contact_last_30_days(*, organisations: QuerySet[Organisation], period: Period) -> Contact:
    """Of the tandems active on the reference day: how many had a held check-in with the volunteer, with
    the household, and with both within the 30 days up to it. A check-in "with both" counts for each side;
    an answer by link counts for the side that answered (one query)."""
    with_volunteer = Q(contact_with__in=(ContactWith.VOLUNTEER, ContactWith.BOTH)) | Q(by=CheckInBy.VOLUNTEER)
    with_household = Q(contact_with__in=(ContactWith.REFUGEE, ContactWith.BOTH)) | Q(by=CheckInBy.HOUSEHOLD)
    found = (
        tandems_active(organisations=organisations, period=period)
        .annotate(
            seen_volunteer=_contact(period, with_volunteer), seen_household=_contact(period, with_household)
        )
        .order_by()
        .aggregate(
            active=Count("pk"),
            volunteer=Count("pk", filter=Q(seen_volunteer=True)),
            household=Count("pk", filter=Q(seen_household=True)),
            both=Count("pk", filter=Q(seen_volunteer=True, seen_household=True)),
        )
    )
    return Contact(**found)
