import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from core.models import AuditEntry, Consent, District, HelpArea, Language
from volunteers.importing import ImportRowForm, _Lookup, guess_mapping, read_table
from volunteers.models import Volunteer

UPLOAD = reverse("volunteers:volunteer_import_upload")
MAP = reverse("volunteers:volunteer_import_map")

GOOD = (
    "Vorname;Nachname;E-Mail;Telefon;Geburtsdatum;Stadtbezirk;Sprachen;Geschlecht\n"
    "Jörg;Weiß;joerg@example.org;0511 1234;24.11.1970;Linden-Limmer;Arabisch (Muttersprache), Englisch;m\n"
    "Aylin;Öztürk;aylin@example.org;+49 511 999;01.02.1988;Mitte;Türkisch (fließend);w\n"
)
BAD = GOOD + "Max;Muster;kaputt;;31.02.1980;Atlantis;Klingonisch;x\n"


def _upload(client, content: bytes, name="liste.csv", **extra):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content), **extra})


def _mapping(response) -> dict:
    form = response.context["form"]
    return {name: form[name].value() or "" for name in form.fields}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_in_every_encoding_and_separator(encoding):
    for text in (GOOD, GOOD.replace(";", ",").replace("Muttersprache), Englisch", "Muttersprache)/Englisch")):
        headers, rows = read_table(name="x.csv", data=text.encode(encoding))
        assert headers[0] == "Vorname" and rows[0][1] == "Weiß" and rows[1][1] == "Öztürk"


def test_headers_are_recognised():
    mapping = guess_mapping(
        ["Vorname", "Nachname", "E-Mail", "Telefon", "Geburtsdatum", "Stadtbezirk", "Sprachen"]
    )
    assert mapping == {
        "first_name": "0",
        "last_name": "1",
        "email": "2",
        "phone": "3",
        "birth_date": "4",
        "district": "5",
        "languages": "6",
    }


def test_dry_run_shows_every_error_with_its_line_and_imports_nothing(client, partner, org):
    client.force_login(partner)
    response = (
        client.post(MAP, _mapping(client.get(MAP)))
        if _upload(client, BAD.encode()).status_code == 302
        else None
    )
    page = response.content.decode()
    assert "Zeile 4" in page
    for message in (
        "„kaputt“ ist keine gültige E-Mail-Adresse",
        "„31.02.1980“ ist kein Datum",
        "Unbekannter Stadtbezirk „Atlantis“",
        "Unbekannte Sprache „Klingonisch“",
        "Unbekanntes Geschlecht „x“",
    ):
        assert message in page
    assert "1 Zeile hat Fehler" in page
    forced = client.post(MAP, {**_mapping(client.get(MAP)), "import": "1"})
    assert "Es wurde nichts importiert" in forced.content.decode()
    assert not Volunteer.objects.exists()


def test_partner_imports_all_rows_into_their_own_organisation(client, partner, org, other_org):
    client.force_login(partner)
    assert _upload(client, GOOD.encode("cp1252"), organisation=other_org.pk).status_code == 302
    mapping = _mapping(client.get(MAP))
    dry = client.post(MAP, {**mapping, "dry_run": "1"}).content.decode()
    assert "Alle 2 Zeilen können importiert werden" in dry
    response = client.post(MAP, {**mapping, "import": "1"})
    assert response.status_code == 302
    imported = Volunteer.objects.order_by("last_name")
    assert [v.organisation for v in imported] == [org, org]
    joerg = imported.get(email="joerg@example.org")
    assert joerg.birth_date.isoformat() == "1970-11-24" and joerg.district.code == "linden-limmer"
    assert sorted((vl.language.code, vl.level) for vl in joerg.languages.all()) == [
        ("ar", "native"),
        ("en", "good"),
    ]
    assert joerg.gender == "male" and joerg.name_key == "joerg weiss"
    assert Consent.objects.filter(object_id=joerg.pk, channel="import").exists()
    assert AuditEntry.objects.filter(action="volunteers.volunteer.created", actor=partner).count() == 2
    assert "volunteers_import" not in client.session, "the uploaded rows are not kept after the import"


def test_coordinator_chooses_the_organisation_and_remaps_columns(client, coordinator, other_org):
    client.force_login(coordinator)
    text = "Name;Vorname;Mail\nKlein;Kim;kim@example.org\n"
    _upload(client, text.encode(), organisation=other_org.pk)
    mapping = _mapping(client.get(MAP))
    assert mapping["last_name"] == "0" and mapping["first_name"] == "1" and mapping["email"] == "2"
    client.post(MAP, {**mapping, "email": "", "import": "1"})
    kim = Volunteer.objects.get()
    assert kim.organisation == other_org and kim.email == ""


def test_xlsx_import_reads_dates_and_numbers(client, coordinator, org):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Vorname", "Nachname", "Geburtsdatum", "Telefon"])
    sheet.append(["Lena", "Lustig", datetime.datetime(1990, 3, 4), 5119876])
    out = io.BytesIO()
    workbook.save(out)
    client.force_login(coordinator)
    _upload(client, out.getvalue(), name="liste.xlsx", organisation=org.pk)
    client.post(MAP, {**_mapping(client.get(MAP)), "import": "1"})
    lena = Volunteer.objects.get()
    assert lena.birth_date == datetime.date(1990, 3, 4) and lena.phone == "5119876"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"Vorname;Nachname\n", "leer.csv", "keine Zeilen"),
        (b"PK\x03\x04kaputt", "kaputt.xlsx", "nicht als Excel-Datei"),
    ],
)
def test_unreadable_files_are_refused_in_german(client, coordinator, org, content, name, message):
    client.force_login(coordinator)
    response = _upload(client, content, name=name, organisation=org.pk)
    assert response.status_code == 200 and message in response.content.decode()
    assert "volunteers_import" not in client.session


def test_mapping_without_names_is_refused(client, coordinator, org):
    client.force_login(coordinator)
    _upload(client, GOOD.encode(), organisation=org.pk)
    response = client.post(MAP, {**_mapping(client.get(MAP)), "first_name": "", "dry_run": "1"})
    assert "Bitte wählen Sie die Spalten für Vorname und Nachname." in response.content.decode()


def _row_form(**cells):
    lookups = {"district": _Lookup(District), "language": _Lookup(Language), "help_area": _Lookup(HelpArea)}
    form = ImportRowForm(cells, columns={key: key.title() for key in cells}, lookups=lookups)
    form.is_valid()
    return form


@pytest.mark.django_db
def test_one_form_checks_a_row_with_the_german_messages_and_the_limits(settings):
    settings.LANGUAGE_CODE = "de"
    with translation.override("de"):
        low, high = ImportRowForm.HOURS_LIMITS
        assert _row_form(first_name="A", last_name="B", hours_per_month=str(high)).messages() == []
        assert _row_form(first_name="A", last_name="B", hours_per_month=str(high + 1)).messages() == [
            f"„{high + 1}“ ist keine Stundenzahl."
        ]
        form = _row_form(first_name="", last_name="B\x00", languages="Arabisch (gut), Klingonisch, Elbisch")
        assert form.messages()[0].startswith("Spalte „Last_Name“") and "Der Vorname fehlt." in form.messages()
        assert [m for m in form.messages() if m.startswith("Unbekannte Sprache")] == [
            "Unbekannte Sprache „Klingonisch“.",
            "Unbekannte Sprache „Elbisch“.",
        ]
        good = _row_form(first_name="Jörg", last_name="Weiß", district="Linden-Limmer", gender="m")
        assert good.messages() == [] and good.values()["district"].name_de == "Linden-Limmer"
        assert good.values()["gender"] == "male"
