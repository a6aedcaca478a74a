"""The grant report as a spreadsheet: German headers and number formats (1.234,50 €)."""

import io
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reporting.figures import Report, Table, figure_rows
from reporting.selectors import FundingTable
from reporting.suppression import HIDDEN, Cell

EURO = '#,##0.00 "€"'
INTEGER = "#,##0"
DECIMAL = "#,##0.0"


def _put(sheet, row: int, column: int, value) -> None:
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, Cell):
        if value.hidden:
            cell.value = HIDDEN
            return
        value = value.value
    if value is None:
        cell.value = "–"
        return
    cell.value = value
    if isinstance(value, Decimal):
        cell.number_format = EURO
    elif isinstance(value, float):
        cell.number_format = DECIMAL
    elif isinstance(value, int):
        cell.number_format = INTEGER


def _table(sheet, row: int, table: Table, bold) -> int:
    sheet.cell(row=row, column=1, value=table.caption).font = bold
    row += 1
    for column, header in enumerate([table.key_header, *table.value_headers], start=1):
        sheet.cell(row=row, column=column, value=header).font = bold
    for line in [*table.rows, *([table.total] if table.total else [])]:
        row += 1
        sheet.cell(row=row, column=1, value=line.label)
        for column, cell in enumerate(line.cells, start=2):
            _put(sheet, row, column, cell)
    return row + 2


def grant_report_xlsx(*, report: Report, funding: FundingTable, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Overview")[:31]
    summary["A1"] = title
    summary["A1"].font = Font(bold=True, size=14)
    summary["A2"] = _("Period")
    summary["B2"] = (
        f"{date_format(report.period.start, 'SHORT_DATE_FORMAT')} – {date_format(report.period.end, 'SHORT_DATE_FORMAT')}"
    )
    summary["A3"] = _("Organisations")
    summary["B3"] = ", ".join(report.organisations)
    if report.is_suppressed:
        summary["A4"] = _("Counts below 5 are shown as <5, and so are the counts that would reveal them.")
    row = 6
    for column, header in enumerate((_("Area"), _("Figure"), _("Value")), start=1):
        summary.cell(row=row, column=column, value=header).font = bold
    for section, label, value in figure_rows(report):
        row += 1
        summary.cell(row=row, column=1, value=section)
        summary.cell(row=row, column=2, value=label)
        _put(summary, row, 3, value)
    summary.column_dimensions["A"].width = 16
    summary.column_dimensions["B"].width = 70
    summary.column_dimensions["C"].width = 14

    tables = workbook.create_sheet(_("Tables")[:31])
    row = 1
    for section in report.sections:
        for figure in section.figures:
            for table in [*([figure.table] if figure.table else []), *figure.breakdowns]:
                row = _table(tables, row, table, bold)
    tables.column_dimensions["A"].width = 48
    for letter in "BCDE":
        tables.column_dimensions[letter].width = 16

    money = workbook.create_sheet(_("Funding")[:31])
    headers = (_("Funding source"), _("Budget line"), _("Planned"), _("Spent"), _("Remaining"))
    for column, header in enumerate(headers, start=1):
        money.cell(row=1, column=column, value=header).font = bold
    row = 1
    for group in funding.sources():
        source, planned, spent = group.source, group.planned, group.spent
        for line in group.lines:
            row += 1
            money.cell(row=row, column=1, value=str(source))
            money.cell(row=row, column=2, value=str(line.budget_line))
            for column, value in enumerate((line.planned, line.spent, line.remaining), start=3):
                _put(money, row, column, Decimal(value))
        row += 1
        money.cell(row=row, column=1, value=_("Total %(source)s") % {"source": source}).font = bold
        for column, value in enumerate((planned, spent, planned - spent), start=3):
            _put(money, row, column, Decimal(value))
            money.cell(row=row, column=column).font = bold
    row += 1
    money.cell(row=row, column=1, value=_("Total")).font = bold
    for column, value in enumerate((funding.planned, funding.spent, funding.remaining), start=3):
        _put(money, row, column, Decimal(value))
        money.cell(row=row, column=column).font = bold
    money.column_dimensions["A"].width = 60
    money.column_dimensions["B"].width = 32
    for letter in "CDE":
        money.column_dimensions[letter].width = 16

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
