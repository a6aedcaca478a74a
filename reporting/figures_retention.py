"""How long tandems last: the figures of the section "Duration of tandems" (docs/reporting.md, "Retention").

The reads are in `reporting/selectors_retention.py` (aggregates only); the Kaplan–Meier estimate is scipy's
(`scipy.stats.ecdf` over `CensoredData`), evaluated at the curve points. Small counts are hidden as in every
figure (`reporting.suppression`), and the curve's points have their own secondary rule (`curve_points`).
"""

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from scipy.stats import CensoredData, ecdf

from reporting import selectors_retention as selectors
from reporting.figures import Bar, Build, Chart, Figure, Row, Table, figure
from reporting.suppression import THRESHOLD, Cell, suppress, suppress_median, suppress_one

CURVE_MONTHS = (1, 3, 6, 9, 12, 18, 24)
ENDED_BEFORE_MONTHS = (3, 6, 12)


@dataclass
class CurvePoint:
    months: int
    at_risk: int  # tandems observed at least this long (still "at risk" of ending)
    events: int  # tandems ended since the previous point shown (or the start)
    retained: float  # Kaplan–Meier estimate of the share still running, in percent
    shown: bool


def _observations(rows: Iterable[tuple[int, bool, int]]) -> tuple[np.ndarray, np.ndarray]:
    """The grouped (days, ended?, count) rows as one array of days and one of ended flags."""
    rows = list(rows)
    counts = np.array([n for _days, _ended, n in rows], dtype=int)
    days = np.repeat(np.array([d for d, _ended, _n in rows], dtype=float), counts)
    ended = np.repeat(np.array([e for _d, e, _n in rows], dtype=bool), counts)
    return days, ended


