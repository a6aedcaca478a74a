"""Every read of the reporting app. Reporting reads the other apps' models only here, and only as
aggregates computed in the database (values/annotate/Count, medians with PERCENTILE_CONT): no row of a
person ever reaches Python, except in the pseudonymised evaluation export (`evaluation_rows`).

Scope: `reporting_organisations(user=...)` is the set of organisations whose figures a user may see;
coordinators, steering and evaluators see all, partner coordinators their own. Anonymised people are
counted too: anonymising removes personal values, never the statistics.
"""

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DateField,
    DurationField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, ExtractYear, TruncMonth
from django.utils import timezone

from core.models import District, EndReason, Organisation, User
from core.permissions import organisations_with
from refugees.models import Refugee, RefugeeStatus
from reporting.models import AnnualTarget, BudgetLine, Expense, FundingPlan, FundingSource
from reporting.permissions import may_record_expenses
from tandems.matching import registry
from tandems.models import CheckIn, Tandem, TandemClosure, TandemStatus
from trainings.models import Registration, Session
from volunteers.models import Interview, PoliceClearance, Volunteer

# The four breakdowns of every figure about people, in display order.
DIMENSIONS = ("gender", "migration", "organisation", "district")

# For each kind of counted row: the field that holds each dimension (None: does not apply; refugees are
# not asked about a migration background, they have one by definition).
SUBJECT_FIELDS: dict[str, dict[str, str | None]] = {
    "volunteer": {
        "gender": "gender",
        "migration": "migration_background",
        "organisation": "organisation__short_name",
        "district": "district__code",
    },
    "refugee": {
        "gender": "gender",
        "migration": None,
        "organisation": "organisation__short_name",
        "district": "district__code",
    },
    # a tandem is described by its volunteer (gender, migration background), its organisation and the
    # district where the refugee lives (where the tandem meets)
    "tandem": {
        "gender": "volunteer__gender",
        "migration": "volunteer__migration_background",
        "organisation": "organisation__short_name",
        "district": "refugee__district__code",
    },
    "attendance": {
        "gender": "volunteer__gender",
        "migration": "volunteer__migration_background",
        "organisation": "volunteer__organisation__short_name",
        "district": "volunteer__district__code",
    },
}


class Median(Aggregate):
    """PostgreSQL's exact median (the mean of the two middle values for an even count)."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class DaysBetween(Func):
    """Whole days from `earlier` to `later` (PostgreSQL: date minus date is an integer)."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()

    def __init__(self, later, earlier, **extra):
        super().__init__(later, earlier, **extra)


@dataclass(frozen=True)
class Period:
    """The reporting period: an event counts when its date lies in [start, end], both days included."""

    start: datetime.date
    end: datetime.date
    year: int | None = None

    @classmethod
    def for_year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), year)

    @property
    def reference_day(self) -> datetime.date:
        """The day on which stock figures (tandems active) are taken: the end, or today if that is later."""
        return min(self.end, timezone.localdate())

    def months(self) -> list[datetime.date]:
        first, months = self.start.replace(day=1), []
        while first <= self.end:
            months.append(first)
            first = (first + datetime.timedelta(days=32)).replace(day=1)
        return months


@dataclass
class Counts:
    """One count figure: the total and, per dimension, the count per key (raw, before suppression)."""

    total: int = 0
    by: dict[str, dict[str | None, int]] = field(default_factory=dict)
    people: int = 0  # different people, when asked for


@dataclass
class Medians:
    """A median figure: how many people and their median, in total and per key of each dimension."""

    people: int = 0
    median: float | None = None
    by: dict[str, dict[str | None, tuple[int, float | None]]] = field(default_factory=dict)


def reporting_organisations(*, user: User, perm: str = "reporting.view") -> QuerySet[Organisation]:
    """The organisations whose figures `user` may see."""
    return organisations_with(user=user, perm=perm)


# --- the scoped rows every figure starts from -------------------------------------------------------------


