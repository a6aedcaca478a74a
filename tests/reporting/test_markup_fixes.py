"""Small fixes in the reports' markup: the suppression note escapes "<5", the grant report's <title>
names the site once."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.reporting.data import build_known

TODAY = datetime.date(2026, 11, 26)


@pytest.fixture
def known(org, fwz):
    return build_known(org=org, fwz=fwz, today=TODAY)


@pytest.mark.parametrize(("name", "args"), [("reporting:dashboard", []), ("reporting:grant_report", [2026])])
def test_the_suppression_note_sends_no_raw_less_than_sign(known, steering, name, args):
    text = client_for(steering).get(reverse(name, args=args), {"year": 2026}).text
    assert "erscheinen als &lt;5," in text
    assert "<5" not in text  # a raw "<" followed by a digit is invalid HTML


def test_grant_report_title_names_the_site_once(known, coordinator):
    text = client_for(coordinator).get(reverse("reporting:grant_report", args=[2026])).text
    title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
    assert title.count("10.000 Freunde") == 1
    assert title.startswith("Verwendungsnachweis 2026")