def _survival(days: np.ndarray, ended: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The Kaplan–Meier estimate S(t) at the days `at` (1 everywhere when no tandem has ended yet)."""
    if not ended.any():
        return np.ones_like(at)
    return ecdf(CensoredData(uncensored=days[ended], right=days[~ended])).sf.evaluate(at)


def curve_points(
    rows: Iterable[tuple[int, bool, int]],
    *,
    hide: bool,
    months: tuple[int, ...] = CURVE_MONTHS,
    threshold: int = THRESHOLD,
) -> list[CurvePoint]:
    """The start (month 0) and the curve at `months`, each marked shown or not.

    A point at which nobody is observed any more is never shown (there is nothing to estimate). With `hide`,
    a point is shown only when (counting from the previous point shown, or the start):
    - its number at risk is at least `threshold`,
    - the tandems ended since then are at least `threshold`, and
    - the tandems that left the count without ending (censored: still running, started too recently to be
      observed longer) are none or at least `threshold`,
    because the number at risk of two shown points differs by exactly these two counts. The start is shown
    when at least `threshold` tandems are followed; otherwise no point is.
    """
    days, ended = _observations(rows)
    total = len(days)
    if total == 0:
        return []
    taus = np.array([selectors.months_in_days(m) for m in months])
    survival = _survival(days, ended, taus)
    start_shown = not hide or total >= threshold
    points = [CurvePoint(0, total, 0, 100.0, start_shown)]
    previous_tau, previous_at_risk = 0.0, total
    for m, tau, s in zip(months, taus, survival, strict=True):
        at_risk = int((days >= tau).sum())
        events = int((ended & (days >= previous_tau) & (days < tau)).sum())
        censored = previous_at_risk - at_risk - events
        shown = at_risk > 0 and start_shown
        if hide:
            shown = shown and at_risk >= threshold and events >= threshold
            shown = shown and (censored == 0 or censored >= threshold)
        points.append(CurvePoint(m, at_risk, events, round(100 * float(s), 1), shown))
        if shown:
            previous_tau, previous_at_risk = tau, at_risk
    return points


def _months_label(months: int) -> str:
    if months == 0:
        return str(_("Start"))
    return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}


NOT_SHOWN = _("not shown")


@figure(section="retention", order=410)
def retention_curve(build: Build) -> Figure:
    points = curve_points(
        selectors.durations(organisations=build.organisations, period=build.period), hide=build.hide
    )
    shown = [p for p in points if p.shown]
    table = Table(
        caption=str(_("Tandems still running, by months since the start")),
        key_header=str(_("Months since the start")),
        value_headers=[
            str(_("Still running (%)")),
            str(_("Number at risk")),
            str(_("Ended since the previous row")),
        ],
        rows=[
            Row(_months_label(p.months), [Cell(p.retained), Cell(p.at_risk), Cell(p.events)]) for p in shown
        ],
    )
    at_twelve = next((p for p in shown if p.months == 12), None)
    return Figure(
        "retention_curve",
        str(_("Retention of tandems after Kaplan–Meier")),
        str(
            _(
                "Every tandem started by %(day)s, from its start: the estimated share still running after each "
                "number of months (Kaplan–Meier; one still running on %(day)s counts up to that day, censored). "
                "At risk: the tandems followed at least that long. Rows that would show or reveal fewer than 5 "
                "tandems are left out."
            )
            % {"day": date_format(build.period.reference_day, "SHORT_DATE_FORMAT")}
        ),
        suppress_one(len(points) and points[0].at_risk, enabled=build.hide),
        str(_("tandems followed")),
        summary_label=str(_("Tandems followed since their start")),
        chart=Chart(
            "chart-retention",
            str(_("Share of tandems still running (%)")),
            [Bar(row.label, row.cells[0]) for row in table.rows],
        ),
        table=table,
        extra=[
            (
                str(_("Still running at 12 months (%)")),
                Cell(at_twelve.retained) if at_twelve else str(NOT_SHOWN),
            )
        ],
    )


def share(part: int, whole: int, *, hide: bool) -> tuple[Cell, Cell]:
    """A part of a shown whole and its share in percent. With `hide`, both are hidden when the part or the
    rest of the whole is below the threshold: the whole minus one gives the other."""
    hidden = hide and (part < THRESHOLD or whole - part < THRESHOLD)
    percent = round(100 * part / whole, 1) if whole else None
    return Cell(part, hidden=hidden), Cell(percent, hidden=hidden and percent is not None)


@figure(section="retention", order=420)
def retention_ended_before(build: Build) -> Figure:
    rows, headline = [], Cell(None)
    for found in selectors.ended_before(
        organisations=build.organisations, period=build.period, months=ENDED_BEFORE_MONTHS
    ):
        ended, percent = share(found.ended, found.could_reach, hide=build.hide)
        rows.append(
            Row(
                ngettext("before %(n)d month", "before %(n)d months", found.months) % {"n": found.months},
                [suppress_one(found.could_reach, enabled=build.hide), ended, percent],
            )
        )
        headline = percent
    return Figure(
        "retention_ended_before",
        str(_("Tandems ended early")),
        str(
            _(
                "Of the tandems that could have reached an age by %(day)s (started at least that many months "
                "before it), the share that ended before reaching it, whatever the reason."
            )
            % {"day": date_format(build.period.reference_day, "SHORT_DATE_FORMAT")}
        ),
        headline,
        str(_("per cent ended before 12 months")),
        summary_label=str(_("Tandems ended before 12 months (%)")),
        table=Table(
            caption=str(_("Tandems ended early")),
            key_header=str(_("Ended")),
            value_headers=[str(_("Could have reached it")), str(_("Ended before")), str(_("Share (%)"))],
            rows=rows,
        ),
    )


@figure(section="retention", order=430)
def retention_not_started(build: Build) -> Figure:
    found = selectors.proposals(organisations=build.organisations, period=build.period)
    labels = {
        "started": _("started"),
        "not_started": _("did not start"),
        "open": _("not decided yet (proposed or introduced)"),
    }
    cells, total = suppress(
        {"started": found.started, "not_started": found.not_started, "open": found.open},
        found.proposed,
        enabled=build.hide,
    )
    hidden = cells["not_started"].hidden or total.hidden
    rate = Cell(round(100 * found.not_started / found.proposed, 1) if found.proposed else None, hidden=hidden)
    return Figure(
        "retention_not_started",
        str(_("Tandems that did not start")),
        str(
            _(
                "Of the tandems proposed within the period, the share that did not start (the pair never "
                "had its first meeting after the introduction), whatever their state today."
            )
        ),
        rate,
        str(_("per cent did not start")),
        summary_label=str(_("Tandems that did not start (%)")),
        table=Table(
            caption=str(_("Tandems proposed within the period")),
            key_header=str(_("State today")),
            value_headers=[str(_("Number"))],
            rows=[Row(str(labels[key]), [cells[key]]) for key in labels],
            total=Row(str(_("Total")), [total]),
        ),
    )


@figure(section="retention", order=450)
def signup_to_first_tandem(build: Build) -> Figure:
    found = selectors.signup_to_first_tandem(organisations=build.organisations, period=build.period)
    return Figure(
        "signup_to_first_tandem",
        str(_("Time from sign-up to the first tandem")),
        str(
            _(
                "For the volunteers whose first tandem started within the period: the days from their "
                "registration to that start, as a median."
            )
        ),
        suppress_median(found.median, found.volunteers, enabled=build.hide),
        str(_("median days")),
        summary_label=str(_("Time from sign-up to the first tandem, median in days")),
        extra=[(str(_("Volunteers counted")), suppress_one(found.volunteers, enabled=build.hide))],
    )


@figure(section="retention", order=440)
def contact_last_30_days(build: Build) -> Figure:
    found = selectors.contact_last_30_days(organisations=build.organisations, period=build.period)
    active = suppress_one(found.active, enabled=build.hide)
    rows = []
    for label, part in (
        (_("with the volunteer"), found.volunteer),
        (_("with the household"), found.household),
        (_("with both"), found.both),
    ):
        count, percent = share(part, found.active, hide=build.hide)
        if active.hidden:
            count, percent = Cell(part, hidden=True), Cell(percent.value, hidden=True)
        rows.append(Row(str(label), [count, percent]))
    return Figure(
        "contact_last_30_days",
        str(_("Contact in the last 30 days")),
        str(
            _(
                "Of the tandems active on %(day)s: the share with a check-in with each side in the 30 days up "
                "to that day (an answer by personal link counts for the side that answered)."
            )
            % {"day": date_format(build.period.reference_day, "SHORT_DATE_FORMAT")}
        ),
        rows[2].cells[1],
        str(_("per cent with contact to both sides")),
        summary_label=str(_("Active tandems with contact to both sides in the last 30 days (%)")),
        table=Table(
            caption=str(_("Active tandems with contact in the last 30 days")),
            key_header=str(_("Contact")),
            value_headers=[str(_("Tandems")), str(_("Share (%)"))],
            rows=rows,
            total=Row(str(_("Active tandems")), [active, Cell(None)]),
        ),
    )
