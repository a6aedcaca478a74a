"""Two coordinators propose the last free place of a volunteer at the same moment: exactly one tandem is
made, and the other one gets a clear German message. Real transactions in two threads."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from core.models import Organisation, OrganisationKind, Role
from tandems.models import Tandem
from tandems.services import tandem_propose
from tests.factories.core import MembershipFactory
from tests.factories.refugees import WaitingRefugeeFactory
from tests.factories.volunteers import ReadyVolunteerFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _race(work, arguments) -> list[str]:
    barrier = threading.Barrier(len(arguments))
    outcomes: list[str] = []

    def run(argument):
        try:
            barrier.wait(timeout=10)
            work(argument)
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        except IntegrityError as exc:
            outcomes.append(f"integrity: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def _setup():
    org = Organisation.objects.get(short_name="gEMiDe")
    fwz = Organisation.objects.get(kind=OrganisationKind.FWZ)
    coordinators = [MembershipFactory(organisation=fwz, role=Role.COORDINATOR).user for _ in range(2)]
    volunteer = ReadyVolunteerFactory(organisation=org, capacity=1)
    refugees = [WaitingRefugeeFactory(organisation=org) for _ in range(2)]
    return coordinators, volunteer, refugees


def test_two_proposals_for_the_last_place_make_one_tandem_and_one_clear_message():
    coordinators, volunteer, refugees = _setup()
    outcomes = _race(
        lambda pair: tandem_propose(volunteer=volunteer, refugee=pair[0], actor=pair[1]),
        list(zip(refugees, coordinators, strict=True)),
    )
    assert Tandem.objects.filter(volunteer=volunteer).count() == 1
    assert sorted(outcomes)[1] == "ok" and outcomes.count("ok") == 1, outcomes
    refused = next(o for o in outcomes if o != "ok")
    assert "keinen freien Platz" in refused, refused


def test_the_trigger_alone_serialises_two_raw_inserts():
    """Even code that skips the service (and its row lock) cannot overbook: the trigger locks and counts."""
    _coordinators, volunteer, refugees = _setup()

    def insert(refugee):
        with transaction.atomic():
            Tandem.objects.create(
                organisation=refugee.organisation,
                volunteer=volunteer,
                refugee=refugee,
                proposed_on="2026-11-26",
            )

    outcomes = _race(insert, refugees)
    assert Tandem.objects.filter(volunteer=volunteer).count() == 1
    assert outcomes.count("ok") == 1, outcomes
    assert any("capacity_exceeded" in o for o in outcomes), outcomes
