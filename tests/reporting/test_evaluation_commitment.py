"""The evaluation export's tandems table carries the commitment of both sides and the risk level at match
time (issue #20), documented in the codebook from the same column definitions."""

from django.urls import reverse

from reporting import evaluation
from tandems.services import tandem_propose
from tests.conftest import client_for
from tests.factories.refugees import WaitingRefugeeFactory
from tests.factories.volunteers import ReadyVolunteerFactory
from tests.reporting.test_evaluation import download_csv

COLUMNS = [
    "volunteer_commitment_months",
    "volunteer_commitment_per_month",
    "refugee_expected_months",
    "refugee_expected_per_month",
    "risk_level",
]


def test_the_tandems_table_has_the_commitment_and_the_risk_level(org, coordinator, evaluator):
    refugee = WaitingRefugeeFactory(organisation=org, expected_months=12, expected_per_month=4)
    volunteer = ReadyVolunteerFactory(organisation=org, commitment_months=3, commitment_per_month=2)
    tandem_propose(volunteer=volunteer, refugee=refugee, actor=coordinator)
    other = WaitingRefugeeFactory(organisation=org)
    tandem_propose(volunteer=ReadyVolunteerFactory(organisation=org), refugee=other, actor=coordinator)
    rows = download_csv(client_for(evaluator), "tandems")
    assert [[row[c] for c in COLUMNS] for row in rows] == [
        ["3", "2", "12", "4", "high"],
        ["", "", "", "", "medium"],
    ]


def test_the_codebook_documents_the_new_columns(evaluator):
    assert set(COLUMNS) <= set(evaluation.TABLES["tandems"].header())
    text = client_for(evaluator).get(reverse("reporting:evaluation_codebook")).text
    for name in COLUMNS:
        assert f"<code>{name}</code>" in text