def volunteer_rows(*, organisations: QuerySet[Organisation]) -> QuerySet[Volunteer]:
    return Volunteer.objects.filter(organisation__in=organisations)


def refugee_rows(*, organisations: QuerySet[Organisation]) -> QuerySet[Refugee]:
    return Refugee.objects.filter(organisation__in=organisations)


def organisations_running_tandems(*, organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """The organisations of the scope that have any tandem: those the reports name (referrers, the steering
    group and the university run none)."""
    return organisations.filter(Exists(Tandem.objects.filter(organisation=OuterRef("pk"))))


def tandem_rows(*, organisations: QuerySet[Organisation]) -> QuerySet[Tandem]:
    return Tandem.objects.filter(organisation__in=organisations)


def session_rows(*, organisations: QuerySet[Organisation]) -> QuerySet[Session]:
    return Session.objects.filter(organisation__in=organisations)


def attendance_rows(*, organisations: QuerySet[Organisation]) -> QuerySet[Registration]:
    """Attended places of the volunteers in scope, at any organisation's session."""
    return Registration.objects.filter(attended=True, volunteer__organisation__in=organisations)


# --- aggregation helpers ------------------------------------------------------------------------------------


def count_by_dimensions(
    queryset: QuerySet, *, subject: str, count: str = "pk", distinct: bool = True, people: str | None = None
) -> Counts:
    """One grouped query by all four dimensions at once; the totals per dimension are sums of its groups
    (each counted row has one value per dimension, so nothing is counted twice). With `people`, the
    number of different `people` is counted too (`Counts.people`)."""
    fields = {dim: path for dim, path in SUBJECT_FIELDS[subject].items() if path}
    annotations = {"n": Count(count, distinct=distinct)}
    if people:
        annotations["p"] = Count(people, distinct=True)
    rows = queryset.order_by().values(*fields.values()).annotate(**annotations)
    result = Counts(by={dim: defaultdict(int) for dim in fields})
    for row in rows:
        result.total += row["n"]
        result.people += row.get("p", 0)
        for dim, path in fields.items():
            result.by[dim][row[path]] += row["n"]
    result.by = {dim: dict(values) for dim, values in result.by.items()}
    return result


def median_by_dimensions(queryset: QuerySet, *, subject: str, days) -> Medians:
    """Count and median of `days` in total and per dimension: medians cannot be added up, so one
    grouped query per dimension."""
    overall = queryset.order_by().aggregate(n=Count("pk"), median=Median(days))
    result = Medians(people=overall["n"], median=overall["median"])
    for dim, path in SUBJECT_FIELDS[subject].items():
        if not path:
            continue
        rows = queryset.order_by().values(path).annotate(n=Count("pk"), median=Median(days))
        result.by[dim] = {row[path]: (row["n"], row["median"]) for row in rows}
    return result


# --- the figures ---------------------------------------------------------------------------------------------


def tandems_formed(*, organisations: QuerySet[Organisation], period: Period) -> QuerySet[Tandem]:
    """Formed = started (the first meeting after the introduction) within the period."""
    return tandem_rows(organisations=organisations).filter(started_on__range=(period.start, period.end))


def tandems_formed_by_month(
    *, organisations: QuerySet[Organisation], period: Period
) -> dict[datetime.date, int]:
    rows = (
        tandems_formed(organisations=organisations, period=period)
        .annotate(month=TruncMonth("started_on"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
    )
    found = {row["month"]: row["n"] for row in rows}
    return {month: found.get(month, 0) for month in period.months()}


def tandems_active(*, organisations: QuerySet[Organisation], period: Period) -> QuerySet[Tandem]:
    """Active on the reference day: started on or before it and not ended before it."""
    day = period.reference_day
    return tandem_rows(organisations=organisations).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day),
        status__in=(TandemStatus.ACTIVE, TandemStatus.ENDED),
        started_on__lte=day,
    )


def tandems_ended(*, organisations: QuerySet[Organisation], period: Period) -> QuerySet[Tandem]:
    return tandem_rows(organisations=organisations).filter(
        status=TandemStatus.ENDED, ended_on__range=(period.start, period.end)
    )


def tandems_ended_by_reason(
    *, organisations: QuerySet[Organisation], period: Period
) -> dict[int, tuple[int, float | None]]:
    """Per end reason (pk): how many ended and their median duration in days."""
    rows = (
        tandems_ended(organisations=organisations, period=period)
        .order_by()
        .values("end_reason")
        .annotate(n=Count("pk"), median=Median(DaysBetween(F("ended_on"), F("started_on"))))
    )
    return {row["end_reason"]: (row["n"], row["median"]) for row in rows}


def tandem_duration(*, organisations: QuerySet[Organisation], period: Period) -> Medians:
    """Duration in days (end minus start) of the tandems that ended in the period."""
    return median_by_dimensions(
        tandems_ended(organisations=organisations, period=period),
        subject="tandem",
        days=DaysBetween(F("ended_on"), F("started_on")),
    )


def waiting_until_tandem(*, organisations: QuerySet[Organisation], period: Period) -> Medians:
    """Days a refugee waited, from the intake (waiting since) to the start of the tandem formed in the
    period; tandems whose refugee has no waiting date are left out."""
    return median_by_dimensions(
        tandems_formed(organisations=organisations, period=period).filter(
            refugee__waiting_since__isnull=False, refugee__waiting_since__lte=F("started_on")
        ),
        subject="tandem",
        days=DaysBetween(F("started_on"), F("refugee__waiting_since")),
    )


def refugees_waiting(*, organisations: QuerySet[Organisation], today: datetime.date) -> Medians:
    """Refugees waiting for a tandem today, and the median of the days they have waited so far."""
    return median_by_dimensions(
        refugee_rows(organisations=organisations).filter(
            status=RefugeeStatus.WAITING, waiting_since__isnull=False
        ),
        subject="refugee",
        days=DaysBetween(Value(today, output_field=DateField()), F("waiting_since")),
    )


def volunteers_recruited(*, organisations: QuerySet[Organisation], period: Period) -> Counts:
    """Registered (signed up, entered or imported) within the period."""
    return count_by_dimensions(
        volunteer_rows(organisations=organisations).filter(
            created_at__date__range=(period.start, period.end)
        ),
        subject="volunteer",
    )


def volunteers_interviewed(*, organisations: QuerySet[Organisation], period: Period) -> Counts:
    held = Interview.objects.filter(volunteer=OuterRef("pk"), held_on__range=(period.start, period.end))
    return count_by_dimensions(
        volunteer_rows(organisations=organisations).filter(Exists(held)), subject="volunteer"
    )


def volunteers_cleared(*, organisations: QuerySet[Organisation], period: Period) -> Counts:
    seen = PoliceClearance.objects.filter(volunteer=OuterRef("pk"), seen_on__range=(period.start, period.end))
    return count_by_dimensions(
        volunteer_rows(organisations=organisations).filter(Exists(seen)), subject="volunteer"
    )


def volunteers_trained(*, organisations: QuerySet[Organisation], period: Period) -> Counts:
    """Completed the required basic training within the period (`trained_on`)."""
    return count_by_dimensions(
        volunteer_rows(organisations=organisations).filter(trained_on__range=(period.start, period.end)),
        subject="volunteer",
    )


def _held(queryset: QuerySet, period: Period, prefix: str = "") -> QuerySet:
    """Sessions that took place: begun within the period and not in the future."""
    return queryset.filter(
        **{
            f"{prefix}starts_at__date__range": (period.start, period.end),
            f"{prefix}starts_at__lte": timezone.now(),
        }
    )


@dataclass
class TrainingRow:
    code: str
    name_de: str
    name_en: str
    kind: str
    sessions: int = 0
    hours: Decimal = Decimal(0)
    attendances: int = 0
    participant_hours: Decimal = Decimal(0)


def _hours(duration: datetime.timedelta | None) -> Decimal:
    if not duration:
        return Decimal(0)
    return (Decimal(duration.total_seconds()) / Decimal(3600)).quantize(Decimal("0.1"))


def trainings_held(*, organisations: QuerySet[Organisation], period: Period) -> list[TrainingRow]:
    """Per course type: sessions held by the organisations in scope and their hours; attendances of the
    volunteers in scope and the hours they spent in training."""
    length = F("ends_at") - F("starts_at")
    rows: dict[str, TrainingRow] = {}
    for row in (
        _held(session_rows(organisations=organisations), period)
        .order_by()
        .values("course_type__code", "course_type__name_de", "course_type__name_en", "course_type__kind")
        .annotate(n=Count("pk"), hours=Sum(length, output_field=DurationField()))
    ):
        rows[row["course_type__code"]] = TrainingRow(
            row["course_type__code"],
            row["course_type__name_de"],
            row["course_type__name_en"],
            row["course_type__kind"],
            sessions=row["n"],
            hours=_hours(row["hours"]),
        )
    for row in (
        _held(attendance_rows(organisations=organisations), period, prefix="session__")
        .order_by()
        .values(
            "session__course_type__code",
            "session__course_type__name_de",
            "session__course_type__name_en",
            "session__course_type__kind",
        )
        .annotate(
            n=Count("pk"),
            hours=Sum(F("session__ends_at") - F("session__starts_at"), output_field=DurationField()),
        )
    ):
        code = row["session__course_type__code"]
        if code not in rows:
            rows[code] = TrainingRow(
                code,
                row["session__course_type__name_de"],
                row["session__course_type__name_en"],
                row["session__course_type__kind"],
            )
        rows[code].attendances = row["n"]
        rows[code].participant_hours = _hours(row["hours"])
    return sorted(rows.values(), key=lambda r: (r.kind, r.name_de))


def attendance(*, organisations: QuerySet[Organisation], period: Period) -> Counts:
    """Attended places (a volunteer at two sessions counts twice); `people`: different volunteers."""
    return count_by_dimensions(
        _held(attendance_rows(organisations=organisations), period, prefix="session__"),
        subject="attendance",
        distinct=False,
        people="volunteer",
    )


# --- reference data -------------------------------------------------------------------------------------------


def district_labels() -> dict[str, District]:
    return {d.code: d for d in District.objects.all()}


def end_reasons() -> list[EndReason]:
    return list(EndReason.objects.all())


def target_for(*, year: int) -> AnnualTarget | None:
    return AnnualTarget.objects.filter(year=year).first()


def target_list() -> QuerySet[AnnualTarget]:
    return AnnualTarget.objects.order_by("-year")


# --- funding ---------------------------------------------------------------------------------------------------


@dataclass
class FundingLine:
    source: FundingSource
    budget_line: BudgetLine
    planned: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)

    @property
    def remaining(self) -> Decimal:
        return self.planned - self.spent


