"""The figures as readers see them: labelled, suppressed where needed, with a chart and tables.

`report_build` turns the raw aggregates of `reporting.selectors` into `Figure`s for the dashboard, the grant
report and its spreadsheet. Every count passes through `reporting.suppression.suppress` when the reader may
not see the people behind it (steering, evaluators).
"""

import datetime
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.models import Gender, Organisation
from reporting import selectors
from reporting.selectors import Counts, Medians, Period
from reporting.suppression import Cell, suppress, suppress_median, suppress_one
from volunteers.models import MigrationBackground

DIMENSION_LABELS = {
    "gender": _("Gender"),
    "migration": _("Migration background"),
    "organisation": _("Organisation"),
    "district": _("City district"),
}
NOT_SPECIFIED = _("not specified")


@dataclass
class Row:
    label: str
    cells: list[Cell]


@dataclass
class Table:
    caption: str
    key_header: str
    value_headers: list[str]
    rows: list[Row]
    total: Row | None = None


@dataclass
class Bar:
    label: str
    cell: Cell
    y: int = 0
    width: float = 0.0
    value_x: float = 0.0


@dataclass
class Chart:
    """A horizontal bar chart drawn as SVG by `reporting/_chart.html`; hidden cells get no bar."""

    id: str
    title: str
    bars: list[Bar]
    reference: float | None = None  # a dashed line, e.g. the monthly share of the annual target
    reference_label: str = ""
    label_width: int = 250
    bar_area: int = 360
    row_height: int = 26
    reference_x: float | None = None

    def __post_init__(self) -> None:
        values = [bar.cell.shown for bar in self.bars if bar.cell.shown is not None]
        top = max([*values, self.reference or 0, 1])
        for index, bar in enumerate(self.bars):
            bar.y = index * self.row_height
            bar.width = round(self.bar_area * (bar.cell.shown or 0) / top, 1)
            bar.value_x = round(self.label_width + bar.width + 6, 1)
        if self.reference:
            self.reference_x = round(self.label_width + self.bar_area * self.reference / top, 1)

    @property
    def height(self) -> int:
        return max(len(self.bars), 1) * self.row_height + 10

    @property
    def width(self) -> int:
        return self.label_width + self.bar_area + 60

    @property
    def bar_x(self) -> int:
        return self.label_width

    @property
    def label_chars(self) -> int:
        """How many characters of a label fit left of the bars (about 7 px each at 12 px)."""
        return (self.label_width - 10) // 7


@dataclass
class Figure:
    key: str
    title: str
    definition: str
    headline: Cell
    headline_label: str
    chart: Chart | None = None
    table: Table | None = None
    breakdowns: list[Table] = field(default_factory=list)
    extra: list[tuple[str, Cell | str]] = field(default_factory=list)
    # the headline's name in a summary table, when the title alone does not say what it counts (the
    # headline label would repeat the title: "Aktive Tandems (aktive Tandems)")
    summary_label: str = ""

    @property
    def row_label(self) -> str:
        return self.summary_label or self.title


@dataclass
class Headline:
    """One of the dashboard's first figures: a value, and where one is set the annual target, the share of
    it reached and a second value (the median wait beside the people waiting)."""

    key: str
    label: str
    value: Cell
    target: int | None = None
    share: Cell | None = None
    detail_label: str = ""
    detail: Cell | None = None


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure]


@dataclass
class Report:
    period: Period
    organisations: list[str]
    is_suppressed: bool
    sections: list[Section]
    target: int | None = None
    formed: Cell | None = None
    target_share: Cell | None = None
    trained_target: int | None = None
    trained_share: Cell | None = None

    def figure(self, key: str) -> Figure:
        return next(f for section in self.sections for f in section.figures if f.key == key)

    @property
    def grant_sections(self) -> list[Section]:
        """The sections the grant report prints: all but the dashboard's own (DASHBOARD_ONLY)."""
        return [section for section in self.sections if section.key not in DASHBOARD_ONLY]


def _name(obj) -> str:
    return str(obj)


def _district_name(code: str | None, districts: dict) -> str:
    return str(districts[code]) if code in districts else str(NOT_SPECIFIED)


