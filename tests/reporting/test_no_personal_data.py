"""Steering and evaluators never see a person: crawl every page they can reach and look for the name,
e-mail and phone of every volunteer and refugee in the database."""

import datetime
import html
import io
import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from openpyxl import load_workbook

from refugees.models import Refugee
from tests.conftest import client_for
from tests.reporting.data import build_bulk, build_known
from volunteers.models import Volunteer

TODAY = datetime.date.today()
SKIP = ("/static/", "/admin/", "/accounts/logout/", "/i18n/")
HREF = re.compile(r'href="([^"#]+)"')


@pytest.fixture
def demo_like(org, fwz):
    build_known(org=org, fwz=fwz, today=TODAY)
    build_bulk(org=org, fwz=fwz, size=30, today=TODAY)
    # unique names, so that a hit can only be a leak and never a word of the interface ("Mai", "Jan")
    suffix = Concat(Value("Q"), Cast("pk", CharField()))
    for model in (Volunteer, Refugee):
        model.objects.update(
            first_name=Concat(F("first_name"), suffix), last_name=Concat(F("last_name"), suffix)
        )


def personal_values() -> set[str]:
    values = set()
    for model in (Volunteer, Refugee):
        for row in model.objects.values("first_name", "last_name", "email", "phone"):
            values |= {value for value in row.values() if value}
    assert len(values) > 200
    return values


def body_text(response) -> str:
    content_type = response.get("Content-Type", "")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in content_type:
        book = load_workbook(io.BytesIO(content))
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value
        )
    return content.decode("utf-8-sig")


def crawl(client, starts: list[str]) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = list(starts)
    while queue and len(seen) < 400:
        url = queue.pop(0)
        if url in seen or url.startswith(SKIP):
            continue
        response = client.get(url)
        if response.status_code == 302:
            seen[url] = ""
            queue.append(response.url)
            continue
        assert response.status_code == 200, f"{url}: {response.status_code}"
        text = body_text(response)
        seen[url] = text
        if "text/html" in response.get("Content-Type", ""):
            for href in HREF.findall(text):
                target = urljoin(url, html.unescape(href))
                if urlsplit(target).netloc in ("", "testserver"):
                    queue.append(urlsplit(target)._replace(scheme="", netloc="").geturl())
    return seen


@pytest.mark.parametrize("role", ["steering", "evaluator"])
def test_no_page_reachable_by_steering_or_evaluators_shows_a_person(demo_like, world, role):
    client = client_for(world.users[role])
    year = TODAY.year
    pages = crawl(
        client,
        [
            "/",
            reverse("reporting:dashboard"),
            f"{reverse('reporting:dashboard')}?year={year - 1}",
            f"{reverse('reporting:dashboard')}?date_from={year}-01-01&date_to={year}-03-31",
            reverse("reporting:grant_report_list"),
            reverse("reporting:grant_report", args=[year]) + "?format=xlsx",
        ],
    )
    reached = set(pages)
    assert reverse("reporting:grant_report", args=[year]) in reached
    assert reverse("reporting:grant_report", args=[year]) + "?format=print" in reached
    if role == "evaluator":
        assert reverse("reporting:evaluation_codebook") in reached
        assert any("format=csv" in url for url in reached)
    everything = "\n".join(pages.values())
    leaks = sorted(value for value in personal_values() if value in everything)
    assert leaks == [], f"personal data on pages of {role}: {leaks[:10]}"