@dataclass
class SourceTotal:
    source: FundingSource
    lines: list[FundingLine]
    planned: Decimal
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.planned - self.spent


@dataclass
class FundingTable:
    lines: list[FundingLine]

    def sources(self) -> list["SourceTotal"]:
        """Per source: its lines and their sums, in the order of the lines."""
        grouped: dict[int, list[FundingLine]] = {}
        for line in self.lines:
            grouped.setdefault(line.source.pk, []).append(line)
        return [
            SourceTotal(
                lines[0].source,
                lines,
                sum((x.planned for x in lines), Decimal(0)),
                sum((x.spent for x in lines), Decimal(0)),
            )
            for lines in grouped.values()
        ]

    @property
    def planned(self) -> Decimal:
        return sum((line.planned for line in self.lines), Decimal(0))

    @property
    def spent(self) -> Decimal:
        return sum((line.spent for line in self.lines), Decimal(0))

    @property
    def remaining(self) -> Decimal:
        return self.planned - self.spent


def funding_table(*, year: int) -> FundingTable:
    """Planned against spent per funding source and budget line for one year (two grouped queries)."""
    sources = {s.pk: s for s in FundingSource.objects.all()}
    budget_lines = {b.pk: b for b in BudgetLine.objects.all()}
    cells: dict[tuple[int, int], FundingLine] = {}

    def line(source_id: int, budget_line_id: int) -> FundingLine:
        key = (source_id, budget_line_id)
        if key not in cells:
            cells[key] = FundingLine(sources[source_id], budget_lines[budget_line_id])
        return cells[key]

    for row in (
        FundingPlan.objects.filter(year=year).values("source", "budget_line").annotate(total=Sum("amount"))
    ):
        line(row["source"], row["budget_line"]).planned = row["total"]
    for row in (
        Expense.objects.filter(spent_on__year=year)
        .order_by()
        .values("source", "budget_line")
        .annotate(total=Sum("amount"))
    ):
        line(row["source"], row["budget_line"]).spent = row["total"]
    ordered = sorted(
        cells.values(),
        key=lambda x: (
            x.source.sort_order,
            x.source.name_de,
            x.budget_line.sort_order,
            x.budget_line.name_de,
        ),
    )
    return FundingTable(ordered)


