"""Hostile input for the import's second step (the column mapping, which needs an uploaded file in the
session, so it is no row of tests/volunteers/hostile_rows.py) and hostile cells in the file itself."""

import io
import resource
import time
import tracemalloc
import zipfile
from collections.abc import Iterable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from tests.conftest import client_for
from tests.factories.volunteers import VolunteerFactory
from tests.hostile import HOSTILE_STRINGS, assert_survives_hostile_input, row_counts
from volunteers.importing import MAX_BYTES, ImportFileError, read_table
from volunteers.models import Volunteer

UPLOAD = reverse("volunteers:volunteer_import_upload")
MAP = reverse("volunteers:volunteer_import_map")
HEADER = "Vorname;Nachname;E-Mail;Telefon;Geburtsdatum;Stadtbezirk;Sprachen;Stunden pro Monat;Notizen\n"


def _uploaded_client(user, content: str):
    client = client_for(user)
    response = client.post(
        UPLOAD, {"file": SimpleUploadedFile("liste.csv", content.encode("utf-8", "surrogatepass"))}
    )
    assert response.status_code == 302 and response["Location"] == MAP
    return client


def test_the_mapping_survives_hostile_input(partner):
    client = _uploaded_client(
        partner, HEADER + "Jörg;Weiß;joerg@example.org;0511 1234;24.11.1970;Mitte;;4;\n"
    )
    targets = ("first_name", "last_name", "email", "phone", "birth_date", "district", "languages")
    assert_survives_hostile_input(
        client=client, url=MAP, fields={**dict.fromkeys(targets, "int"), "import": "text"}, max_examples=15
    )


@pytest.mark.parametrize("cell", [s for s in HOSTILE_STRINGS if "\n" not in s and ";" not in s])
def test_hostile_cells_are_refused_or_imported_never_a_500(partner, cell):
    line = ";".join(["Anna", cell, "anna@example.org", cell, "01.02.1988", "Mitte", "", cell, cell])
    client = _uploaded_client(partner, HEADER + line + "\n")
    mapping = client.get(MAP).context["form"]
    data = {name: mapping[name].value() or "" for name in mapping.fields}
    before = row_counts()
    response = client.post(MAP, {**data, "import": "1"})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert row_counts() == before
        assert response.context["form"].errors or response.context["failed"]
    else:
        assert Volunteer.objects.filter(first_name="Anna").exists()


def test_a_nul_in_a_cell_is_refused_in_german(partner):
    client = _uploaded_client(partner, HEADER + "Anna;Be\x00rg;anna@example.org;;01.02.1988;Mi\x00tte;;4;\n")
    mapping = client.get(MAP).context["form"]
    data = {name: mapping[name].value() or "" for name in mapping.fields}
    response = client.post(MAP, {**data, "import": "1"})
    assert response.status_code == 200
    assert "Spalte „Nachname“ enthält ungültige Zeichen." in response.content.decode()
    assert "Spalte „Stadtbezirk“ enthält ungültige Zeichen." in response.content.decode()
    assert not Volunteer.objects.filter(first_name="Anna").exists()


# --- hostile files: bombs, odd encodings, huge fields, an existence oracle, oversized uploads ---------------

SHEET_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET_HEAD = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="' + SHEET_NS + b'">'


