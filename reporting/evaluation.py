"""The pseudonymised evaluation export for the Hochschule Hannover: one row per tandem, per volunteer and
per refugee. The column definitions below drive both the export and its codebook page, so the two cannot
drift apart.

What is left out on purpose: names, contacts, addresses, every free text, residence status and health, exact
dates (months only), exact birth dates (five-year bands). People and tandems are named by pseudonyms:
HMAC-SHA256 of the row's kind and id, keyed with `settings.PSEUDONYM_KEY`. The same person keeps the same
pseudonym in every export; without the key the pseudonym cannot be traced back to the id.
"""

import dataclasses
import datetime
import hashlib
import hmac
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.lists import csv_stream
from core.xlsx import XlsxBook
from reporting import selectors
from tandems.matching import registry
from tandems.models import IntegrationOutcome
from tandems.survey import survey_evaluation_rows

PSEUDONYM_LENGTH = 16  # hex digits: 64 bits, no collisions at the programme's scale


def pseudonym(kind: str, pk: int | None) -> str:
    """A stable pseudonym for row `pk` of `kind` (T tandem, V volunteer, R refugee)."""
    if pk is None:
        return ""
    digest = hmac.new(settings.PSEUDONYM_KEY.encode(), f"{kind}:{pk}".encode(), hashlib.sha256).hexdigest()
    return f"{kind}-{digest[:PSEUDONYM_LENGTH]}"


