"""The dashboard's first screen (headline figures), folded breakdowns, and labels without doubled words."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from reporting.figures import figure_rows, headlines, report_build
from reporting.models import AnnualTarget
from reporting.selectors import Period, reporting_organisations
from tests.conftest import client_for
from tests.reporting.data import build_known

TODAY = datetime.date(2026, 11, 26)


@pytest.fixture
def known(org, fwz):
    AnnualTarget.objects.filter(year=2026).update(volunteers_trained=60)
    return build_known(org=org, fwz=fwz, today=TODAY)


def _report(user):
    return report_build(
        organisations=reporting_organisations(user=user),
        period=Period.for_year(2026),
        hide_small=False,
        today=TODAY,
    )


def test_headlines_are_formed_against_target_active_waiting_with_median_and_trained(known, coordinator):
    with translation.override("de"):
        cards = {card.key: card for card in headlines(_report(coordinator))}
    assert list(cards) == ["formed", "active", "waiting", "trained"]
    assert (cards["formed"].value.value, cards["formed"].target, cards["formed"].share.value) == (6, 500, 1.2)
    assert cards["formed"].label == "Gebildete Tandems 2026"
    assert cards["active"].value.value == 5
    assert (cards["waiting"].value.value, cards["waiting"].detail.value) == (7, 40)
    assert (cards["trained"].value.value, cards["trained"].target, cards["trained"].share.value) == (
        6,
        60,
        10.0,
    )


def test_dashboard_opens_with_the_headlines_and_folds_the_breakdowns(known, coordinator):
    text = client_for(coordinator).get(reverse("reporting:dashboard"), {"year": 2026}).text
    cards = text.index('id="headlines"')
    assert cards < text.index("<details")
    assert "<details open" not in text
    assert text.index("<details") < text.index('id="figure-tandems_formed"')
    headline_block = text[cards : text.index("<details")]
    assert "von 500" in headline_block  # the target beside the tandems formed
    assert "Median" in headline_block


def test_dashboard_does_not_list_organisations_without_tandems(known, coordinator):
    report = client_for(coordinator).get(reverse("reporting:dashboard"), {"year": 2026}).context["report"]
    assert set(report.organisations) == {"FWZ", "gEMiDe"}  # referrers, steering, university run none


def test_summary_labels_have_no_doubled_word_or_parenthesis(known, coordinator):
    with translation.override("de"):
        rows = figure_rows(_report(coordinator))
    labels = [label for _section, label, _value in rows]
    assert "Aktive Tandems" in labels
    for label in labels:
        words = [word for word in re.findall(r"\w+", label.lower()) if len(word) > 3]
        assert len(words) == len(set(words)), label
        assert label.count("(") <= 1, label
