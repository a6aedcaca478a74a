"""Every XLSX the application writes, with XlsxWriter.

The exports of many rows (lists, the evaluation export) are written row by row in constant-memory mode:
each row goes to a temporary file as soon as the next one starts, so memory stays at one row whatever the
number of rows, and only the compressed file is held for the response. Small reports (the grant report)
place their cells freely. Cells are typed: numbers stay numbers, dates are real dates shown as 24.11.2026,
and text is always written as text (a value starting with "=" is never run as a formula).
"""

import datetime
import io
import tempfile
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

    def __init__(self, *, row_by_row: bool = True, to_file: bool = False) -> None:
        # to_file: the finished file goes to a temporary file (read back by `chunks`), not into memory
        self._out = tempfile.TemporaryFile() if to_file else io.BytesIO()  # noqa: SIM115 (closed by chunks)
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

    def chunks(self, size: int = 64 * 1024) -> Iterator[bytes]:
        """Close the workbook and give the file piece by piece (for a streaming response); memory stays at
        one piece however large the file. The temporary file is removed when done (or abandoned)."""
        try:
            self._book.close()
            self._out.seek(0)
            while piece := self._out.read(size):
                yield piece
        finally:
            self._out.close()
