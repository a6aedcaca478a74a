"""The dashboard's figures, and their rendered HTML, are kept for REPORT_CACHE_SECONDS per scope and period."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting import fragments
from tests.conftest import client_for
from tests.factories.tandems import ActiveTandemFactory


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.text


def test_a_second_reader_within_the_period_gets_the_kept_figures(client, coordinator, org, settings):
    settings.REPORT_CACHE_SECONDS = 60
    cache.clear()
    ActiveTandemFactory.create_batch(6, organisation=org)
    client.force_login(coordinator)
    url = reverse("reporting:dashboard")
    first, page = _queries(client, url)
    second, again = _queries(client, url)
    assert second < first - 20, (first, second)
    assert page.count("<svg") == again.count("<svg")


def test_scopes_do_not_share_kept_figures(client, coordinator, partner, org, other_org, settings):
    settings.REPORT_CACHE_SECONDS = 60
    cache.clear()
    ActiveTandemFactory.create_batch(6, organisation=other_org)
    client.force_login(coordinator)
    client.get(reverse("reporting:dashboard"))
    client.force_login(partner)
    queries, _page = _queries(client, reverse("reporting:dashboard"))
    assert queries > 20, "the partner's own organisation is computed, not the coordinator's figures reused"


def test_without_a_cache_period_figures_are_always_computed(client, coordinator, settings):
    settings.REPORT_CACHE_SECONDS = 0
    client.force_login(coordinator)
    client.get(reverse("core:home"))  # the first request of a session writes it once
    first, _ = _queries(client, reverse("reporting:dashboard"))
    second, _ = _queries(client, reverse("reporting:dashboard"))
    assert first == second > 20


def test_a_change_to_the_data_shows_at_once_not_after_the_cache_period(client, coordinator, org, settings):
    """The kept figures carry the data's version (the latest `updated_at` of volunteers, refugees and
    tandems): a new or changed record makes every worker compute them again at its next view."""
    settings.REPORT_CACHE_SECONDS = 600
    cache.clear()
    ActiveTandemFactory.create_batch(6, organisation=org)
    client.force_login(coordinator)
    url = reverse("reporting:dashboard")
    _queries(client, url)
    kept, _page = _queries(client, url)
    ActiveTandemFactory(organisation=org)
    after_change, _page = _queries(client, url)
    assert after_change > kept + 20, (kept, after_change)
    again, _page = _queries(client, url)
    assert again == kept


# --- the kept HTML (reporting.fragments) -------------------------------------------------------------------

CSRF = re.compile(r'"X-CSRFToken": "[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"')
PAGES = {  # page: (url name, its arguments, query string, the readers who may open it)
    "dashboard": ("reporting:dashboard", [], "", ("coordinator", "partner", "steering")),
    "grant report": ("reporting:grant_report", [2026], "", ("coordinator", "steering")),
    "grant report, print": ("reporting:grant_report", [2026], "?format=print", ("coordinator", "steering")),
}


def _url(page: str) -> str:
    name, args, query, _roles = PAGES[page]
    return reverse(name, args=args) + query


def _page(client, url, language: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return CSRF.sub("", response.text)


def _rendered(client, url) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    return {template.name for template in response.templates}


@pytest.mark.parametrize("report_page", PAGES)  # not `page`: that is pytest-playwright's browser page
def test_every_reader_gets_the_html_of_their_own_scope_suppression_and_language(
    world, org, other_org, settings, report_page
):
    """The rendered figures are kept per scope, suppression and language: whoever fills the cache first,
    every reader then gets exactly the page computed afresh for them (partners their organisation's
    figures, steering the small counts hidden, English readers English)."""
    ActiveTandemFactory.create_batch(6, organisation=org)
    ActiveTandemFactory.create_batch(3, organisation=other_org)
    url, roles = _url(report_page), PAGES[report_page][3]
    readers = [(role, language) for role in roles for language in ("de", "en")]
    clients = {role: client_for(world.users[role]) for role in roles}
    settings.REPORT_CACHE_SECONDS = 0
    fresh = {(role, language): _page(clients[role], url, language) for role, language in readers}
    assert len(set(fresh.values())) == len(readers), "each reader's page differs from the others'"
    settings.REPORT_CACHE_SECONDS = 600
    cache.clear()
    for role, language in readers:
        assert _page(clients[role], url, language) == fresh[role, language], (role, language, "first")
        assert _page(clients[role], url, language) == fresh[role, language], (role, language, "kept")
    for role, language in reversed(readers):
        assert _page(clients[role], url, language) == fresh[role, language], (role, language, "reversed")


def test_a_change_to_the_data_shows_at_once_in_the_kept_html(client, coordinator, org, settings):
    settings.REPORT_CACHE_SECONDS = 600
    cache.clear()
    ActiveTandemFactory.create_batch(6, organisation=org)
    client.force_login(coordinator)
    url = reverse("reporting:dashboard")
    before = _page(client, url, "de")
    assert _page(client, url, "de") == before
    ActiveTandemFactory.create_batch(2, organisation=org)
    after = _page(client, url, "de")
    settings.REPORT_CACHE_SECONDS = 0
    assert after == _page(client, url, "de") != before


@pytest.mark.parametrize("report_page", PAGES)  # not `page`: that is pytest-playwright's browser page
def test_a_repeated_view_renders_no_figure_again(client, coordinator, org, settings, report_page):
    settings.REPORT_CACHE_SECONDS = 600
    cache.clear()
    ActiveTandemFactory.create_batch(6, organisation=org)
    client.force_login(coordinator)
    url = _url(report_page)
    figures = {"reporting/_figure.html", "reporting/_chart.html", "reporting/_table.html"}
    assert figures <= _rendered(client, url)
    assert not figures & _rendered(client, url)


@pytest.fixture
def fragment_templates(tmp_path, monkeypatch):
    monkeypatch.setattr(fragments, "TEMPLATE_DIR", tmp_path)
    fragments.templates_version.cache_clear()
    yield tmp_path
    fragments.templates_version.cache_clear()


def test_changed_templates_or_translations_are_never_served_from_the_kept_html(
    fragment_templates, tmp_path, settings
):
    """A deployment that changes a fragment template or a translation gets a new key."""
    template = fragment_templates / "_figure.html"
    catalogue = tmp_path / "locale" / "de" / "LC_MESSAGES" / "django.mo"
    catalogue.parent.mkdir(parents=True)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    template.write_text("<h3>{{ figure.title }}</h3>")
    catalogue.write_bytes(b"one")
    versions = [fragments.templates_version()]
    template.write_text("<h4>{{ figure.title }}</h4>")
    fragments.templates_version.cache_clear()
    versions.append(fragments.templates_version())
    catalogue.write_bytes(b"two")
    fragments.templates_version.cache_clear()
    versions.append(fragments.templates_version())
    assert len(set(versions)) == 3, versions


@pytest.mark.parametrize("report_page", ["dashboard", "grant report"])
def test_a_repeated_view_reads_only_the_kept_html_not_the_figures(
    client, coordinator, org, settings, report_page
):
    settings.REPORT_CACHE_SECONDS = 600
    cache.clear()
    ActiveTandemFactory.create_batch(6, organisation=org)
    client.force_login(coordinator)
    url = _url(report_page)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    reads = [query["sql"] for query in captured if settings.CACHES["default"]["LOCATION"] in query["sql"]]
    assert len(reads) == 1, reads