def month(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return f"{value:%Y-%m}"


def birth_band(year: int | None) -> str:
    """Five-year bands starting at years ending in 0 or 5: 1985-1989."""
    if not year:
        return ""
    start = year - year % 5
    return f"{start}-{start + 4}"


def whole_months(start: datetime.date | None, end: datetime.date | None) -> int | None:
    if start is None or end is None:
        return None
    return (end.year - start.year) * 12 + end.month - start.month - (1 if end.day < start.day else 0)


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


@dataclass(frozen=True)
class ExportColumn:
    name: str
    description: Promise | str
    values: Promise | str
    get: Callable[[dict[str, Any]], Any]


@dataclass(frozen=True)
class ExportTable:
    key: str
    title: Promise | str
    description: Promise | str
    rows: Callable[[], QuerySet]
    fixed_columns: tuple[ExportColumn, ...]
    # columns made from a registry when the table is read (one per matching criterion), after the fixed ones
    column_blocks: tuple[Callable[[], tuple[ExportColumn, ...]], ...] = ()

    @property
    def columns(self) -> tuple[ExportColumn, ...]:
        return self.fixed_columns + tuple(column for block in self.column_blocks for column in block())

    def header(self) -> list[str]:
        return [column.name for column in self.columns]

    def records(self) -> Iterator[list[Any]]:
        columns = list(self.columns)  # once: a group of columns may be read from the database
        for row in self.rows().iterator(chunk_size=2000):
            yield [column.get(row) for column in columns]


MONTH = _("year and month, YYYY-MM; empty when not (yet) happened")
CODES = _("code (see the reference data: codes are stable, names may change)")
ORGANISATION = ExportColumn(
    "organisation",
    _("The organisation responsible (short name)."),
    _("short name"),
    lambda r: r["organisation__short_name"],
)

# the expected commitment of both sides and the risk at match time (issue #20), as they are recorded today
COMMITMENT = _("months: 3, 6, 12, 24; empty when not stated")
MEETINGS = _("times a month: 1, 2, 4 (about weekly), 8 (about twice a week); empty when not stated")
COMMITMENT_COLUMNS = (
    ExportColumn(
        "volunteer_commitment_months",
        _("How long the volunteer can commit."),
        COMMITMENT,
        lambda r: r["volunteer__commitment_months"],
    ),
    ExportColumn(
        "volunteer_commitment_per_month",
        _("How often a month the volunteer can meet."),
        MEETINGS,
        lambda r: r["volunteer__commitment_per_month"],
    ),
    ExportColumn(
        "refugee_expected_months",
        _("How long the household expects the tandem to last."),
        COMMITMENT,
        lambda r: r["refugee__expected_months"],
    ),
    ExportColumn(
        "refugee_expected_per_month",
        _("How often a month the household expects to meet."),
        MEETINGS,
        lambda r: r["refugee__expected_per_month"],
    ),
    ExportColumn(
        "risk_level",
        _(
            "Risk at match time from the transparent rules, stored when the pair was proposed (a hint, never a decision)."
        ),
        _("low, medium, high; empty for tandems proposed before it was stored"),
        lambda r: r["match_explanation__risk__level"] or "",
    ),
)


def criterion_columns() -> tuple[ExportColumn, ...]:
    """One column per criterion of `tandems/matching/registry.py`, in its order: a criterion added there adds
    its column and its codebook entry (`selectors.criterion_scores` reads the values)."""
    return tuple(
        ExportColumn(
            f"score_{criterion.key}",
            format_lazy(
                _(
                    "Score of the matching criterion “{label}” in the explanation stored when the pair was proposed."
                ),
                label=criterion.label,
            ),
            _(
                "0 to 1 (decimal point, up to 4 decimals); empty when the tandem has no stored explanation or "
                "it did not include this criterion"
            ),
            lambda r, name=f"score_{criterion.key}": r[name],
        )
        for criterion in registry.CRITERIA
    )


TANDEMS = ExportTable(
    "tandems",
    _("Tandems"),
    _("One row per tandem ever proposed, whatever became of it."),
    selectors.evaluation_tandem_rows,
    (
        ExportColumn(
            "tandem_id",
            _("Pseudonym of the tandem."),
            _("T- and 16 hex digits"),
            lambda r: pseudonym("T", r["pk"]),
        ),
        ExportColumn(
            "volunteer_id",
            _("Pseudonym of the volunteer, as in the volunteers table."),
            _("V- and 16 hex digits"),
            lambda r: pseudonym("V", r["volunteer_id"]),
        ),
        ExportColumn(
            "refugee_id",
            _("Pseudonym of the refugee (household), as in the refugees table."),
            _("R- and 16 hex digits"),
            lambda r: pseudonym("R", r["refugee_id"]),
        ),
        ORGANISATION,
        ExportColumn(
            "status",
            _("State of the tandem on the day of the export."),
            "proposed, introduced, active, closing, ended, not_started",
            lambda r: r["status"],
        ),
        ExportColumn(
            "proposed_month",
            _("Month the coordinator proposed the pair."),
            MONTH,
            lambda r: month(r["proposed_on"]),
        ),
        ExportColumn(
            "introduced_month",
            _("Month of the introduction meeting."),
            MONTH,
            lambda r: month(r["introduced_on"]),
        ),
        ExportColumn(
            "started_month",
            _("Month the tandem started (counts as formed)."),
            MONTH,
            lambda r: month(r["started_on"]),
        ),
        ExportColumn("ended_month", _("Month the tandem ended."), MONTH, lambda r: month(r["ended_on"])),
        ExportColumn(
            "duration_months",
            _("Whole months from start to end, for ended tandems."),
            _("whole number; empty when not ended"),
            lambda r: whole_months(r["started_on"], r["ended_on"]),
        ),
        ExportColumn("end_reason", _("Why the tandem ended."), CODES, lambda r: r["end_reason__code"] or ""),
        ExportColumn(
            "district",
            _("City district (Stadtbezirk) where the refugee lives."),
            CODES,
            lambda r: r["refugee__district__code"] or "",
        ),
        ExportColumn(
            "checkins_held",
            _("Number of check-ins held with the tandem."),
            _("whole number"),
            lambda r: r["checkins_held"],
        ),
        ExportColumn(
            "volunteer_wants_new",
            _("At the end: the volunteer wants to be matched again."),
            _("yes, no; empty when not asked"),
            lambda r: yes_no(r["volunteer_wants_new"]),
        ),
        ExportColumn(
            "refugee_needs_new",
            _("At the end: the refugee still needs a tandem."),
            _("yes, no; empty when not asked"),
            lambda r: yes_no(r["refugee_needs_new"]),
        ),
        *COMMITMENT_COLUMNS,
    ),
    column_blocks=(criterion_columns,),
)

# --- the closure (issue #20): wishes, German levels and one column per integration outcome -------------------

LEVELS = _("A0, A1, A2, B1, B2, C1, C2; empty when not recorded")


def outcome_columns() -> tuple[ExportColumn, ...]:
    """One column per integration outcome (`outcome_<code>`, admin-editable, read when the export or its
    codebook is made): "yes" when ticked at the closure, "no" when a closure was recorded without it, empty
    for tandems not closed this way."""
    return tuple(
        ExportColumn(
            f"outcome_{outcome.code.replace('-', '_')}",
            _("At the closure: integration outcome reached: %(name)s.") % {"name": outcome},
            _("yes, no; empty when no closure was recorded"),
            lambda r, code=outcome.code: _outcome(r, code),
        )
        for outcome in IntegrationOutcome.objects.order_by("sort_order", "code")
    )


def _outcome(row: dict[str, Any], code: str) -> str:
    if not row["closure__started_on"]:
        return ""
    return yes_no(code in (row["outcome_codes"] or ()))


CLOSURE_COLUMNS = (
    ExportColumn(
        "volunteer_wish",
        _("At the closure: the volunteer's wish about further contact."),
        "none, private, new_tandem; " + str(_("empty when not recorded")),
        lambda r: r["closure__volunteer_wish"] or "",
    ),
    ExportColumn(
        "household_wish",
        _("At the closure: the household's wish about further contact."),
        "none, private, other_volunteer; " + str(_("empty when not recorded")),
        lambda r: r["closure__household_wish"] or "",
    ),
    ExportColumn(
        "german_level_start",
        _("The refugee's German level at the start of the tandem (recorded at the closure)."),
        LEVELS,
        lambda r: r["closure__german_level_start"] or "",
    ),
    ExportColumn(
        "german_level_end",
        _("The refugee's German level at the end of the tandem."),
        LEVELS,
        lambda r: r["closure__german_level_end"] or "",
    ),
)
TANDEMS = dataclasses.replace(
    TANDEMS,
    fixed_columns=(*TANDEMS.fixed_columns, *CLOSURE_COLUMNS),
    column_blocks=(*TANDEMS.column_blocks, outcome_columns),
)

VOLUNTEERS = ExportTable(
    "volunteers",
    _("Volunteers"),
    _("One row per volunteer in the register, including those who left or were anonymised."),
    selectors.evaluation_volunteer_rows,
    (
        ExportColumn(
            "volunteer_id",
            _("Pseudonym of the volunteer."),
            _("V- and 16 hex digits"),
            lambda r: pseudonym("V", r["pk"]),
        ),
        ORGANISATION,
        ExportColumn(
            "gender", _("Gender as stated."), "female, male, diverse, unspecified", lambda r: r["gender"]
        ),
        ExportColumn(
            "migration_background",
            _("Migration background as stated."),
            "yes, no, unspecified",
            lambda r: r["migration_background"],
        ),
        ExportColumn(
            "birth_year_band",
            _("Year of birth in five-year bands."),
            _("for example 1985-1989; empty when unknown"),
            lambda r: birth_band(r["birth_date"].year if r["birth_date"] else None),
        ),
        ExportColumn(
            "district",
            _("City district (Stadtbezirk) where the volunteer lives."),
            CODES,
            lambda r: r["district__code"] or "",
        ),
        ExportColumn(
            "status",
            _("State in the recruiting pipeline on the day of the export."),
            "registered, email_confirmed, interview_done, cleared, trained, active, paused, left",
            lambda r: r["status"],
        ),
        ExportColumn(
            "source",
            _("How the volunteer heard of the programme."),
            "website, press, social, friends, event, partner, poster, other",
            lambda r: r["source"],
        ),
        ExportColumn(
            "capacity", _("Tandems the volunteer can accompany at once."), "1-5", lambda r: r["capacity"]
        ),
        ExportColumn(
            "hours_per_month",
            _("Hours per month the volunteer offers."),
            _("whole number"),
            lambda r: r["hours_per_month"],
        ),
        ExportColumn(
            "registered_month", _("Month of registration."), MONTH, lambda r: month(r["created_at"])
        ),
        ExportColumn(
            "interview_month",
            _("Month of the first intake interview."),
            MONTH,
            lambda r: month(r["first_interview_on"]),
        ),
        ExportColumn(
            "clearance_month",
            _("Month a police clearance was first seen."),
            MONTH,
            lambda r: month(r["first_clearance_on"]),
        ),
        ExportColumn(
            "trained_month",
            _("Month the required basic training was completed."),
            MONTH,
            lambda r: month(r["trained_on"]),
        ),
        ExportColumn(
            "left_month", _("Month the volunteer left the programme."), MONTH, lambda r: month(r["left_on"])
        ),
        ExportColumn(
            "tandems_started",
            _("Tandems of this volunteer that started."),
            _("whole number"),
            lambda r: r["tandems_started"],
        ),
    ),
)

REFUGEES = ExportTable(
    "refugees",
    _("Refugees"),
    _("One row per referral (a person or a household), including closed and anonymised ones."),
    selectors.evaluation_refugee_rows,
    (
        ExportColumn(
            "refugee_id",
            _("Pseudonym of the refugee (household)."),
            _("R- and 16 hex digits"),
            lambda r: pseudonym("R", r["pk"]),
        ),
        ORGANISATION,
        ExportColumn(
            "gender",
            _("Gender of the main person as stated."),
            "female, male, diverse, unspecified",
            lambda r: r["gender"],
        ),
        ExportColumn(
            "birth_year_band",
            _("Year of birth of the main person in five-year bands."),
            _("for example 1985-1989; empty when unknown"),
            lambda r: birth_band(r["birth_year"]),
        ),
        ExportColumn(
            "district",
            _("City district (Stadtbezirk) where the household lives."),
            CODES,
            lambda r: r["district__code"] or "",
        ),
        ExportColumn(
            "german_level",
            _("German level at intake."),
            "A0, A1, A2, B1, B2, C1, C2",
            lambda r: r["german_level"],
        ),
        ExportColumn("adults", _("Adults in the household."), _("whole number"), lambda r: r["adults_count"]),
        ExportColumn(
            "children", _("Children in the household."), _("whole number"), lambda r: r["children_count"]
        ),
        ExportColumn(
            "status",
            _("State of the referral on the day of the export."),
            "referred, intake_done, waiting, in_tandem, closed",
            lambda r: r["status"],
        ),
        ExportColumn("referred_month", _("Month of the referral."), MONTH, lambda r: month(r["referred_at"])),
        ExportColumn("intake_month", _("Month of the intake."), MONTH, lambda r: month(r["intake_on"])),
        ExportColumn(
            "waiting_since_month",
            _("Month the wait for a tandem began."),
            MONTH,
            lambda r: month(r["waiting_since"]),
        ),
        ExportColumn(
            "closed_month", _("Month the referral was closed."), MONTH, lambda r: month(r["closed_at"])
        ),
        ExportColumn(
            "close_reason",
            _("Why the referral was closed."),
            "not_needed, moved, unreachable, declined, other",
            lambda r: r["close_reason"],
        ),
        ExportColumn(
            "tandems_started",
            _("Tandems of this household that started."),
            _("whole number"),
            lambda r: r["tandems_started"],
        ),
    ),
)

# the relationship survey (issue #20): one row per tandem, wave and side
SURVEYS = ExportTable(
    "surveys",
    _("Relationship survey"),
    _(
        "One row per answer to the relationship survey: a tandem, a wave and a side (answered twice counts once)."
    ),
    survey_evaluation_rows,
    (
        ExportColumn(
            "tandem_id",
            _("Pseudonym of the tandem, as in the tandems table."),
            _("T- and 16 hex digits"),
            lambda r: pseudonym("T", r["tandem_id"]),
        ),
        ExportColumn(
            "organisation",
            _("The organisation responsible for the tandem (short name)."),
            _("short name"),
            lambda r: r["tandem__organisation__short_name"],
        ),
        ExportColumn(
            "wave_months",
            _("The wave: months after the start of the tandem when the side was asked."),
            "1, 3, 6, 12",
            lambda r: r["wave"],
        ),
        ExportColumn("side", _("Who answered."), "volunteer, household", lambda r: r["side"]),
        ExportColumn("answered_month", _("Month of the answer."), MONTH, lambda r: month(r["answered_on"])),
        ExportColumn(
            "items",
            _("Number of statements answered (the statements an admin had active for that side)."),
            _("whole number"),
            lambda r: r["items"],
        ),
        ExportColumn(
            "score",
            _(
                "Mean agreement over the statements, from 1 (not true at all) to 5 (completely true); "
                "2.5 or lower flags the tandem at risk."
            ),
            _("decimal 1.00-5.00"),
            lambda r: "" if r["score"] is None else f"{r['score']:.2f}",
        ),
    ),
)

TABLES: dict[str, ExportTable] = {table.key: table for table in (TANDEMS, VOLUNTEERS, REFUGEES, SURVEYS)}


def csv_lines(table: ExportTable) -> Iterator[str]:
    """The table as every CSV of the application is written (core.lists.csv_stream)."""
    return csv_stream(table.header(), table.records())


def xlsx_bytes(tables: Iterable[ExportTable]) -> bytes:
    """One sheet per table and a codebook sheet, written row by row."""
    book = XlsxBook()
    tables = list(tables)
    for table in tables:
        sheet = book.sheet(table.key)
        sheet.header(table.header())
        for record in table.records():
            sheet.append(record)
    codebook = book.sheet("codebook")
    codebook.header((_("Table"), _("Column"), _("Meaning"), _("Values")))
    for table in tables:
        for column in table.columns:
            codebook.append([table.key, column.name, str(column.description), str(column.values)])
    return book.content()
