"""The tandem page names its sections apart and says in German how the pair was decided."""

import re

from django.urls import reverse

from tests.factories.tandems import ActiveTandemFactory


def _page(client, coordinator, tandem) -> str:
    client.force_login(coordinator)
    return client.get(reverse("tandems:tandem_detail", args=[tandem.pk])).text


def test_section_headings_are_distinct(client, coordinator, org):
    tandem = ActiveTandemFactory(organisation=org)
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", _page(client, coordinator, tandem), re.S)
    assert "Änderungsprotokoll" in headings
    assert len(headings) == len(set(headings)), headings


def test_the_way_the_pair_was_decided_is_translated(client, coordinator, org):
    tandem = ActiveTandemFactory(
        organisation=org,
        match_explanation={"total": 0.8, "criteria": [], "mode": "suggestion", "decided_by": "Koordinatorin"},
    )
    tandem.match_explanation["criteria"] = [
        {"key": "language", "label": "Sprache", "score": 1.0, "weight": 3, "text": "spricht Arabisch"}
    ]
    tandem.save()
    text = _page(client, coordinator, tandem)
    assert "(aus den Vorschlägen)" in text
    assert "(suggestion)" not in text
