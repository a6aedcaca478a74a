"""Hostile input for the import's second step (the column mapping, which needs an uploaded file in the
session, so it is no row of tests/volunteers/hostile_rows.py) and hostile cells in the file itself."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import client_for
from tests.hostile import HOSTILE_STRINGS, assert_survives_hostile_input, row_counts
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
