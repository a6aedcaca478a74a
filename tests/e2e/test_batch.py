"""The batch proposal in the browser: computed by a job (the page polls its progress and shows the pairs
when it is done), nothing is ticked, "alle auswählen" ticks every pair, the count is confirmed before
anything is proposed."""

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from core import demo
from core.models import Organisation
from tandems.models import Tandem
from tests.e2e.conftest import axe_check, login, visit
from tests.factories.refugees import WaitingRefugeeFactory
from tests.factories.volunteers import ReadyVolunteerFactory
from tests.jobs import run_jobs

pytestmark = pytest.mark.e2e


@pytest.fixture
def four_pairs(_e2e):
    with override_settings(DEMO_PASSWORD="demo"):
        demo.seed(size="small")
    org = Organisation.objects.get(short_name="gEMiDe")
    refugees = [WaitingRefugeeFactory(organisation=org) for _ in range(4)]
    for _ in range(4):
        ReadyVolunteerFactory(organisation=org)
    return refugees


def test_coordinator_selects_all_unticks_one_and_proposes_three(page, live_server, four_pairs, job_queue):
    login(page, live_server, "coordinator")
    visit(page, f"{live_server.url}/tandems/batch/")
    page.get_by_role("button", name="Vorschlag berechnen").click()
    expect(page.locator("#batch-progress")).to_contain_text("Der Vorschlag wird berechnet")
    axe_check(page)
    run_jobs()  # the worker computes it; the page's next poll reloads it with the pairs
    boxes = page.locator('input[name="pair"]')
    expect(boxes).to_have_count(4)
    for i in range(4):
        expect(boxes.nth(i)).not_to_be_checked()
    page.get_by_role("button", name="alle auswählen").click()
    expect(page.locator("[data-selected-count]")).to_have_text("4 Paare ausgewählt")
    boxes.nth(1).uncheck()
    expect(page.locator("[data-selected-count]")).to_have_text("3 Paare ausgewählt")
    page.locator("details summary").first.click()
    expect(page.locator("details").first).to_contain_text("Sprache")
    page.get_by_role("button", name="Angekreuzte Paare vorschlagen …").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("3 Tandems vorschlagen?")
    axe_check(page)
    assert Tandem.objects.count() == 0
    page.get_by_role("button", name="Ja, 3 Tandems vorschlagen").click()
    expect(page.locator(".alert-success")).to_contain_text("3 Tandems wurden vorgeschlagen.")
    axe_check(page)
    assert Tandem.objects.count() == 3