def funding_years() -> list[int]:
    """The years offered by the period filter: the current year and every year with a target, a plan or
    an expense (one query)."""
    years = (
        AnnualTarget.objects.order_by()
        .values_list("year", flat=True)
        .union(
            FundingPlan.objects.order_by().values_list("year", flat=True),
            Expense.objects.order_by().annotate(y=ExtractYear("spent_on")).values_list("y", flat=True),
        )
    )
    return sorted({*years, timezone.localdate().year}, reverse=True)


def expense_list_visible(*, user: User) -> QuerySet[Expense]:
    """Expenses are programme-wide: whoever may record them sees all of them."""
    if not may_record_expenses(user):
        return Expense.objects.none()
    return Expense.objects.select_related("source", "budget_line", "recorded_by")


# --- the pseudonymised evaluation export ------------------------------------------------------------------------


def criterion_scores() -> dict[str, RawSQL]:
    """Per criterion of the matching registry, `score_<key>`: its score in the tandem's stored explanation
    (`match_explanation.criteria[*]`), read by PostgreSQL so that the explanation's words and who decided
    never reach the export; NULL when the explanation has no such criterion."""
    column = f'"{Tandem._meta.db_table}"."match_explanation"'
    sql = f"(jsonb_path_query_first({column}, '$.criteria[*] ? (@.key == $key).score', %s::jsonb) #>> '{{}}')::float"
    return {
        f"score_{criterion.key}": RawSQL(
            sql, (json.dumps({"key": criterion.key}),), output_field=FloatField()
        )
        for criterion in registry.CRITERIA
    }


