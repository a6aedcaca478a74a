"""Error pages, /healthz in front of everything, Cache-Control on personal responses, the language cookie
(issue #14). The database really going away is tested in test_database_faults.py."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from core import faults
from tests.core.test_csp import inline_code
from tests.factories.refugees import RefugeeFactory
from tests.factories.volunteers import VolunteerFactory

# -- /healthz -----------------------------------------------------------------------------------------


def test_healthz_answers_plain_http_from_the_load_balancer(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True  # production: every other page redirects to https
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert client.head("/healthz").status_code == 200  # probes that only ask for the status line
    assert client.get(reverse("core:home")).status_code == 301


def test_healthz_answers_a_probe_by_address(client, db, settings):
    settings.ALLOWED_HOSTS = ["freunde.example"]  # the load balancer asks http://10.0.0.5:8000/healthz
    assert client.get("/healthz", HTTP_HOST="10.0.0.5:8000").status_code == 200


def test_healthz_keeps_its_url_name():
    assert reverse("healthz") == "/healthz"


# -- error pages --------------------------------------------------------------------------------------

HANDLERS = [
    (faults.bad_request, 400, "Ungültige Anfrage"),
    (faults.permission_denied, 403, "Kein Zugriff"),
    (faults.page_not_found, 404, "Seite nicht gefunden"),
    (faults.server_error, 500, "Ein Fehler ist aufgetreten"),
]


@pytest.mark.parametrize(("handler", "status", "heading"), HANDLERS)
def test_error_pages_need_no_database(handler, status, heading):
    """No `db` fixture: any query while rendering would fail this test."""
    request = RequestFactory().get("/somewhere/")
    response = handler(request) if status == 500 else handler(request, Exception("x"))
    assert response.status_code == status
    html = response.content.decode()
    assert heading in html
    assert 'lang="de"' in html
    assert "<main" in html and "<h1" in html and "<header" in html
    assert inline_code(html) == []


def test_database_unavailable_page_says_so_and_asks_to_come_back():
    response = faults.database_unavailable(RequestFactory().get("/"))
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "Der Dienst ist kurz nicht erreichbar" in html
    assert inline_code(html) == []


def test_not_found_page_is_german_and_in_english_when_chosen(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/does-not-exist/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.text
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get("/does-not-exist/")
    assert "Page not found" in response.text
    assert 'lang="en"' in response.text


def test_forbidden_action_shows_the_403_page(client, referrer, db):
    client.force_login(referrer)
    response = client.get(reverse("volunteers:volunteer_list"))
    assert response.status_code == 403
    assert "Kein Zugriff" in response.text


# -- Cache-Control ------------------------------------------------------------------------------------


def _private(response) -> bool:
    parts = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= parts


def test_personal_pages_and_exports_are_not_kept_by_browsers_or_proxies(client, coordinator, org):
    volunteer = VolunteerFactory(organisation=org)
    refugee = RefugeeFactory(organisation=org)
    client.force_login(coordinator)
    detail = client.get(reverse("volunteers:volunteer_detail", args=[volunteer.pk]))
    assert detail.status_code == 200
    assert detail["Cache-Control"] == "private, no-store"
    for fmt in ("csv", "xlsx"):
        export = client.get(reverse("volunteers:volunteer_list") + f"?format={fmt}")
        assert export.status_code == 200
        assert export["Cache-Control"] == "private, no-store", fmt
    access = client.get(
        reverse("core:privacy_access", args=["refugees", "refugee", refugee.pk]) + "?format=json"
    )
    assert access.status_code == 200
    assert _private(access)


def test_a_view_that_sets_its_own_cache_header_keeps_it(client, db):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"]  # never_cache's own header


# -- the language cookie ------------------------------------------------------------------------------


def test_language_cookie_is_http_only_same_site_and_secure_with_tls(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert bool(cookie["secure"]) == settings.SESSION_COOKIE_SECURE
    assert settings.LANGUAGE_COOKIE_SECURE == settings.SESSION_COOKIE_SECURE