def _ordered_keys(dim: str, found: dict, districts: dict) -> list:
    """The keys of one breakdown in display order: every choice of a fixed list, every district, and the
    organisations that have rows."""
    if dim == "gender":
        return [*Gender.values, *[k for k in found if k not in Gender.values]]
    if dim == "migration":
        return [*MigrationBackground.values, *[k for k in found if k not in MigrationBackground.values]]
    if dim == "district":
        codes = list(districts)
        return [*codes, *[k for k in found if k not in codes]]
    return sorted(found, key=lambda k: (k is None, str(k or "").lower()))


def _key_label(dim: str, key, districts: dict) -> str:
    if key is None:
        return str(NOT_SPECIFIED)
    if dim == "gender":
        return str(Gender(key).label) if key in Gender.values else str(key)
    if dim == "migration":
        return str(MigrationBackground(key).label) if key in MigrationBackground.values else str(key)
    if dim == "district":
        return _district_name(key, districts)
    return str(key)


def count_breakdowns(counts: Counts, *, caption: str, hide: bool, districts: dict) -> list[Table]:
    tables = []
    for dim in selectors.DIMENSIONS:
        if dim not in counts.by:
            continue
        found = counts.by[dim]
        keys = _ordered_keys(dim, found, districts)
        cells, total = suppress({key: found.get(key, 0) for key in keys}, counts.total, enabled=hide)
        tables.append(
            Table(
                caption=f"{caption} – {DIMENSION_LABELS[dim]}",
                key_header=str(DIMENSION_LABELS[dim]),
                value_headers=[str(_("Number"))],
                rows=[Row(_key_label(dim, key, districts), [cells[key]]) for key in keys],
                total=Row(str(_("Total")), [total]),
            )
        )
    return tables


def median_breakdowns(
    medians: Medians, *, caption: str, unit: str, hide: bool, districts: dict
) -> list[Table]:
    tables = []
    for dim in selectors.DIMENSIONS:
        if dim not in medians.by:
            continue
        found = medians.by[dim]
        keys = _ordered_keys(dim, found, districts)
        counts = {key: found.get(key, (0, None))[0] for key in keys}
        cells, total = suppress(counts, medians.people, enabled=hide)
        rows = [
            Row(
                _key_label(dim, key, districts),
                [cells[key], suppress_median(found.get(key, (0, None))[1], counts[key], enabled=hide)],
            )
            for key in keys
        ]
        tables.append(
            Table(
                caption=f"{caption} – {DIMENSION_LABELS[dim]}",
                key_header=str(DIMENSION_LABELS[dim]),
                value_headers=[str(_("Number")), unit],
                rows=rows,
                total=Row(
                    str(_("Total")), [total, suppress_median(medians.median, medians.people, enabled=hide)]
                ),
            )
        )
    return tables


def _chart_from_table(chart_id: str, title: str, table: Table, **kwargs) -> Chart:
    return Chart(chart_id, title, [Bar(row.label, row.cells[0]) for row in table.rows], **kwargs)


def _month_label(month: datetime.date) -> str:
    return date_format(month, "M Y")


# --- the registry of figures -----------------------------------------------------------------------------------


@dataclass
class Build:
    """What every figure builder is given: the scope, the period and whether small counts are hidden.
    `summary` carries the few values the report shows outside its figures (the annual target)."""

    organisations: QuerySet[Organisation]
    period: Period
    hide: bool
    today: datetime.date
    districts: dict
    summary: dict = field(default_factory=dict)


Builder = Callable[[Build], "Figure | list[Figure]"]

# The report's sections in display order; a figure names the section it belongs to.
SECTIONS: list[tuple[str, str]] = [
    ("tandems", _("Tandems")),
    ("volunteers", _("Volunteers")),
    ("refugees", _("Refugees")),
    ("trainings", _("Trainings")),
    ("retention", _("Duration of tandems")),
    ("impact", _("Impact")),
    ("survey", _("Relationship survey")),
]
# sections for the staff's and steering group's dashboard only, not printed in the grant report: the
# relationship survey is the programme's own quality check (the funders' format holds 10 pages)
DASHBOARD_ONLY = frozenset({"survey"})
FIGURES: list[tuple[int, str, Builder]] = []  # (order, section, builder), kept sorted by order


