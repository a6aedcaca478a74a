"""The error pages pass axe-core (WCAG 2.1 AA) with their styles loaded, like every other page."""

import pytest
from django.test import RequestFactory
from playwright.sync_api import expect

from core import faults
from tests.e2e.conftest import visit

pytestmark = pytest.mark.e2e


def test_not_found_page_is_accessible(page, live_server):
    visit(page, f"{live_server.url}/gibt-es-nicht/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Seite nicht gefunden")


@pytest.mark.parametrize(
    ("handler", "heading"),
    [
        (faults.database_unavailable, "Der Dienst ist kurz nicht erreichbar"),
        (faults.server_error, "Ein Fehler ist aufgetreten"),
    ],
)
def test_pages_shown_when_something_fails_are_accessible(page, live_server, handler, heading):
    """The live server's database works, so the page is answered as the application renders it."""
    response = handler(RequestFactory().get("/"))
    url = f"{live_server.url}/kaputt/"
    page.route(
        url,
        lambda route: route.fulfill(
            status=response.status_code, body=response.content, content_type="text/html; charset=utf-8"
        ),
    )
    visit(page, url)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
