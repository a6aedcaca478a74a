import datetime
import io
import zoneinfo
from decimal import Decimal

from openpyxl import load_workbook

from core.xlsx import XlsxBook


def test_rows_keep_their_types_and_text_is_never_a_formula(settings):
    book = XlsxBook()
    sheet = book.sheet("Liste")
    sheet.header(["Name", "Zahl", "Betrag", "Datum", "Zeit", "Ja", "Leer"])
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    sheet.append(
        [
            "=HYPERLINK(1)",
            7,
            Decimal("1234.50"),
            datetime.date(2026, 11, 24),
            datetime.datetime(2026, 11, 24, 9, 30, tzinfo=datetime.UTC),
            True,
            None,
        ]
    )
    sheet.append(["Zweite Zeile"])
    workbook = load_workbook(io.BytesIO(book.content()))
    rows = workbook["Liste"]
    assert [c.value for c in rows[1]] == ["Name", "Zahl", "Betrag", "Datum", "Zeit", "Ja", "Leer"]
    assert rows["A1"].font.b
    name, number, amount, day, time, yes, empty = rows[2]
    assert (name.value, name.data_type) == ("=HYPERLINK(1)", "s")
    assert number.value == 7 and amount.value == 1234.5
    assert day.value == datetime.datetime(2026, 11, 24) and day.number_format == "DD.MM.YYYY"
    # aware times are shown in the application's time zone (Europe/Berlin), as on the pages
    assert settings.TIME_ZONE == "Europe/Berlin"
    local = (
        datetime.datetime(2026, 11, 24, 9, 30, tzinfo=datetime.UTC).astimezone(berlin).replace(tzinfo=None)
    )
    assert time.value == local and time.number_format == "DD.MM.YYYY HH:MM"
    assert yes.value is True and empty.value is None
    assert rows["A3"].value == "Zweite Zeile"


def test_sheet_names_are_cut_to_excels_limit():
    book = XlsxBook(row_by_row=False)
    book.worksheet("Ein sehr langer Tabellenname, länger als Excel erlaubt").write_string(0, 0, "x")
    assert load_workbook(io.BytesIO(book.content())).sheetnames == ["Ein sehr langer Tabellenname, l"]