def figure(*, section: str, order: int) -> Callable[[Builder], Builder]:
    """Register a figure builder: `report_build` calls every builder in `order` and puts the figures it
    returns (one `Figure` or a list) into `section`. A new figure is one decorated function."""
    if section not in dict(SECTIONS):
        raise ValueError(f"unknown report section {section!r}")

    def register(builder: Builder) -> Builder:
        if any(existing == order for existing, _section, _builder in FIGURES):
            raise ValueError(f"a report figure is already registered with order {order}")
        FIGURES.append((order, section, builder))
        FIGURES.sort(key=lambda entry: entry[0])
        return builder

    return register


def report_build(
    *,
    organisations: QuerySet[Organisation],
    period: Period,
    hide_small: bool,
    today: datetime.date | None = None,
) -> Report:
    """Every figure of the dashboard and the grant report for `organisations` in `period`."""
    build = Build(
        organisations=organisations,
        period=period,
        hide=hide_small,
        today=today or timezone.localdate(),
        districts=selectors.district_labels(),
    )
    by_section: dict[str, list[Figure]] = {key: [] for key, _title in SECTIONS}
    for _order, section, builder in FIGURES:
        built = builder(build)
        by_section[section].extend(built if isinstance(built, list) else [built])
    return Report(
        period=period,
        organisations=[
            str(o)
            for o in selectors.organisations_running_tandems(organisations=organisations).order_by(
                "short_name"
            )
        ],
        is_suppressed=hide_small,
        sections=[Section(key, str(title), by_section[key]) for key, title in SECTIONS if by_section[key]],
        **build.summary,
    )


# --- tandems ---------------------------------------------------------------------------------------------------


def _formed_target(build: Build, total: int, shown: Cell) -> tuple[int | None, Cell | None]:
    """The annual target for the period's year and the share of it reached (hidden with the total)."""
    target_row = selectors.target_for(year=build.period.year) if build.period.year else None
    target = target_row.tandems_formed if target_row else None
    share = None
    if target:
        share = Cell(round(100 * total / target, 1) if not shown.hidden else None, hidden=shown.hidden)
    build.summary.update(target=target, formed=shown, target_share=share)
    return target, share


@figure(section="tandems", order=10)
def tandems_formed(build: Build) -> Figure:
    organisations, period, hide = build.organisations, build.period, build.hide
    formed_counts = selectors.count_by_dimensions(
        selectors.tandems_formed(organisations=organisations, period=period), subject="tandem"
    )
    by_month = selectors.tandems_formed_by_month(organisations=organisations, period=period)
    month_cells, formed_total = suppress(by_month, formed_counts.total, enabled=hide)
    target, share = _formed_target(build, formed_counts.total, formed_total)
    month_table = Table(
        caption=str(_("Tandems formed per month")),
        key_header=str(_("Month")),
        value_headers=[str(_("Tandems formed"))],
        rows=[Row(_month_label(month), [month_cells[month]]) for month in by_month],
        total=Row(str(_("Total")), [formed_total]),
    )
    extra: list[tuple[str, Cell | str]] = []
    if target:
        extra = [(str(_("Annual target")), Cell(target)), (str(_("Share of the target reached (%)")), share)]
    return Figure(
        "tandems_formed",
        str(_("Tandems formed")),
        str(_("Tandems that started (first meeting after the introduction) within the period.")),
        formed_total,
        str(_("tandems formed")),
        chart=_chart_from_table(
            "chart-formed",
            str(_("Tandems formed per month")),
            month_table,
            reference=round(target / 12, 1) if target else None,
            reference_label=str(_("monthly share of the annual target")) if target else "",
        ),
        table=month_table,
        breakdowns=count_breakdowns(
            formed_counts, caption=str(_("Tandems formed")), hide=hide, districts=build.districts
        ),
        extra=extra,
    )


@figure(section="tandems", order=20)
def tandems_active(build: Build) -> Figure:
    hide, period = build.hide, build.period
    active_counts = selectors.count_by_dimensions(
        selectors.tandems_active(organisations=build.organisations, period=period), subject="tandem"
    )
    active_tables = count_breakdowns(
        active_counts, caption=str(_("Active tandems")), hide=hide, districts=build.districts
    )
    org_table = next(t for t in active_tables if t.key_header == str(DIMENSION_LABELS["organisation"]))
    return Figure(
        "tandems_active",
        str(_("Active tandems")),
        str(
            _(
                "Tandems that had started by %(day)s and had not ended before it (the end of the period, or today)."
            )
            % {"day": date_format(period.reference_day, "SHORT_DATE_FORMAT")}
        ),
        suppress_one(active_counts.total, enabled=hide),
        str(_("active tandems")),
        chart=_chart_from_table("chart-active", str(_("Active tandems by organisation")), org_table),
        table=org_table,
        breakdowns=[table for table in active_tables if table is not org_table],
    )