def _closure_outcome_codes() -> QuerySet:
    """The codes of the integration outcomes ticked at a tandem's closure (issue #20)."""
    through = TandemClosure.outcomes.through.objects.filter(tandemclosure__tandem=OuterRef("pk"))
    return through.order_by().values("integrationoutcome__code")


def evaluation_tandem_rows() -> QuerySet[Tandem]:
    checkins = (
        CheckIn.objects.filter(tandem=OuterRef("pk"), held_on__isnull=False)
        .order_by()
        .values("tandem")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Tandem.objects.order_by("pk")
        .annotate(checkins_held=Coalesce(Subquery(checkins, output_field=IntegerField()), 0))
        .annotate(outcome_codes=ArraySubquery(_closure_outcome_codes()))
        .values(
            "pk",
            "volunteer_id",
            "refugee_id",
            "organisation__short_name",
            "status",
            "proposed_on",
            "introduced_on",
            "started_on",
            "ended_on",
            "end_reason__code",
            "refugee__district__code",
            "volunteer_wants_new",
            "refugee_needs_new",
            "checkins_held",
            # the commitment of both sides and the risk at match time (reporting.evaluation.COMMITMENT_COLUMNS)
            "volunteer__commitment_months",
            "volunteer__commitment_per_month",
            "refugee__expected_months",
            "refugee__expected_per_month",
            "match_explanation__risk__level",
            # the closure (issue #20, reporting/evaluation.py CLOSURE_COLUMNS)
            "closure__started_on",
            "closure__volunteer_wish",
            "closure__household_wish",
            "closure__german_level_start",
            "closure__german_level_end",
            "outcome_codes",
        )
        .annotate(**criterion_scores())
    )


