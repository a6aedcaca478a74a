"""URLs reversed once per name, then filled in (core.reversing, issue #21): a list page reversed the
detail link of every row and the navigation's links twice each on every request."""

import pytest
from django.urls import URLResolver, reverse, set_script_prefix
from django.urls.base import get_script_prefix

from core.reversing import reverse_cached
from tests.factories.tandems import ActiveTandemFactory

LISTS = ["volunteers:volunteer_list", "refugees:refugee_list", "tandems:tandem_list"]


@pytest.fixture
def reversals(monkeypatch):
    calls = []
    original = URLResolver._reverse_with_prefix

    def counting(self, lookup_view, *args, **kwargs):
        calls.append(lookup_view)
        return original(self, lookup_view, *args, **kwargs)

    monkeypatch.setattr(URLResolver, "_reverse_with_prefix", counting)
    return calls


@pytest.mark.parametrize("name", LISTS)
def test_a_list_page_reverses_a_handful_of_urls_not_one_per_row(client, fwz, coordinator, reversals, name):
    ActiveTandemFactory.create_batch(25, organisation=fwz)  # 25 rows of each list (volunteers, refugees)
    client.force_login(coordinator)
    client.get(reverse(name))
    reversals.clear()
    response = client.get(reverse(name))
    assert response.status_code == 200
    # the page's own {% url %} links (base and header, about a dozen) remain; before, every row's detail
    # link and each navigation link twice came on top (about 60 for 25 rows)
    assert len(reversals) <= 15, f"{len(reversals)}: {reversals}"


def test_the_same_urls_as_reverse_also_under_a_script_prefix(db):
    for name, args in [
        ("volunteers:volunteer_detail", [7]),
        ("tandems:tandem_detail", [123456]),
        ("refugees:refugee_detail", [1]),
        ("core:home", []),
    ]:
        assert reverse_cached(name, *args) == reverse(name, args=args)
    before = get_script_prefix()
    try:
        set_script_prefix("/tenk/")
        assert (
            reverse_cached("tandems:tandem_detail", 5)
            == "/tenk/tandems/5/"
            == reverse("tandems:tandem_detail", args=[5])
        )
    finally:
        set_script_prefix(before)
    assert reverse_cached("tandems:tandem_detail", 5) == reverse("tandems:tandem_detail", args=[5])
