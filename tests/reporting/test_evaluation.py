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
    assert book.sheetnames == ["tandems", "volunteers", "refugees", "surveys", "codebook"]
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
        "evaluation-surveys",
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


def explained(tandem, scores: dict[str, float]) -> None:
    """Store an explanation as `tandems.services.tandem_propose` does (the words and who decided included:
    the export must take the scores only)."""
    tandem.match_explanation = {
        "total": 0.5,
        "criteria": [
            {
                "key": key,
                "label": key,
                "score": score,
                "weight": 1,
                "text": "spricht Arabisch wie Frau Geheim",
            }
            for key, score in scores.items()
        ],
        "decided_by": "Koordinatorin Geheim",
        "mode": "suggestion",
    }
    tandem.save(update_fields=["match_explanation"])


def test_tandems_carry_the_score_of_every_criterion_of_their_explanation(known, evaluator):
    from tandems.matching import registry

    keys = [criterion.key for criterion in registry.CRITERIA]
    explained(known.tandems[0], {key: round(0.1 * (index + 1), 4) for index, key in enumerate(keys)})
    explained(known.tandems[1], {"language": 0.75})  # an older explanation without the other criteria
    rows = {row["tandem_id"]: row for row in download_csv(client_for(evaluator), "tandems")}
    first = rows[evaluation.pseudonym("T", known.tandems[0].pk)]
    second = rows[evaluation.pseudonym("T", known.tandems[1].pk)]
    third = rows[evaluation.pseudonym("T", known.tandems[2].pk)]  # no stored explanation
    assert [first[f"score_{key}"] for key in keys] == [str(round(0.1 * (i + 1), 4)) for i in range(len(keys))]
    assert second["score_language"] == "0.75" and second["score_needs"] == ""
    assert all(third[f"score_{key}"] == "" for key in keys)
    assert not any("Geheim" in value for row in rows.values() for value in row.values())


@pytest.fixture
def new_criterion(monkeypatch):
    """A criterion added to the registry, as docs/tandems.md "Adding a criterion" describes."""
    from tandems.matching import registry
    from tandems.matching.criteria.base import SoftCriterion

    class Closeness(SoftCriterion):
        key = "closeness"
        label = "Nähe im Test"

    monkeypatch.setattr(registry, "CRITERIA", (*registry.CRITERIA, Closeness()))
    return Closeness


def test_a_criterion_added_to_the_registry_gets_its_column_and_codebook_entry(
    known, evaluator, new_criterion
):
    explained(known.tandems[0], {"language": 1.0, "closeness": 0.25})
    client = client_for(evaluator)
    rows = {row["tandem_id"]: row for row in download_csv(client, "tandems")}
    assert rows[evaluation.pseudonym("T", known.tandems[0].pk)]["score_closeness"] == "0.25"
    assert "score_closeness" in evaluation.TABLES["tandems"].header()
    text = client.get(reverse("reporting:evaluation_codebook")).text
    assert "<code>score_closeness</code>" in text and "Nähe im Test" in text


def test_the_codebook_sheet_names_every_column_of_every_table(known, coordinator):
    response = client_for(coordinator).get(reverse("reporting:evaluation_export"), {"format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    listed = {
        (table, column) for table, column, *_rest in book["codebook"].iter_rows(min_row=2, values_only=True)
    }
    for table in evaluation.TABLES.values():
        header = next(book[table.key].iter_rows(values_only=True))
        assert {(table.key, name) for name in header} <= listed
        assert all(description for description in (str(c.description) for c in table.columns))