def _end_reason_table(build: Build, duration: Medians) -> Table:
    hide = build.hide
    reasons = selectors.end_reasons()
    by_reason = selectors.tandems_ended_by_reason(organisations=build.organisations, period=build.period)
    reason_counts = {reason.pk: by_reason.get(reason.pk, (0, None))[0] for reason in reasons}
    reason_cells, ended_total = suppress(reason_counts, duration.people, enabled=hide)
    return Table(
        caption=str(_("Tandems ended by reason")),
        key_header=str(_("End reason")),
        value_headers=[str(_("Number")), str(_("Median days"))],
        rows=[
            Row(
                _name(reason),
                [
                    reason_cells[reason.pk],
                    suppress_median(
                        by_reason.get(reason.pk, (0, None))[1], reason_counts[reason.pk], enabled=hide
                    ),
                ],
            )
            for reason in reasons
        ],
        total=Row(
            str(_("Total")), [ended_total, suppress_median(duration.median, duration.people, enabled=hide)]
        ),
    )


@figure(section="tandems", order=30)
def tandems_ended(build: Build) -> Figure:
    hide, days = build.hide, str(_("Median days"))
    duration = selectors.tandem_duration(organisations=build.organisations, period=build.period)
    reason_table = _end_reason_table(build, duration)
    return Figure(
        "tandems_ended",
        str(_("Tandems ended")),
        str(
            _(
                "Tandems that ended within the period, by the reason given, with the median duration in days "
                "from start to end."
            )
        ),
        reason_table.total.cells[0],
        str(_("tandems ended")),
        chart=_chart_from_table("chart-ended", str(_("Tandems ended by reason")), reason_table),
        table=reason_table,
        breakdowns=median_breakdowns(
            duration,
            caption=str(_("Duration of ended tandems")),
            unit=days,
            hide=hide,
            districts=build.districts,
        ),
        extra=[
            (
                str(_("Median duration (days)")),
                suppress_median(duration.median, duration.people, enabled=hide),
            )
        ],
    )


# --- volunteers ------------------------------------------------------------------------------------------------

# The steps from registration to training, each one figure; the first carries the chart of all four.
VOLUNTEER_PIPELINE = [
    (
        "volunteers_recruited",
        _("Volunteers recruited"),
        _("Volunteers registered within the period (public sign-up, entered by staff or imported)."),
        selectors.volunteers_recruited,
    ),
    (
        "volunteers_interviewed",
        _("Volunteers screened: interview done"),
        _("Volunteers with an intake interview held within the period."),
        selectors.volunteers_interviewed,
    ),
    (
        "volunteers_cleared",
        _("Volunteers screened: police clearance seen"),
        _("Volunteers whose extended police clearance certificate was seen within the period."),
        selectors.volunteers_cleared,
    ),
    (
        "volunteers_trained",
        _("Volunteers trained"),
        _("Volunteers who completed the required basic training within the period."),
        selectors.volunteers_trained,
    ),
]


@figure(section="volunteers", order=110)
def volunteers_pipeline(build: Build) -> list[Figure]:
    figures = []
    for key, title, definition, selector in VOLUNTEER_PIPELINE:
        counts = selector(organisations=build.organisations, period=build.period)
        figures.append(
            Figure(
                key,
                str(title),
                str(definition),
                suppress_one(counts.total, enabled=build.hide),
                str(_("volunteers")),
                breakdowns=count_breakdowns(
                    counts, caption=str(title), hide=build.hide, districts=build.districts
                ),
            )
        )
    trained = next(f for f in figures if f.key == "volunteers_trained")
    target_row = selectors.target_for(year=build.period.year) if build.period.year else None
    target = target_row.volunteers_trained if target_row else None
    if target:
        share = Cell(
            round(100 * trained.headline.value / target, 1) if not trained.headline.hidden else None,
            hidden=trained.headline.hidden,
        )
        build.summary.update(trained_target=target, trained_share=share)
        trained.extra = [
            (str(_("Annual target")), Cell(target)),
            (str(_("Share of the target reached (%)")), share),
        ]
    bars = [Bar(f.title, f.headline) for f in figures]
    figures[0].chart = Chart(
        "chart-pipeline", str(_("Volunteers from registration to training")), bars, label_width=330
    )
    figures[0].table = Table(
        caption=str(_("Volunteers from registration to training")),
        key_header=str(_("Step")),
        value_headers=[str(_("Volunteers"))],
        rows=[Row(bar.label, [bar.cell]) for bar in bars],
    )
    return figures


