"""The dashboard's figures are kept for REPORT_CACHE_SECONDS per scope and period."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

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
