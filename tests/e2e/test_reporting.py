import datetime
import io
import re
from pathlib import Path

import pytest
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from core import demo
from core.models import Organisation, OrganisationKind
from reporting import demo as reporting_demo
from tests.e2e.conftest import axe_check, login
from tests.reporting.data import build_bulk
from volunteers.models import Volunteer

pytestmark = pytest.mark.e2e


@pytest.fixture
def figures(_e2e):
    with override_settings(DEMO_PASSWORD="demo"):
        demo.seed(size="small")
    today = timezone.localdate()
    build_bulk(
        org=Organisation.objects.get(short_name="gEMiDe"),
        fwz=Organisation.objects.get(kind=OrganisationKind.FWZ),
        size=30,
        today=today,
        year=today.year,
    )
    reporting_demo.seed(size="small")
    # names that cannot be a word of the page by chance ("Mai", "Nord")
    Volunteer.objects.update(last_name=Concat(F("last_name"), Value("Q"), Cast("pk", CharField())))


def test_steering_sees_the_dashboard_with_figures_and_no_names(page, live_server, figures):
    login(page, live_server, "steering")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    # the headline figures on the first screen, the breakdowns folded below them
    expect(page.locator("#headline-formed")).to_contain_text("30")
    expect(page.locator("#headline-formed")).to_be_in_viewport()
    expect(page.locator("#headline-trained")).to_be_in_viewport()
    expect(page.get_by_role("img", name="Gebildete Tandems je Monat")).to_be_hidden()
    axe_check(page)
    for summary in page.locator("details.report-section > summary").all():
        summary.click()
    formed = page.locator("#figure-tandems_formed").locator("xpath=..")
    expect(formed.locator(".report-headline")).to_contain_text("30")
    expect(page.get_by_role("img", name="Gebildete Tandems je Monat")).to_be_visible()
    expect(page.get_by_role("table", name="Gebildete Tandems je Monat")).to_be_visible()
    expect(page.locator("main")).to_contain_text("<5")
    text = page.locator("main").inner_text()  # the header names the signed-in user
    for volunteer in Volunteer.objects.all():
        assert volunteer.last_name not in text
        assert volunteer.email not in text
    page.get_by_label("Jahr").select_option(str(timezone.localdate().year - 1))
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.locator("main")).to_contain_text(f"01.01.{timezone.localdate().year - 1}")
    axe_check(page)


def test_coordinator_opens_the_grant_report_and_downloads_the_spreadsheet(page, live_server, figures):
    year = timezone.localdate().year
    login(page, live_server, "coordinator")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Verwendungsnachweis"
    ).click()
    axe_check(page)
    page.get_by_role("link", name=f"Verwendungsnachweis {year}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Verwendungsnachweis {year}")
    expect(page.locator("#funding-table")).to_contain_text("184.000,00\u00a0€")
    axe_check(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Excel herunterladen").click()
    download = info.value
    assert download.suggested_filename == f"verwendungsnachweis-{year}.xlsx"
    book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    assert book.sheetnames == ["Übersicht", "Tabellen", "Finanzierung"]
    overview = {row[1]: row[2] for row in book["Übersicht"].iter_rows(values_only=True) if row and row[1]}
    assert overview["Gebildete Tandems"] == 30
    assert overview["Gebildete Tandems: Jahresziel"] == 500
    page.get_by_role("link", name="Druckansicht").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Verwendungsnachweis {year}")
    axe_check(page)


def test_coordinator_records_an_expense(page, live_server, figures):
    login(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/reports/expenses/new/")
    axe_check(page)
    page.get_by_label("Ausgegeben am").fill(datetime.date.today().isoformat())
    page.get_by_label("Mittelgeber").select_option(label="Klosterkammer Hannover")
    page.get_by_label("Haushaltsposten").select_option(label="Öffentlichkeitskampagne")
    page.get_by_label("Betrag (EUR)").fill("1.234,50")
    page.get_by_label("Verwendungszweck").fill("Plakate Rechnung 4711")
    page.get_by_role("button", name="Ausgabe speichern").click()
    expect(page.locator(".messages")).to_contain_text("1234,50")
    expect(page.locator("#list-table")).to_contain_text("Plakate Rechnung 4711")
    axe_check(page)


# 9 measured with the print layout before issue #20; its two sections for the grant report ("Dauer der Tandems",
# "Wirkung") print on one page each (the relationship survey stays on the dashboard): 11
PRINT_PAGES_AT_MOST = 11


def _pdf_pages(pdf: bytes) -> int:
    """The pages of a PDF as Chromium writes it (one page object each, no object streams)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_grant_report_print_view_fits_the_funders_format(page, live_server, figures):
    """A cover (programme, year, organisation), the figures against the targets and the funding plan
    against what was spent first, the breakdowns after; on at most PRINT_PAGES_AT_MOST A4 pages for the
    demo data (19 before the print layout)."""
    year = timezone.localdate().year
    login(page, live_server, "coordinator")
    page.goto(live_server.url + reverse("reporting:grant_report", args=[year]) + "?format=print")
    axe_check(page)
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    pages = _pdf_pages(pdf)
    print(f"grant report print view: {pages} A4 pages")
    assert 1 <= pages <= PRINT_PAGES_AT_MOST
    cover = page.locator(".report-cover")
    expect(cover).to_contain_text("10.000 Freunde")
    expect(cover).to_contain_text(str(year))
    expect(cover).to_contain_text("Freiwilligenzentrum Hannover")
    order = page.evaluate(
        "() => [...document.querySelectorAll('main section[id], main section[aria-labelledby]')]"
        ".map(s => s.id || s.getAttribute('aria-labelledby'))"
    )
    assert order.index("section-summary") < order.index("section-funding") < order.index("section-tandems")
    labels = page.locator("#summary-table th[scope=row]").all_inner_texts()
    assert labels
    for label in labels:
        words = [word for word in re.findall(r"\w+", label.lower()) if len(word) > 3]
        assert len(words) == len(set(words)), f"doubled word in {label!r}"
        assert "((" not in label.replace(" ", "") and "))" not in label.replace(" ", ""), label