# --- refugees --------------------------------------------------------------------------------------------------


@figure(section="refugees", order=210)
def refugees_waiting(build: Build) -> Figure:
    hide = build.hide
    waiting = selectors.refugees_waiting(organisations=build.organisations, today=build.today)
    waiting_tables = median_breakdowns(
        waiting,
        caption=str(_("Refugees waiting")),
        unit=str(_("Median days waited")),
        hide=hide,
        districts=build.districts,
    )
    district_table = next(t for t in waiting_tables if t.key_header == str(DIMENSION_LABELS["district"]))
    return Figure(
        "refugees_waiting",
        str(_("Refugees waiting for a tandem")),
        str(
            _(
                "Refugees (households) waiting for a tandem today, and the median of the days since their wait "
                "began. Always today's state, whatever the period."
            )
        ),
        suppress_one(waiting.people, enabled=hide),
        str(_("waiting today")),
        summary_label=str(_("Refugees waiting for a tandem today")),
        chart=_chart_from_table("chart-waiting", str(_("Refugees waiting by city district")), district_table),
        table=district_table,
        breakdowns=[table for table in waiting_tables if table is not district_table],
        extra=[
            (
                str(_("Median days waited so far")),
                suppress_median(waiting.median, waiting.people, enabled=hide),
            )
        ],
    )


@figure(section="refugees", order=220)
def waiting_until_tandem(build: Build) -> Figure:
    hide = build.hide
    until = selectors.waiting_until_tandem(organisations=build.organisations, period=build.period)
    return Figure(
        "waiting_until_tandem",
        str(_("Waiting time until the tandem")),
        str(
            _(
                "For the tandems formed within the period: the days from the start of the refugee's wait "
                "(after the intake) to the start of the tandem, as a median."
            )
        ),
        suppress_median(until.median, until.people, enabled=hide),
        str(_("median days")),
        summary_label=str(_("Waiting time until the tandem, median in days")),
        breakdowns=median_breakdowns(
            until,
            caption=str(_("Waiting time until the tandem")),
            unit=str(_("Median days")),
            hide=hide,
            districts=build.districts,
        ),
        extra=[(str(_("Tandems counted")), suppress_one(until.people, enabled=hide))],
    )


# --- trainings -------------------------------------------------------------------------------------------------


def _training_table(trainings: list, attendance: Counts, *, hide: bool) -> Table:
    language_en = (get_language() or "de").startswith("en")
    attendance_cells, attendance_total = suppress(
        {row.code: row.attendances for row in trainings}, attendance.total, enabled=hide
    )
    return Table(
        caption=str(_("Trainings and meetups held")),
        key_header=str(_("Course type")),
        value_headers=[
            str(_("Sessions")),
            str(_("Hours")),
            str(_("Attendances")),
            str(_("Participant hours")),
        ],
        rows=[
            Row(
                row.name_en if language_en else row.name_de,
                [
                    Cell(row.sessions),
                    Cell(float(row.hours)),
                    attendance_cells[row.code],
                    Cell(float(row.participant_hours), hidden=attendance_cells[row.code].hidden),
                ],
            )
            for row in trainings
        ],
        total=Row(
            str(_("Total")),
            [
                Cell(sum(row.sessions for row in trainings)),
                Cell(float(sum((row.hours for row in trainings), Decimal(0)))),
                attendance_total,
                Cell(
                    float(sum((row.participant_hours for row in trainings), Decimal(0))),
                    hidden=attendance_total.hidden,
                ),
            ],
        ),
    )


