import datetime
import io
import zoneinfo
from decimal import Decimal

from openpyxl import load_workbook

from core.xlsx import XlsxBook, xlsx_stream


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


def _export_peak(rows: int) -> tuple[int, object, int]:
    """Peak Python memory of exporting `rows` synthetic rows through the list export, read in pieces."""
    import gc
    import tracemalloc

    from core.lists import Column, ListSpec, export_response
    from core.models import Organisation

    def generate(_queryset):
        for n in range(rows):
            yield {"n": n, "name": f"Name {n:06d} Mustermann", "mail": f"person{n}@example.org"}

    spec = ListSpec(
        filterset=None,
        sorts={},
        default_sort="",
        columns=[
            Column("Nr", lambda r: r["n"]),
            Column("Name", lambda r: r["name"]),
            Column("Mail", lambda r: r["mail"]),
        ],
        export_rows=generate,
    )
    gc.collect()
    tracemalloc.start()
    response = export_response(Organisation.objects.all(), spec, "xlsx")
    size = sum(len(piece) for piece in response.streaming_content)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, response, size


def test_list_export_xlsx_streams_with_flat_memory(db):
    small, response, small_size = _export_peak(1_000)
    assert response.streaming, "sent in pieces, not built whole into the response"
    big, _response, big_size = _export_peak(5_000)
    assert big_size > 4 * small_size * 0.8  # five times the rows is about five times the file ...
    assert big < small * 1.5, f"... but not the memory: {small} -> {big} bytes"


def test_a_streamed_sheet_sends_its_first_bytes_after_the_first_rows_and_reads_back_whole(settings):
    """`xlsx_stream` (the list exports): the archive leaves in pieces while the rows are read, not after the
    last one, and the file is a complete workbook with typed cells."""
    consumed = 0

    def rows():
        nonlocal consumed
        for n in range(1, 2_001):
            consumed = n
            yield [f"Name {n}", n, datetime.date(2026, 11, 24), "=1+1" if n == 7 else None]

    pieces = xlsx_stream(["Name", "Zahl", "Datum", "Text"], rows(), rows_per_piece=500)
    first = next(pieces)
    assert first.startswith(b"PK") and consumed == 500, "the first piece leaves after the first 500 rows"
    content = first + b"".join(pieces)
    assert consumed == 2_000
    sheet = load_workbook(io.BytesIO(content))["Sheet1"]
    assert sheet.max_row == 2_001
    assert [c.value for c in sheet[1]] == ["Name", "Zahl", "Datum", "Text"] and sheet["A1"].font.b
    name, number, day, text = sheet[8]
    assert (name.value, number.value) == ("Name 7", 7)
    assert day.value == datetime.datetime(2026, 11, 24) and day.number_format == "DD.MM.YYYY"
    assert (text.value, text.data_type) == ("=1+1", "s")
    assert sheet["A2001"].value == "Name 2000"
