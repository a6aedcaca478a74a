"""Every XLSX the application writes, with XlsxWriter.

The exports of many rows (lists, the evaluation export) are written row by row in constant-memory mode:
each row goes to a temporary file as soon as the next one starts, so memory stays at one row whatever the
number of rows; the list exports are sent while they are written (`xlsx_stream`). Small reports (the
grant report) place their cells freely. Cells are typed: numbers stay numbers, dates are real dates shown as 24.11.2026,
and text is always written as text (a value starting with "=" is never run as a formula).
"""

import datetime
import io
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.utils import timezone

DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
# shown with German separators by a German Excel: 1.234,50 €
NUMBER_FORMATS = {"euro": '#,##0.00 "€"', "integer": "#,##0", "decimal": "#,##0.0"}
MAX_SHEET_NAME = 31  # Excel's limit


class XlsxSheet:
    def __init__(self, book: "XlsxBook", worksheet: Any) -> None:
        self._book = book
        self._sheet = worksheet
        self._row = 0

    def header(self, names: Iterable[Any]) -> None:
        for column, name in enumerate(names):
            self._sheet.write_string(self._row, column, str(name), self._book.bold)
        self._row += 1

    def append(self, values: Iterable[Any]) -> None:
        sheet, row, book = self._sheet, self._row, self._book
        for column, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                sheet.write_boolean(row, column, value)
            elif isinstance(value, datetime.datetime):
                if timezone.is_aware(value):
                    value = timezone.localtime(value).replace(tzinfo=None)
                sheet.write_datetime(row, column, value, book.datetime)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(row, column, value, book.date)
            elif isinstance(value, int | float | Decimal):
                sheet.write_number(row, column, value)
            else:
                sheet.write_string(row, column, str(value))
        self._row += 1


class XlsxBook:
    """A workbook; `content()` closes it and returns the file. `row_by_row=False` for small sheets whose
    cells are placed freely (then the whole workbook is held in memory until it is closed)."""

    def __init__(self, *, row_by_row: bool = True) -> None:
        self._out = io.BytesIO()
        self._book = xlsxwriter.Workbook(
            self._out, {"constant_memory": row_by_row, "tmpdir": tempfile.gettempdir()}
        )
        self.bold = self._book.add_format({"bold": True})
        self.title = self._book.add_format({"bold": True, "font_size": 14})
        self.date = self._book.add_format({"num_format": DATE_FORMAT})
        self.datetime = self._book.add_format({"num_format": DATETIME_FORMAT})
        self._numbers: dict[tuple[str, bool], Any] = {}

    def number_format(self, kind: str, *, bold: bool = False) -> Any:
        key = (kind, bold)
        if key not in self._numbers:
            self._numbers[key] = self._book.add_format({"num_format": NUMBER_FORMATS[kind], "bold": bold})
        return self._numbers[key]

    def worksheet(self, name: str | None = None) -> Any:
        """A plain XlsxWriter worksheet (cells by row and column, counted from 0)."""
        return self._book.add_worksheet(str(name)[:MAX_SHEET_NAME] if name else None)

    def sheet(self, name: str | None = None) -> XlsxSheet:
        """A sheet written row by row: a header, then one `append` per row."""
        return XlsxSheet(self, self.worksheet(name))

    def content(self) -> bytes:
        self._book.close()
        return self._out.getvalue()


class _Pipe:
    """A write-only file that cannot seek (so `zipfile` writes each entry's sizes after its data): what is
    written is kept until `take` hands it on."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


SHEET_PATH = "xl/worksheets/sheet1.xml"
# the start of the sheet as streamed: the dimension (a hint, known only at the end) is left out
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData>'
)


def xlsx_stream(
    header: Iterable[Any], rows: Iterable[Iterable[Any]], *, rows_per_piece: int = 500
) -> Iterator[bytes]:
    """One sheet, sent while it is written: the first bytes leave after the first rows, not after the last.

    XlsxWriter writes the cells (typed, escaped, styled: `XlsxSheet.append`) in constant-memory mode, where
    each finished row's XML goes to the worksheet's row file; that file is an in-memory buffer here, emptied
    every `rows_per_piece` rows into the sheet's entry of a zip archive written with `zipfile` in streaming
    mode (sizes after each entry's data). When the rows are done the workbook is closed as usual (into memory:
    a few KB without the rows) and its other parts (styles, workbook, relations, content types) follow the
    sheet in the archive, then the archive's directory. Relies on XlsxWriter's constant-memory row file
    (`row_data_fh`, XlsxWriter pinned in pyproject.toml; tests/core/test_xlsx.py reads the result back)."""
    book = XlsxBook()
    sheet = book.sheet()
    worksheet = sheet._sheet
    worksheet.row_data_fh.close()  # its temporary file is removed by XlsxWriter when the book closes
    row_xml = io.StringIO()
    worksheet.row_data_fh = worksheet.fh = row_xml
    pipe = _Pipe()
    archive = zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED)  # noqa: SIM115 (closed below)
    entry = archive.open(SHEET_PATH, "w")  # no ZIP64: a sheet stays far below 2 GB
    entry.write(SHEET_START.encode())
    sheet.header(header)
    for count, values in enumerate(rows, 1):
        sheet.append(values)
        if count % rows_per_piece == 0:
            entry.write(row_xml.getvalue().encode())
            row_xml.seek(0)
            row_xml.truncate()
            yield pipe.take()
    book._book.close()  # writes the last row into the buffer and copies what is left into its sheet
    with zipfile.ZipFile(book._out) as closed:
        sheet_xml = closed.read(SHEET_PATH).decode()
        _before, _sep, rest = sheet_xml.partition("<sheetData>")
        last_rows, _sep, end = rest.partition("</sheetData>")
        entry.write((last_rows + "</sheetData>" + end).encode())
        entry.close()
        for info in closed.infolist():
            if info.filename != SHEET_PATH:
                archive.writestr(info.filename, closed.read(info.filename))
    archive.close()
    yield pipe.take()
