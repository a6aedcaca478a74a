"""The layout every staff list shares (issue #17): a page-size choice that survives paging, sorting, filtering
and export; filters on one line behind a "Filter" disclosure that counts the active ones; empty choices "alle".
Tried on the real list pages, through the client."""

import re
from html import unescape

import pytest
from django.http import QueryDict
from django.urls import reverse

from tests.factories.core import district
from tests.factories.refugees import WaitingRefugeeFactory
from tests.factories.reporting import ExpenseFactory
from tests.factories.tandems import ActiveTandemFactory
from tests.factories.trainings import SessionFactory
from tests.factories.volunteers import VolunteerFactory
from volunteers.models import VolunteerStatus

LIST = reverse("volunteers:volunteer_list")
ROW_LINK = re.compile(r'href="/volunteers/(\d+)/"')


def _hrefs(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]*)"', html)]


def _rows(html: str) -> int:
    return len(set(ROW_LINK.findall(html)))


@pytest.fixture
def register(fwz):
    return VolunteerFactory.create_batch(120, organisation=fwz, status=VolunteerStatus.ACTIVE)


@pytest.mark.parametrize(("query", "rows"), [("", 25), ("?per_page=50", 50), ("?per_page=100", 100)])
def test_the_page_size_choice_shows_that_many_rows(client, coordinator, register, query, rows):
    client.force_login(coordinator)
    response = client.get(LIST + query)
    assert response.status_code == 200
    assert _rows(response.content.decode()) == rows


@pytest.mark.parametrize("bad", ["7", "abc", "-25", "100000", "50.0", "", "25%00"])
def test_a_bad_page_size_falls_back_to_the_default(client, coordinator, register, bad):
    client.force_login(coordinator)
    response = client.get(LIST, {"per_page": bad})
    assert response.status_code == 200
    assert _rows(response.content.decode()) == 25


def test_the_page_size_survives_paging_sorting_filtering_and_export(client, coordinator, register):
    client.force_login(coordinator)
    html = client.get(LIST, {"per_page": "50", "status": "active", "sort": "-name"}).content.decode()
    hrefs = _hrefs(html)
    next_page = [h for h in hrefs if re.search(r"[?&]page=2\b", h)]
    sort_links = [h for h in hrefs if "sort=district" in h]
    exports = [h for h in hrefs if "format=csv" in h or "format=xlsx" in h]
    assert next_page and sort_links and len(exports) == 2
    for link in next_page + sort_links + exports:
        assert "per_page=50" in link and "status=active" in link, link
    # the filter form carries the order and the page size along (hidden fields)
    assert '<input type="hidden" name="per_page" value="50">' in html
    assert '<input type="hidden" name="sort" value="-name">' in html
    second = client.get(LIST + next_page[0])
    assert _rows(second.content.decode()) == 50


def test_the_page_size_links_offer_25_50_100_and_start_again_at_page_one(client, coordinator, register):
    client.force_login(coordinator)
    html = client.get(LIST, {"per_page": "50", "page": "2", "status": "active"}).content.decode()
    nav = re.search(r'<nav[^>]*aria-label="Zeilen pro Seite">(.*?)</nav>', html, re.S).group(1)
    # each link keeps the filter, sets the size and drops the page number
    assert [QueryDict(h.removeprefix("?")).dict() for h in _hrefs(nav)] == [
        {"status": "active", "per_page": size} for size in ("25", "50", "100")
    ]
    assert re.search(r'aria-current="true">50<', nav)


def test_the_filter_button_counts_the_active_filters_but_not_the_search(client, coordinator, register):
    client.force_login(coordinator)
    html = client.get(LIST).content.decode()
    assert re.search(r'<summary[^>]*><span id="list-filter-count">Filter</span></summary>', html)
    html = client.get(
        LIST, {"q": "a", "status": "active", "district": district("mitte").pk, "trained": ""}
    ).content.decode()
    assert re.search(r'<summary[^>]*><span id="list-filter-count">Filter \(2\)</span></summary>', html)


def test_an_htmx_filter_request_updates_the_count_on_the_filter_button(client, coordinator, register):
    """htmx swaps only the table; the button's label outside it follows as an out-of-band swap."""
    client.force_login(coordinator)
    html = client.get(LIST, {"status": "active"}, headers={"HX-Request": "true"}).content.decode()
    assert "<details" not in html  # the fragment, not the page
    assert '<span id="list-filter-count" hx-swap-oob="true">Filter (1)</span>' in html
    assert "hx-swap-oob" not in client.get(LIST, {"status": "active"}).content.decode()


def test_the_search_field_stays_on_the_line_and_the_other_filters_fold_away(client, coordinator, register):
    client.force_login(coordinator)
    html = client.get(LIST).content.decode()
    details = html[html.index("<details") : html.index("</details>")]
    assert 'name="status"' in details and 'name="district"' in details
    assert 'name="q"' not in details and 'type="search" name="q"' in html


@pytest.fixture
def every_list(coordinator, fwz):
    VolunteerFactory(organisation=fwz)
    WaitingRefugeeFactory(organisation=fwz)
    ActiveTandemFactory(organisation=fwz, coordinator=coordinator)
    session = SessionFactory(organisation=fwz)
    ExpenseFactory()
    return [
        reverse("volunteers:volunteer_list"),
        reverse("volunteers:volunteer_inbox"),
        reverse("refugees:refugee_list"),
        reverse("refugees:refugee_waiting_list"),
        reverse("tandems:tandem_list"),
        reverse("trainings:session_list") + "?when=coming",
        reverse("trainings:basic_waiting_list"),
        reverse("trainings:session_register", args=[session.pk]),
        reverse("reporting:expense_list"),
    ]


def test_every_list_filter_offers_alle_as_its_empty_choice(client, coordinator, every_list):
    client.force_login(coordinator)
    for url in every_list:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "<select" in html, url
        assert "---------" not in html, url
        assert ">Unbekannt<" not in html, url
        empty = re.findall(r'<option value="(?:|unknown)"[^>]*>([^<]*)</option>', html)
        assert empty and set(empty) == {"alle"}, (url, empty)


def test_the_referrers_list_filter_offers_alle(client, referrer, city):
    WaitingRefugeeFactory(organisation=city, referred_by=referrer)
    client.force_login(referrer)
    html = client.get(reverse("refugees:referral_list")).content.decode()
    assert "---------" not in html
    assert re.findall(r'<option value=""[^>]*>([^<]*)</option>', html) == ["alle"]


def test_the_caseload_has_the_page_size_choice_too(client, coordinator, fwz):
    ActiveTandemFactory.create_batch(55, organisation=fwz, coordinator=coordinator)
    client.force_login(coordinator)
    tandem_link = re.compile(r'href="/tandems/(\d+)/"')
    assert len(set(tandem_link.findall(client.get(reverse("tandems:caseload")).content.decode()))) == 50
    html = client.get(reverse("tandems:caseload"), {"per_page": "25"}).content.decode()
    assert len(set(tandem_link.findall(html))) == 25
    assert any("per_page=25" in h and "page=2" in h for h in _hrefs(html))
    assert client.get(reverse("tandems:caseload"), {"per_page": "x"}).status_code == 200