def _inline(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def xlsx_with_sheet(chunks: Iterable[bytes], *, shared_strings: bytes | None = None) -> bytes:
    """A real workbook (saved by openpyxl) whose first sheet is replaced by `chunks`, written streamed so that
    a sheet of hundreds of megabytes never sits in memory; and its shared strings by `shared_strings`."""
    template = io.BytesIO()
    Workbook().save(template)
    out = io.BytesIO()
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name == "xl/worksheets/sheet1.xml":
                with target.open(name, "w", force_zip64=True) as member:
                    for chunk in chunks:
                        member.write(chunk)
            elif name == "[Content_Types].xml" and shared_strings is not None:
                override = (
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
                )
                target.writestr(name, source.read(name).replace(b"</Types>", override))
                target.writestr("xl/sharedStrings.xml", shared_strings)
            else:
                target.writestr(name, source.read(name))
    return out.getvalue()


HEADER_ROW = b'<row r="1">' + _inline("A1", "Vorname") + _inline("B1", "Nachname") + b"</row>"
ANNA_ROW = b'<row r="2">' + _inline("A2", "Anna") + _inline("B2", "Berg") + b"</row>"


def dimension_bomb(*, far_cell: bool = False) -> bytes:
    """1.5 KB that declares the whole possible sheet (A1:XFD1048576); with `far_cell` it also has a cell there."""
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>' if far_cell else b""
    return xlsx_with_sheet(
        [SHEET_HEAD, b'<dimension ref="A1:XFD1048576"/><sheetData>', HEADER_ROW, ANNA_ROW, far]
        + [b"</sheetData></worksheet>"]
    )


def deflate_bomb(megabytes: int) -> bytes:
    """`megabytes` of sheet XML (one row of repeated cells after the header) that deflate to a thousandth."""
    cell = b"<c><v>1</v></c>"
    block = cell * (1024 * 1024 // len(cell))

    def chunks():
        yield SHEET_HEAD + b"<sheetData>" + HEADER_ROW + b'<row r="2">'
        for _ in range(megabytes):
            yield block
        yield b"</row></sheetData></worksheet>"

    return xlsx_with_sheet(chunks())


def _bounded(function):
    """Run `function`, returning its result, the seconds it took and the peak of Python memory it allocated
    (tracemalloc: slows allocations down, so the seconds come from a second, untraced run)."""
    tracemalloc.start()
    try:
        function()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    started = time.monotonic()
    result = function()
    return result, time.monotonic() - started, peak


def _quick_and_small(function):
    """For a run of a million loop steps, where tracemalloc would take minutes: the seconds, and how much the
    resident memory of this process grew (0 while it stays below an earlier peak, a bomb grows it by GBs)."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    result = function()
    seconds = time.monotonic() - started
    return result, seconds, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024


def test_a_declared_dimension_is_not_trusted():
    data = dimension_bomb()
    assert len(data) < 6000
    (headers, rows), seconds, peak = _bounded(lambda: read_table(name="bombe.xlsx", data=data))
    assert headers == ["Vorname", "Nachname"] and rows == [["Anna", "Berg"]]
    assert seconds < 5 and peak < 50 * 1024 * 1024


def test_a_cell_at_the_end_of_the_sheet_builds_no_huge_rows():
    data = dimension_bomb(far_cell=True)
    (headers, rows), seconds, peak = _quick_and_small(lambda: read_table(name="bombe.xlsx", data=data))
    assert headers == ["Vorname", "Nachname"] and rows == [["Anna", "Berg"]]
    assert seconds < 5 and peak < 50 * 1024 * 1024


def test_a_deflate_bomb_is_refused_before_it_is_unpacked():
    data = deflate_bomb(40)  # 40 MB of XML, above the 20 MB limit, in about 40 KB
    assert len(data) < 200 * 1024

    def read():
        with pytest.raises(ImportFileError, match="entpackt größer als 20 MB"):
            read_table(name="bombe.xlsx", data=data)

    _result, seconds, peak = _bounded(read)
    assert seconds < 5 and peak < 50 * 1024 * 1024


def test_a_member_packed_unusually_tightly_is_refused():
    data = deflate_bomb(5)  # under the total limit, but 5 MB in a few KB
    with pytest.raises(ImportFileError, match="ungewöhnlich stark komprimiert"):
        read_table(name="bombe.xlsx", data=data)


def test_a_sheet_with_too_many_cells_is_refused():
    cells = b"".join(b"<row><c><v>%d</v></c><c><v>%d</v></c></row>" % (i, i * 7) for i in range(200_000))
    data = xlsx_with_sheet([SHEET_HEAD, b"<sheetData>", HEADER_ROW, cells, b"</sheetData></worksheet>"])
    with pytest.raises(ImportFileError, match="zu viele Zellen"):
        read_table(name="viele.xlsx", data=data)


def test_a_row_wider_than_excel_allows_is_refused():
    row = b'<row r="2">' + b"<c><v>1</v></c>" * 16_385 + b"</row>"  # openpyxl would build it whole
    data = xlsx_with_sheet([SHEET_HEAD, b"<sheetData>", HEADER_ROW, row, b"</sheetData></worksheet>"])
    with pytest.raises(ImportFileError, match="zu viele Zellen"):
        read_table(name="breit.xlsx", data=data)


def test_one_shared_string_repeated_in_every_cell_is_refused():
    shared = b'<sst xmlns="' + SHEET_NS + b'"><si><t>' + b"x" * 30_000 + b"</t></si></sst>"
    rows = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>0</v></c></row>' % (i, i) for i in range(2, 202))
    data = xlsx_with_sheet(
        [SHEET_HEAD, b"<sheetData>", HEADER_ROW, rows, b"</sheetData></worksheet>"], shared_strings=shared
    )
    assert len(data) < 10_000  # 6,000,000 characters for the session
    with pytest.raises(ImportFileError, match="mehr als 4.000.000 Zeichen Text"):
        read_table(name="geteilt.xlsx", data=data)


def test_an_xlsx_with_too_many_rows_stops_reading_at_the_limit():
    rows = b"".join(
        b"<row>" + _inline(f"A{i}", f"Anna{i}") + _inline(f"B{i}", "Berg") + b"</row>" for i in range(2, 6002)
    )
    data = xlsx_with_sheet([SHEET_HEAD, b"<sheetData>", HEADER_ROW, rows, b"</sheetData></worksheet>"])
    with pytest.raises(ImportFileError, match="mehr als 5000 Zeilen"):
        read_table(name="lang.xlsx", data=data)


def test_an_xlsx_with_a_dtd_is_refused():
    data = xlsx_with_sheet(
        [b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>', SHEET_HEAD[21:], b"<sheetData>"]
        + [HEADER_ROW, ANNA_ROW, b"</sheetData></worksheet>"]
    )
    with pytest.raises(ImportFileError, match="nicht als Excel-Datei"):
        read_table(name="dtd.xlsx", data=data)


def test_a_deflate_bomb_upload_answers_quickly_in_german(partner):
    data = deflate_bomb(100)
    client = client_for(partner)
    response, seconds, peak = _bounded(
        lambda: client.post(UPLOAD, {"file": SimpleUploadedFile("bombe.xlsx", data)})
    )
    assert seconds < 5 and peak < 60 * 1024 * 1024
    assert response.status_code == 200 and "entpackt größer als 20 MB" in response.content.decode()
    assert "volunteers_import" not in client.session


def test_a_dimension_bomb_upload_answers_quickly(partner):
    data = dimension_bomb(far_cell=True)
    client = client_for(partner)
    response, seconds, grown = _quick_and_small(
        lambda: client.post(UPLOAD, {"file": SimpleUploadedFile("bombe.xlsx", data)})
    )
    assert seconds < 5 and grown < 100 * 1024 * 1024
    assert response.status_code == 302
    assert client.session["volunteers_import"]["rows"] == [["Anna", "Berg"]]


def test_a_csv_field_above_the_csv_modules_limit_is_a_german_error(partner):
    content = HEADER + "Anna;" + "x" * 140_000 + ";anna@example.org;;;;;;\n"
    response = client_for(partner).post(UPLOAD, {"file": SimpleUploadedFile("lang.csv", content.encode())})
    assert response.status_code == 200
    assert "Zeile 2 enthält ein Feld mit mehr als 32.767 Zeichen" in response.content.decode()


def test_a_long_csv_field_below_the_csv_modules_limit_is_refused_too():
    content = HEADER + "Anna;" + "x" * 40_000 + ";anna@example.org;;;;;;\n"
    with pytest.raises(ImportFileError, match="Zeile 2 enthält ein Feld mit mehr als 32.767 Zeichen"):
        read_table(name="lang.csv", data=content.encode())


def test_a_csv_header_with_a_million_columns_is_cut_not_padded():
    content = "Vorname;Nachname" + ";" * 1_000_000 + "\n" + "Anna;Berg\n" * 2000
    (headers, rows), seconds, peak = _bounded(lambda: read_table(name="breit.csv", data=content.encode()))
    assert headers == ["Vorname", "Nachname"] + [""] * 98 and len(rows) == 2000 and len(rows[0]) == 100
    assert seconds < 5 and peak < 100 * 1024 * 1024


EXCEL_UNICODE_TEXT = (
    "Vorname\tNachname\tE-Mail\r\nJörg\tWeiß\tjoerg@example.org\r\nАнна\tБерг\tanna@example.org\r\n"
)


@pytest.mark.parametrize(
    "data",
    [
        EXCEL_UNICODE_TEXT.encode("utf-16"),  # Excel's "Unicode-Text": UTF-16 LE with BOM, tab-separated
        b"\xff\xfe" + EXCEL_UNICODE_TEXT.encode("utf-16-le"),
        b"\xfe\xff" + EXCEL_UNICODE_TEXT.encode("utf-16-be"),
        b"\xef\xbb\xbf" + EXCEL_UNICODE_TEXT.encode("utf-8"),
        EXCEL_UNICODE_TEXT.encode("utf-8"),
    ],
    ids=["utf-16", "utf-16-le-bom", "utf-16-be-bom", "utf-8-bom", "utf-8-tabs"],
)
def test_unicode_text_with_tabs_is_read(data):
    headers, rows = read_table(name="liste.txt", data=data)
    assert headers == ["Vorname", "Nachname", "E-Mail"]
    assert rows == [["Jörg", "Weiß", "joerg@example.org"], ["Анна", "Берг", "anna@example.org"]]


def test_a_utf16_upload_reaches_the_mapping_with_its_columns(partner):
    client = client_for(partner)
    response = client.post(
        UPLOAD, {"file": SimpleUploadedFile("liste.txt", EXCEL_UNICODE_TEXT.encode("utf-16"))}
    )
    assert response.status_code == 302
    mapping = client.get(MAP).context["form"]
    assert mapping["first_name"].value() == "0" and mapping["email"].value() == "2"


def test_an_undecodable_file_names_the_accepted_encodings(partner):
    data = b"Vorname;Nachname\nAnna;Berg\n" + b"\x81\x8d\x90\xff\xfe\n"
    response = client_for(partner).post(UPLOAD, {"file": SimpleUploadedFile("liste.csv", data)})
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "kann nicht gelesen werden" in page
        and "UTF-8" in page
        and "UTF-16" in page
        and "Windows-1252" in page
    )


# The duplicate check may name only matches the importer can see: anything else would be an existence oracle.


def _dry_run_rows(client, content: str):
    client.post(UPLOAD, {"file": SimpleUploadedFile("liste.csv", content.encode())})
    mapping = client.get(MAP).context["form"]
    data = {name: mapping[name].value() or "" for name in mapping.fields}
    response = client.post(MAP, {**data, "dry_run": "1"})
    return data, response


def test_another_organisations_volunteer_looks_like_an_unknown_person(partner, org, other_org, coordinator):
    hidden = VolunteerFactory(
        organisation=other_org, first_name="Hanna", last_name="Hidden", email="hanna@example.org"
    )
    VolunteerFactory(organisation=org, first_name="Olga", last_name="Own", email="olga@example.org")
    client = client_for(partner)
    content = (
        "Vorname;Nachname;E-Mail\n"
        "Hanna;Hidden;hanna@example.org\n"
        "Udo;Unknown;udo@example.org\n"
        "Olga;Own;olga@example.org\n"
    )
    data, response = _dry_run_rows(client, content)
    hanna, udo, olga = response.context["results"]
    assert hanna.warnings == udo.warnings == [] and hanna.errors == udo.errors == []
    assert olga.warnings == ["Wahrscheinlich schon in der Patenkartei; wird als mögliche Dublette markiert."]
    page = response.content.decode()
    assert page.count("Wahrscheinlich schon in der Patenkartei") == 1
    assert client.post(MAP, {**data, "import": "1"}).status_code == 302
    imported = Volunteer.objects.get(email="hanna@example.org", organisation=org)
    assert imported.possible_duplicate_of == hidden  # flagged silently, as a public sign-up is
    groups = client_for(coordinator).get(reverse("volunteers:volunteer_duplicates")).context["groups"]
    assert any({hidden.pk, imported.pk} <= set(group.member_ids) for group in groups)
    assert not any(
        hidden.pk in group.member_ids
        for group in client.get(reverse("volunteers:volunteer_duplicates")).context["groups"]
    )


def test_the_partners_list_badges_only_matches_it_can_see(partner, org, other_org):
    VolunteerFactory(
        organisation=other_org, first_name="Hanna", last_name="Hidden", email="hanna@example.org"
    )
    VolunteerFactory(organisation=org, first_name="Olga", last_name="Own", email="olga@example.org")
    client = client_for(partner)
    data, _response = _dry_run_rows(
        client,
        "Vorname;Nachname;E-Mail\nHanna;Hidden;hanna@example.org\nOlga;Own;olga@example.org\n",
    )
    client.post(MAP, {**data, "import": "1"})
    assert Volunteer.objects.filter(possible_duplicate_of__isnull=False).count() == 2  # both flagged
    page = client.get(reverse("volunteers:volunteer_list")).content.decode()
    assert "Hidden" in page and "Own" in page
    assert page.count("mögliche Dublette") == 1  # Olga's, whose match the partner sees


# Upload size: a file above MAX_BYTES, and a request body above DATA_UPLOAD_MAX_MEMORY_SIZE, get a German page.


def test_a_file_above_the_limit_gets_the_german_message_and_is_not_kept(partner, settings):
    content = (HEADER + "Anna;Berg;;;;;;;\n" * 200_000).encode()
    assert len(content) > MAX_BYTES
    client = client_for(partner)
    response, _seconds, peak = _bounded(
        lambda: client.post(UPLOAD, {"file": SimpleUploadedFile("gross.csv", content)})
    )
    assert peak < 40 * 1024 * 1024  # the test client builds the 3.4 MB request itself; the view keeps 2 MB
    assert response.status_code == 200
    assert "Die Datei ist größer als 2 MB" in response.content.decode()
    assert "volunteers_import" not in client.session


def test_a_request_body_above_the_data_limit_gets_a_german_page(partner, settings):
    client = client_for(partner)
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(UPLOAD, {"notes": big})
    assert response.status_code == 413
    page = response.content.decode()
    assert "Die Anfrage ist zu groß" in page and 'name="file"' in page


def test_an_oversized_upload_still_needs_the_csrf_token(partner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(partner)
    response = client.post(
        UPLOAD, {"file": SimpleUploadedFile("liste.csv", (HEADER + "Anna;Berg;;;;;;;\n").encode())}
    )
    assert response.status_code == 403
    assert "volunteers_import" not in client.session
