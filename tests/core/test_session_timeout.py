"""The idle session warning: the page tells the script when the session ends, the keep-alive renews it."""

from django.urls import reverse


def test_pages_carry_the_timeout_for_the_warning_script(client, coordinator, settings):
    client.force_login(coordinator)
    text = client.get(reverse("core:home")).text
    assert f'data-session-timeout="{settings.SESSION_COOKIE_AGE}"' in text
    assert 'data-session-warning="120"' in text
    assert f'data-keepalive-url="{reverse("core:session_keepalive")}"' in text
    assert 'id="session-timeout-warning"' in text and "Angemeldet bleiben" in text
    assert "js/session-timeout.js" in text
    assert "<script>" not in text, "no inline script (ready for a Content-Security-Policy)"


def test_login_page_has_no_timeout(client, db):
    text = client.get(reverse("login")).text
    assert "data-session-timeout" not in text and "session-timeout-warning" not in text


def test_keepalive_renews_the_session(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("core:session_keepalive"))
    assert response.status_code == 204
    assert "sessionid" in response.cookies, "the session cookie is sent again with a new expiry"
    assert "no-cache" in response["Cache-Control"]


def _session_writes(captured) -> int:
    return sum(
        1
        for q in captured.captured_queries
        if q["sql"].startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"]
    )


def _stored_end(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).expire_date


def _move_end(client, end):
    """Time travel: the session was last renewed as if at end - SESSION_COOKIE_AGE."""
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore(session_key=client.session.session_key)
    store.set_expiry(end)
    store.save()


def test_requests_within_a_minute_write_the_session_at_most_once(client, coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as captured:
        for _ in range(5):
            assert client.get(reverse("core:home")).status_code == 200
    assert _session_writes(captured) <= 1


def test_session_is_renewed_once_its_end_falls_a_minute_behind(client, coordinator, settings):
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    client.force_login(coordinator)
    client.get(reverse("core:home"))
    age = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    _move_end(client, timezone.now() + age - datetime.timedelta(seconds=30))
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("core:home"))
    assert _session_writes(captured) == 0, "renewed 30 s ago: no write"
    _move_end(client, timezone.now() + age - datetime.timedelta(seconds=90))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("core:home"))
    assert _session_writes(captured) == 1
    assert abs(_stored_end(client) - (timezone.now() + age)) < datetime.timedelta(seconds=5)
    assert response.cookies["sessionid"]["max-age"] > settings.SESSION_COOKIE_AGE - 5


def test_session_stays_alive_while_requests_keep_coming(client, coordinator, settings):
    import datetime

    from django.utils import timezone

    client.force_login(coordinator)
    age = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    for _ in range(8):  # a request every ten minutes for 80 minutes: each finds its end 10 minutes behind
        _move_end(client, timezone.now() + age - datetime.timedelta(minutes=10))
        assert client.get(reverse("core:home")).status_code == 200
        assert _stored_end(client) > timezone.now() + age - datetime.timedelta(seconds=5)


def test_session_ends_after_the_idle_timeout(client, coordinator):
    import datetime

    from django.utils import timezone

    client.force_login(coordinator)
    client.get(reverse("core:home"))
    _move_end(client, timezone.now() - datetime.timedelta(seconds=1))  # last request 30 minutes ago
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_keepalive_always_writes_and_a_gone_session_is_not_recreated(client, coordinator):
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(coordinator)
    client.get(reverse("core:home"))
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("core:session_keepalive"))
    assert _session_writes(captured) == 1
    Session.objects.all().delete()
    client.get(reverse("login"))
    assert not Session.objects.exists()
