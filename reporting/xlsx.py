"""The grant report as a spreadsheet: German headers and number formats (1.234,50 €)."""

from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.xlsx import XlsxBook
from reporting.figures import Report, Table, figure_rows
from reporting.selectors import FundingTable
from reporting.suppression import HIDDEN, Cell


def _put(book: XlsxBook, sheet, row: int, column: int, value, *, bold: bool = False) -> None:
    """One figure: hidden counts as "<5", missing ones as "–", amounts in euros, counts and medians as
    numbers with German grouping (rows and columns from 0, as XlsxWriter counts)."""
    if isinstance(value, Cell):
        if value.hidden:
            sheet.write_string(row, column, HIDDEN)
            return
        value = value.value
    if value is None:
        sheet.write_string(row, column, "–")
        return
    if isinstance(value, str):
        sheet.write_string(row, column, value)
        return
    kind = "euro" if isinstance(value, Decimal) else "decimal" if isinstance(value, float) else "integer"
    sheet.write_number(row, column, value, book.number_format(kind, bold=bold))


def _table(book: XlsxBook, sheet, row: int, table: Table) -> int:
    sheet.write_string(row, 0, str(table.caption), book.bold)
    row += 1
    for column, header in enumerate([table.key_header, *table.value_headers]):
        sheet.write_string(row, column, str(header), book.bold)
    for line in [*table.rows, *([table.total] if table.total else [])]:
        row += 1
        sheet.write_string(row, 0, str(line.label))
        for column, cell in enumerate(line.cells, start=1):
            _put(book, sheet, row, column, cell)
    return row + 2


def grant_report_xlsx(*, report: Report, funding: FundingTable, title: str) -> bytes:
    book = XlsxBook(row_by_row=False)
    summary = book.worksheet(_("Overview"))
    summary.write_string(0, 0, str(title), book.title)
    summary.write_string(1, 0, _("Period"))
    summary.write_string(
        1,
        1,
        f"{date_format(report.period.start, 'SHORT_DATE_FORMAT')} – {date_format(report.period.end, 'SHORT_DATE_FORMAT')}",
    )
    summary.write_string(2, 0, _("Organisations"))
    summary.write_string(2, 1, ", ".join(report.organisations))
    if report.is_suppressed:
        summary.write_string(
            3, 0, _("Counts below 5 are shown as <5, and so are the counts that would reveal them.")
        )
    row = 5
    for column, header in enumerate((_("Area"), _("Figure"), _("Value"))):
        summary.write_string(row, column, header, book.bold)
    for section, label, value in figure_rows(report):
        row += 1
        summary.write_string(row, 0, str(section))
        summary.write_string(row, 1, str(label))
        _put(book, summary, row, 2, value)
    summary.set_column(0, 0, 16)
    summary.set_column(1, 1, 70)
    summary.set_column(2, 2, 14)

    tables = book.worksheet(_("Tables"))
    row = 0
    for section in report.sections:
        for figure in section.figures:
            for table in [*([figure.table] if figure.table else []), *figure.breakdowns]:
                row = _table(book, tables, row, table)
    tables.set_column(0, 0, 48)
    tables.set_column(1, 4, 16)

    money = book.worksheet(_("Funding"))
    headers = (_("Funding source"), _("Budget line"), _("Planned"), _("Spent"), _("Remaining"))
    for column, header in enumerate(headers):
        money.write_string(0, column, header, book.bold)
    row = 0
    for group in funding.sources():
        source, planned, spent = group.source, group.planned, group.spent
        for line in group.lines:
            row += 1
            money.write_string(row, 0, str(source))
            money.write_string(row, 1, str(line.budget_line))
            for column, value in enumerate((line.planned, line.spent, line.remaining), start=2):
                _put(book, money, row, column, Decimal(value))
        row += 1
        money.write_string(row, 0, _("Total %(source)s") % {"source": source}, book.bold)
        for column, value in enumerate((planned, spent, planned - spent), start=2):
            _put(book, money, row, column, Decimal(value), bold=True)
    row += 1
    money.write_string(row, 0, _("Total"), book.bold)
    for column, value in enumerate((funding.planned, funding.spent, funding.remaining), start=2):
        _put(book, money, row, column, Decimal(value), bold=True)
    money.set_column(0, 0, 60)
    money.set_column(1, 1, 32)
    money.set_column(2, 4, 16)
    return book.content()
