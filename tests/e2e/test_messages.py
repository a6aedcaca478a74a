"""A coordinator sees on a volunteer's page that an e-mail failed, resends it, and the worker sends it."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from core.models import MessageState, Organisation, OrganisationKind, OutboxMessage, Role
from tests.core.permission_rows import _message_to
from tests.e2e.conftest import login, visit
from tests.factories.core import MembershipFactory
from tests.factories.volunteers import VolunteerFactory
from tests.jobs import run_jobs

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery"


def test_failed_email_on_the_volunteer_page_is_resent_and_then_sent(page, live_server, job_queue):
    fwz = Organisation.objects.get(kind=OrganisationKind.FWZ)
    coordinator = MembershipFactory(organisation=fwz, role=Role.COORDINATOR).user
    volunteer = VolunteerFactory(organisation=fwz, first_name="Greta", last_name="Gern")
    message = _message_to(volunteer)  # failed: SMTPServerDisconnected
    login(page, live_server, coordinator.username, PASSWORD)
    visit(page, f"{live_server.url}{volunteer.get_absolute_url()}")
    row = page.locator(f"#message-{message.pk}")
    expect(page.get_by_role("heading", name="E-Mails")).to_be_visible()
    expect(row).to_contain_text("fehlgeschlagen")
    expect(row).to_contain_text("SMTPServerDisconnected")
    row.get_by_role("button", name="Erneut senden").click()
    expect(page.get_by_text("Die E-Mail ist eingereiht und wird in Kürze versendet.")).to_be_visible()
    expect(page.locator(f"#message-{message.pk}")).to_contain_text("wartet auf Versand")
    run_jobs()
    assert OutboxMessage.objects.get(pk=message.pk).state == MessageState.SENT
    assert [m.to for m in mail.outbox] == [[volunteer.email]]
    visit(page, f"{live_server.url}{volunteer.get_absolute_url()}")
    expect(page.locator(f"#message-{message.pk}")).to_contain_text("versendet")
