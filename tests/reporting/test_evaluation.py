import csv
import datetime
import hashlib
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEntry
from refugees.models import Refugee
from reporting import evaluation
from tests.conftest import client_for
from tests.reporting.data import build_known

TODAY = datetime.date(2026, 11, 26)
PSEUDONYM = re.compile(r"^[TVR]-[0-9a-f]{16}$")


@pytest.fixture
def known(org, fwz):
    data = build_known(org=org, fwz=fwz, today=TODAY)
    data.women[0].notes = "Sehr engagiert, Notiz mit Geheimnis"
    data.women[0].address = "Lindenstraße 12"
    data.women[0].save()
    return data


def download_csv(client, table: str) -> list[dict[str, str]]:
    response = client.get(reverse("reporting:evaluation_export"), {"format": "csv", "table": table})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_pseudonyms_are_stable_and_keyed(settings):
    settings.PSEUDONYM_KEY = "key-one"
    first = evaluation.pseudonym("V", 42)
    assert first == evaluation.pseudonym("V", 42)
    assert PSEUDONYM.match(first)
    assert first != evaluation.pseudonym("R", 42)
    assert first != evaluation.pseudonym("V", 43)
    # without the key the id cannot be found by hashing candidate ids
    assert first[2:] not in {hashlib.sha256(f"V:{n}".encode()).hexdigest()[:16] for n in range(1000)}
    settings.PSEUDONYM_KEY = "key-two"
    assert evaluation.pseudonym("V", 42) != first


def test_generalisation_helpers():
    assert evaluation.birth_band(1987) == "1985-1989"
    assert evaluation.birth_band(1990) == "1990-1994"
    assert evaluation.birth_band(None) == ""
    assert evaluation.month(datetime.date(2026, 3, 5)) == "2026-03"
    assert evaluation.whole_months(datetime.date(2026, 1, 15), datetime.date(2026, 6, 14)) == 4
    assert evaluation.whole_months(datetime.date(2026, 1, 15), datetime.date(2026, 6, 15)) == 5


def test_export_rows_have_no_personal_data(known, evaluator):
    client = client_for(evaluator)
    tables = {key: download_csv(client, key) for key in evaluation.TABLES}
    assert len(tables["tandems"]) == 7
    assert len(tables["volunteers"]) == 10
    everything = "\n".join(";".join(row.values()) for rows in tables.values() for row in rows)
    people = [*known.women, *known.men, known.earlier]
    for person in people:
        for value in (person.first_name, person.last_name, person.email, person.phone):
            assert value not in everything
    from refugees.models import Refugee

    for refugee in Refugee.objects.all():
        for value in (refugee.first_name, refugee.last_name, refugee.phone):
            assert value not in everything
    assert "Geheimnis" not in everything and "Lindenstraße" not in everything
    # dates to the month only, birth years in bands
    assert not re.search(r"\d{4}-\d{2}-\d{2}", everything)
    assert not re.search(r"\d{2}\.\d{2}\.\d{4}", everything)
    for row in tables["volunteers"]:
        assert row["birth_year_band"] == "" or re.fullmatch(r"\d{4}-\d{4}", row["birth_year_band"])
        assert PSEUDONYM.match(row["volunteer_id"])


def test_export_links_tandems_to_people_by_pseudonym(known, evaluator):
    client = client_for(evaluator)
    tandems = download_csv(client, "tandems")
    volunteers = {row["volunteer_id"]: row for row in download_csv(client, "volunteers")}
    ended = [row for row in tandems if row["status"] == "ended"]
    assert sorted(row["end_reason"] for row in ended) == ["moved", "no-time"]
    assert sorted(row["duration_months"] for row in ended) == ["5", "5"]
    for row in tandems:
        assert row["volunteer_id"] in volunteers
    first = next(row for row in tandems if row["started_month"] == "2025-05")
    assert volunteers[first["volunteer_id"]]["gender"] == "male"
    assert volunteers[first["volunteer_id"]]["tandems_started"] == "1"
    # a second download gives the same pseudonyms
    assert [row["tandem_id"] for row in download_csv(client, "tandems")] == [
        row["tandem_id"] for row in tandems
    ]


def test_xlsx_export_has_every_table_and_the_codebook(known, coordinator):
    response = client_for(coordinator).get(reverse("reporting:evaluation_export"), {"format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["tandems", "volunteers", "refugees", "codebook"]
    header = next(book["refugees"].iter_rows(values_only=True))
    assert list(header) == evaluation.TABLES["refugees"].header()
    assert book["tandems"].max_row == 8


def test_downloads_are_audited(known, evaluator):
    client = client_for(evaluator)
    rows = download_csv(client, "refugees")
    entry = AuditEntry.objects.get(action="core.export.downloaded")
    assert entry.actor == evaluator
    assert entry.content_type.model_class() is Refugee and entry.object_id == ""
    assert entry.changes == {
        "list": [None, "evaluation-refugees"],
        "filter": [None, "table=refugees"],
        "format": [None, "csv"],
        "rows": [None, len(rows)],
    }


def test_the_workbook_records_one_entry_per_table(known, evaluator):
    client_for(evaluator).get(reverse("reporting:evaluation_export"), {"format": "xlsx"})
    entries = AuditEntry.objects.filter(action="core.export.downloaded").order_by("pk")
    assert [e.changes["list"][1] for e in entries] == [
        "evaluation-tandems",
        "evaluation-volunteers",
        "evaluation-refugees",
    ]
    assert entries[0].changes["rows"] == [None, 7] and entries[0].changes["format"] == [None, "xlsx"]


def test_codebook_lists_every_export_column(evaluator):
    text = client_for(evaluator).get(reverse("reporting:evaluation_codebook")).text
    for table in evaluation.TABLES.values():
        assert f"<code>{table.key}</code>" in text
        for column in table.columns:
            assert f"<code>{column.name}</code>" in text
            assert str(column.description) in text


def test_export_columns_never_name_personal_fields(db):  # the outcome columns come from the database
    personal = {"first_name", "last_name", "email", "phone", "address", "notes", "birth_date", "needs_text"}
    names = {column.name for table in evaluation.TABLES.values() for column in table.columns}
    assert not names & personal