def evaluation_volunteer_rows() -> QuerySet[Volunteer]:
    tandems = (
        Tandem.objects.filter(volunteer=OuterRef("pk"), started_on__isnull=False)
        .order_by()
        .values("volunteer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    first_interview = (
        Interview.objects.filter(volunteer=OuterRef("pk")).order_by("held_on").values("held_on")[:1]
    )
    first_clearance = (
        PoliceClearance.objects.filter(volunteer=OuterRef("pk")).order_by("seen_on").values("seen_on")[:1]
    )
    return (
        Volunteer.objects.order_by("pk")
        .annotate(
            tandems_started=Coalesce(Subquery(tandems, output_field=IntegerField()), 0),
            first_interview_on=Subquery(first_interview, output_field=DateField()),
            first_clearance_on=Subquery(first_clearance, output_field=DateField()),
        )
        .values(
            "pk",
            "organisation__short_name",
            "gender",
            "migration_background",
            "birth_date",
            "district__code",
            "status",
            "source",
            "capacity",
            "hours_per_month",
            "created_at",
            "first_interview_on",
            "first_clearance_on",
            "trained_on",
            "left_on",
            "tandems_started",
        )
    )


def evaluation_refugee_rows() -> QuerySet[Refugee]:
    tandems = (
        Tandem.objects.filter(refugee=OuterRef("pk"), started_on__isnull=False)
        .order_by()
        .values("refugee")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Refugee.objects.order_by("pk")
        .annotate(tandems_started=Coalesce(Subquery(tandems, output_field=IntegerField()), 0))
        .values(
            "pk",
            "organisation__short_name",
            "gender",
            "birth_year",
            "district__code",
            "german_level",
            "adults_count",
            "children_count",
            "status",
            "referred_at",
            "intake_on",
            "waiting_since",
            "closed_at",
            "close_reason",
            "tandems_started",
        )
    )


@dataclass
class FundingYear:
    year: int
    target: int | None
    planned: Decimal
    spent: Decimal


def funding_by_year() -> list[FundingYear]:
    """Per year with a target, a plan or an expense: the target, the planned and the spent total."""
    targets = dict(AnnualTarget.objects.values_list("year", "tandems_formed"))
    planned = {
        row["year"]: row["total"]
        for row in FundingPlan.objects.order_by().values("year").annotate(total=Sum("amount"))
    }
    spent = {
        row["year"]: row["total"]
        for row in Expense.objects.order_by()
        .values(year=ExtractYear("spent_on"))
        .annotate(total=Sum("amount"))
    }
    years = sorted({*targets, *planned, *spent, timezone.localdate().year}, reverse=True)
    return [
        FundingYear(year, targets.get(year), planned.get(year, Decimal(0)), spent.get(year, Decimal(0)))
        for year in years
    ]


def report_data_version() -> str:
    """The latest change of the records the figures count most (volunteers, refugees, tandems), in one query
    over their `updated_at` indexes (tandems/migrations/0007): part of the key of the kept figures, so a
    save shows at once in every worker. Changes elsewhere (sessions, expenses, a deletion) show when the
    kept figures expire (REPORT_CACHE_SECONDS)."""
    sql = "SELECT " + ", ".join(
        f"(SELECT max(updated_at) FROM {model._meta.db_table})" for model in (Volunteer, Refugee, Tandem)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        latest = cursor.fetchone()
    return "|".join(at.isoformat() if at else "-" for at in latest)
