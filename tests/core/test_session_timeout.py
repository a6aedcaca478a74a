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
