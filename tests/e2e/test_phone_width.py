"""Lists built for daily work (issue #17): no page scrolls sideways on a phone (390 px), and the first screen of a
laptop (1366×768) shows at least 15 rows of the volunteer register.

The pages are those of the small demo (`seed_demo --size small`, the data `make run` shows): every list and the
detail page of one record of each kind. Run with `-s` to see the measured widths and rows.
"""

import datetime

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from refugees.models import Refugee, RefugeeStatus
from tandems.models import Tandem, TandemStatus
from tests.e2e.conftest import axe_check, login, visit
from trainings.models import Session
from volunteers.models import BulkMessage, Volunteer, VolunteerStatus

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}

WIDTHS = "() => [document.documentElement.scrollWidth, window.innerWidth]"
# rows of the list's table wholly inside the first screen (the page scrolled to its top)
ROWS_ON_FIRST_SCREEN = """() => [...document.querySelectorAll('#list-table tbody tr')].filter(row => {
  const box = row.getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0;
}).length"""


@pytest.fixture
def demo(_e2e, settings):
    settings.DEMO_PASSWORD = "demo"
    cache.clear()  # the login rate limit
    call_command("seed_demo", "--size", "small", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


def _staff_pages() -> list[str]:
    """Every list and detail page a coordinator works with, from the demo's rows."""
    volunteer = Volunteer.objects.filter(status=VolunteerStatus.ACTIVE).order_by("pk").first()
    refugee = Refugee.objects.filter(status=RefugeeStatus.WAITING).order_by("pk").first()
    tandem = Tandem.objects.filter(status=TandemStatus.ACTIVE).order_by("pk").first()
    session = Session.objects.order_by("pk").first()
    pages = [
        reverse("core:home"),
        reverse("volunteers:volunteer_list"),
        reverse("volunteers:volunteer_inbox"),
        reverse("volunteers:volunteer_duplicates"),
        reverse("volunteers:volunteer_detail", args=[volunteer.pk]),
        reverse("refugees:refugee_list"),
        reverse("refugees:refugee_waiting_list"),
        reverse("refugees:refugee_detail", args=[refugee.pk]),
        reverse("tandems:tandem_list"),
        reverse("tandems:caseload"),
        reverse("tandems:tandem_detail", args=[tandem.pk]),
        reverse("tandems:tandem_suggest") + f"?refugee={refugee.pk}",
        reverse("trainings:session_list") + "?when=coming",
        reverse("trainings:basic_waiting_list"),
        reverse("trainings:session_detail", args=[session.pk]),
        reverse("trainings:session_register", args=[session.pk]),
        reverse("reporting:dashboard"),
        reverse("reporting:grant_report_list"),
        reverse("reporting:grant_report", args=[datetime.date.today().year]),
        reverse("reporting:expense_list"),
    ]
    message = BulkMessage.objects.order_by("pk").first()
    if message is not None:
        pages.append(reverse("volunteers:bulk_message_detail", args=[message.pk]))
    return pages


def _referrer_pages() -> list[str]:
    referral = Refugee.objects.filter(referred_by__username="referrer").order_by("pk").first()
    return [reverse("refugees:referral_list"), reverse("refugees:referral_detail", args=[referral.pk])]


def _too_wide(page, live_server, paths: list[str]) -> list[str]:
    wide = []
    for path in paths:
        visit(page, live_server.url + path)  # axe-core runs on every page, at phone width too
        scroll_width, inner_width = page.evaluate(WIDTHS)
        print(f"390 px: {path} scrollWidth={scroll_width} innerWidth={inner_width}")
        if scroll_width > inner_width:
            wide.append(f"{path}: {scroll_width} px > {inner_width} px")
    return wide


def test_no_list_or_detail_page_scrolls_sideways_on_a_phone(page, live_server, demo):
    page.set_viewport_size(PHONE)
    login(page, live_server, "coordinator")
    wide = _too_wide(page, live_server, _staff_pages())
    page.context.clear_cookies()
    login(page, live_server, "referrer")
    wide += _too_wide(page, live_server, _referrer_pages())
    assert not wide, "pages wider than the phone:\n" + "\n".join(wide)


def test_the_caseload_shows_due_date_and_risk_on_a_phone(page, live_server, demo):
    page.set_viewport_size(PHONE)
    login(page, live_server, "coordinator")
    visit(page, live_server.url + reverse("tandems:caseload"))
    headers = page.locator("table thead th").filter(visible=True).all_inner_texts()
    assert any("Nächstes Begleitgespräch" in h for h in headers), headers
    assert any("Risiko" in h for h in headers), headers


def test_the_navigation_folds_into_a_menu_on_a_phone(page, live_server, demo):
    page.set_viewport_size(PHONE)
    login(page, live_server, "coordinator")
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    assert not nav.get_by_role("link", name="Ehrenamtliche").is_visible()
    nav.get_by_role("button", name="Navigation anzeigen").click()
    nav.get_by_role("link", name="Ehrenamtliche").click()
    page.wait_for_url("**/volunteers/")
    axe_check(page)


def test_the_first_laptop_screen_shows_at_least_15_volunteers(page, live_server, demo):
    assert Volunteer.objects.count() >= 25
    page.set_viewport_size(LAPTOP)
    login(page, live_server, "coordinator")
    visit(page, live_server.url + reverse("volunteers:volunteer_list"))
    rows = page.evaluate(ROWS_ON_FIRST_SCREEN)
    print(f"1366×768: {rows} volunteer rows on the first screen")
    assert rows >= 15


def test_the_lists_filter_line_and_page_size_at_laptop_width(page, live_server, demo):
    page.set_viewport_size(LAPTOP)
    login(page, live_server, "coordinator")
    visit(page, live_server.url + reverse("volunteers:volunteer_list"))
    summary = page.locator("summary", has_text="Filter")
    assert summary.inner_text().strip().startswith("Filter")
    assert not page.get_by_label("Status").is_visible()  # folded away until asked for
    summary.click()
    page.get_by_label("Status").select_option(label="aktiv")  # htmx swaps the table on change
    page.get_by_role("button", name="Filtern").click()
    page.wait_for_url("**status=active**")
    assert page.locator("summary", has_text="Filter (1)").is_visible()
    axe_check(page)  # with the filters open
    page.get_by_role("navigation", name="Zeilen pro Seite").get_by_role("link", name="50").click()
    page.wait_for_url("**per_page=50**")
    assert "status=active" in page.url
    axe_check(page)
    for path in (
        reverse("refugees:refugee_list"),
        reverse("refugees:refugee_waiting_list"),
        reverse("tandems:tandem_list"),
        reverse("tandems:caseload"),
        reverse("trainings:session_list") + "?when=coming",
        reverse("reporting:expense_list"),
    ):
        visit(page, live_server.url + path)  # axe-core on every list at laptop width
        scroll_width, inner_width = page.evaluate(WIDTHS)
        assert scroll_width <= inner_width, path