@figure(section="trainings", order=310)
def trainings_held(build: Build) -> Figure:
    hide = build.hide
    trainings = selectors.trainings_held(organisations=build.organisations, period=build.period)
    attendance = selectors.attendance(organisations=build.organisations, period=build.period)
    training_table = _training_table(trainings, attendance, hide=hide)
    return Figure(
        "trainings",
        str(_("Trainings held and attendance")),
        str(
            _(
                "Sessions (trainings and meetups) held within the period by the organisations shown, their "
                "hours, and the attended places of the volunteers shown (a volunteer at two sessions counts "
                "twice); participant hours add up the length of each attended session."
            )
        ),
        Cell(sum(row.sessions for row in trainings)),
        str(_("sessions held")),
        summary_label=str(_("Sessions held (trainings and meetups)")),
        chart=Chart(
            "chart-trainings",
            str(_("Attendances by course type")),
            [Bar(row.label, row.cells[2]) for row in training_table.rows],
        ),
        table=training_table,
        breakdowns=count_breakdowns(
            attendance, caption=str(_("Attendances")), hide=hide, districts=build.districts
        ),
        extra=[
            (str(_("Attendances")), training_table.total.cells[2]),
            (str(_("Different participants")), suppress_one(attendance.people, enabled=hide)),
        ],
    )


def figure_rows(report: Report) -> Sequence[tuple[str, str, Cell | str]]:
    """(section, figure, value) for the headline of every figure and its extras: the first sheet of the
    spreadsheet and the summary table of the grant report."""
    rows = []
    for section in report.sections:
        for figure in section.figures:
            rows.append((section.title, figure.row_label, figure.headline))
            for label, value in figure.extra:
                rows.append((section.title, f"{figure.title}: {label}", value))
    return rows


def headlines(report: Report) -> list[Headline]:
    """The dashboard's first screen and the grant report's first table: tandems formed against the target,
    active tandems, people waiting with the median wait, volunteers trained against the target."""
    formed = report.figure("tandems_formed")
    waiting = report.figure("refugees_waiting")
    trained = report.figure("volunteers_trained")
    year = report.period.year
    return [
        Headline(
            "formed",
            str(_("Tandems formed in %(year)s") % {"year": year}) if year else formed.title,
            formed.headline,
            target=report.target,
            share=report.target_share,
        ),
        Headline("active", report.figure("tandems_active").title, report.figure("tandems_active").headline),
        Headline(
            "waiting",
            str(_("People waiting for a tandem")),
            waiting.headline,
            detail_label=str(_("median wait so far (days)")),
            detail=dict(waiting.extra).get(str(_("Median days waited so far"))),
        ),
        Headline(
            "trained",
            str(_("Volunteers trained in %(year)s") % {"year": year}) if year else trained.title,
            trained.headline,
            target=report.trained_target,
            share=report.trained_share,
        ),
    ]


def report_key(*, organisations: QuerySet[Organisation], period: Period, hide_small: bool) -> str:
    """The key of the kept figures: scope, period, suppression, language, today and the data version
    (`selectors.report_data_version`: a saved volunteer, refugee or tandem shows at once). Everything kept
    from these figures (`reporting.fragments`: their rendered HTML) is kept under this key too."""
    scope = ",".join(str(pk) for pk in sorted(organisations.values_list("pk", flat=True)))
    version = selectors.report_data_version()
    raw = (
        f"{scope}|{period.start}|{period.end}|{hide_small}|{get_language()}|{timezone.localdate()}|{version}"
    )
    return "reporting:report:" + hashlib.sha256(raw.encode()).hexdigest()


def report_cached(
    *, organisations: QuerySet[Organisation], period: Period, hide_small: bool, key: str | None = None
) -> Report:
    """`report_build`, kept for REPORT_CACHE_SECONDS (300 by default) per `report_key` (computed unless
    given) in the cache every worker shares: the dashboard is opened by many readers and its figures
    change slowly, while computing them scans every tandem, volunteer and registration of the scope (about 250 ms at city scale)."""
    seconds = settings.REPORT_CACHE_SECONDS
    if seconds <= 0:
        return report_build(organisations=organisations, period=period, hide_small=hide_small)
    key = key or report_key(organisations=organisations, period=period, hide_small=hide_small)
    report = cache.get(key)
    if report is None:
        report = report_build(organisations=organisations, period=period, hide_small=hide_small)
        cache.set(key, report, seconds)
    return report


# figures kept in modules of their own register themselves on import (after the registry above exists)
from reporting import figures_outcomes, figures_retention, figures_survey  # noqa: E402, F401
