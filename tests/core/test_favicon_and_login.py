"""Every page links a favicon, /favicon.ico answers (no 404 in the log), the login page links the sign-up."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.urls import reverse


def test_pages_link_the_favicon(client, db):
    text = client.get(reverse("login")).text
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in text
    assert finders.find("favicon.svg")


def test_favicon_ico_redirects_to_the_icon_without_login(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response.url == "/static/favicon.svg"


def test_favicon_ico_redirects_signed_in_users_too(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/favicon.ico")
    assert (response.status_code, response.url) == (302, "/static/favicon.svg")
    assert "<svg" in Path(finders.find("favicon.svg")).read_text(encoding="utf-8")


def test_login_page_links_the_public_signup(client, db):
    text = client.get(reverse("login")).text
    assert f'<a href="{reverse("signup:signup_form")}">Pate werden</a>' in text
