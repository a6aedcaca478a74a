"""The database goes away under a running gunicorn and comes back (issue #14, database faults).

The application runs under a real gunicorn with production settings and persistent connections
(DB_CONN_MAX_AGE=60), its DATABASE_URL pointing at a TCP proxy in front of the test database
(tests/faultproxy.py). Cutting the proxy is what the workers see when PostgreSQL restarts.
"""

import secrets

import pytest
from django.conf import settings
from django.test import Client

from core.models import Role
from refugees.models import ReferralNote
from tests.factories.core import MembershipFactory
from tests.factories.refugees import RefugeeFactory
from tests.faultproxy import FaultProxy, database_url, gunicorn, production_env

GERMAN_503 = "Der Dienst ist kurz nicht erreichbar"


@pytest.fixture
def proxy():
    db = settings.DATABASES["default"]
    relay = FaultProxy(db["HOST"] or "127.0.0.1", int(db["PORT"]))
    yield relay
    relay.close()


@pytest.fixture
def served(reference_data, proxy, tmp_path, settings):
    key = secrets.token_urlsafe(50)
    settings.SECRET_KEY = key  # the sessions this test signs in are read by gunicorn
    env = production_env(DATABASE_URL=database_url(port=proxy.port), DB_CONN_MAX_AGE="60", SECRET_KEY=key)
    with gunicorn(env, tmp_path) as app:
        yield app


def _signed_in(served, user) -> None:
    client = Client()
    client.force_login(user)
    served.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value


def _note(served, refugee, text: str) -> int:
    status, _headers, _text = served.request("POST", f"/refugees/{refugee.pk}/notes/", {"text": text})
    return status


def test_an_outage_answers_503_in_german_and_the_application_recovers_by_itself(served, proxy, fwz):
    coordinator = MembershipFactory(organisation=fwz, role=Role.COORDINATOR).user
    refugee = RefugeeFactory(organisation=fwz)
    _signed_in(served, coordinator)
    detail = f"/refugees/{refugee.pk}/"
    reported_done = []

    status, _headers, _page = served.request("GET", detail)  # the worker keeps its connection from here on
    assert status == 200
    assert _note(served, refugee, "before the restart") == 302
    reported_done.append("before the restart")

    # PostgreSQL restarts while the worker is idle: its kept connection is dead, the database is back
    proxy.cut()
    proxy.restore()
    status, _headers, _page = served.request("GET", detail)
    assert status == 200, "the first request after a restart finds the dead connection and opens a new one"

    proxy.cut()  # and now the database stays away
    status, headers, page = served.request("GET", detail)  # signed in: the session is read first
    assert status == 503
    assert GERMAN_503 in page
    assert 'lang="de"' in page
    assert int(headers["retry-after"]) > 0
    assert headers["cache-control"] == "private, no-store"
    status, _headers, page = served.request("GET", "/signup/", cookies=False)  # the view's own query fails
    assert status == 503
    assert GERMAN_503 in page
    status, _headers, text = served.request("GET", "/healthz")  # with the session cookie
    assert status == 503
    status, headers, _css = served.request("GET", "/static/css/app.css", cookies=False)
    assert status == 200, "static files (the error page's styles) do not need the database"
    assert "no-store" not in headers.get("cache-control", "")
    assert text == "database unavailable\n"
    status = _note(served, refugee, "during the outage")
    assert status == 503, "a write while the database is away is never reported as done"

    proxy.restore()  # nothing is restarted
    status, _headers, _page = served.request("GET", detail)
    assert status == 200
    status, _headers, text = served.request("GET", "/healthz")
    assert (status, text) == (200, "ok\n")
    assert _note(served, refugee, "after the outage") == 302
    reported_done.append("after the outage")

    stored = set(ReferralNote.objects.filter(refugee=refugee).values_list("text", flat=True))
    assert stored == set(reported_done)
