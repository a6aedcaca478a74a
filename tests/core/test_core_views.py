from unittest import mock

import pytest
from django.db import DatabaseError
from django.urls import reverse

from core.models import Organisation, OrganisationKind, OutboxMessage, Role
from tests.factories.core import MembershipFactory
from tests.jobs import run_jobs


def test_healthz_answers_200_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_answers_503_when_the_database_does_not(client, db):
    with mock.patch("core.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert b"database" in response.content


def test_pages_require_login(client, db):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_login_page_is_german_by_default(client, db):
    response = client.get(reverse("login"))
    assert 'lang="de"' in response.text
    assert "Anmelden" in response.text


def test_english_can_be_chosen(client, coordinator):
    client.force_login(coordinator)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Overview" in client.get(reverse("core:home")).text


@pytest.mark.parametrize(
    ("role", "text"),
    [
        (Role.COORDINATOR, "Koordinator"),
        (Role.PARTNER, "Partner"),
        (Role.REFERRER, "Zuweis"),
    ],
)
def test_home_names_role_and_organisation(client, org, role, text):
    user = MembershipFactory(organisation=org, role=role).user
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert text in response.text
    assert org.name in response.text


@pytest.mark.parametrize("role", [Role.STEERING, Role.EVALUATOR])
def test_steering_and_evaluators_land_on_the_dashboard(client, db, role):
    from core.models import Organisation

    user = MembershipFactory(
        organisation=Organisation.objects.get(short_name="Steuerungsgruppe"), role=role
    ).user
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.url == reverse("reporting:dashboard")
    assert client.get(response.url).status_code == 200


def test_admin_lands_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("core:home"))
    assert response.url == reverse("admin:index")
    assert client.get(response.url).status_code == 200


def test_user_without_role_is_told_so(client, django_user_model):
    user = django_user_model.objects.create_user("norole", password="x" * 12)
    client.force_login(user)
    assert "keine Rolle" in client.get(reverse("core:home")).text


def test_repeated_failed_logins_lock_the_account_in_german(client, coordinator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": coordinator.username, "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": coordinator.username, "password": "correct horse battery"}
    )
    assert response.status_code == 429
    assert "gesperrt" in response.text
    assert "_auth_user_id" not in client.session


def test_correct_password_logs_in(client, coordinator):
    response = client.post(
        reverse("login"), {"username": coordinator.username, "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(coordinator.pk)


@pytest.mark.django_db(transaction=True)
def test_password_reset_sends_a_german_mail_through_the_outbox(job_queue, client, mailoutbox):
    coordinator = MembershipFactory(
        organisation=Organisation.objects.get(kind=OrganisationKind.FWZ), role=Role.COORDINATOR
    ).user
    client.post(reverse("password_reset"), {"email": coordinator.email})
    assert not mailoutbox and OutboxMessage.objects.get().to_address == coordinator.email
    run_jobs()
    assert len(mailoutbox) == 1
    assert "Passwort" in mailoutbox[0].subject
    assert "/accounts/reset/" in mailoutbox[0].body


def test_dates_and_numbers_are_german(coordinator):
    import datetime

    from django.template import Context, Template
    from django.utils import translation

    with translation.override("de"):
        out = Template(
            '{% load l10n humanize %}{{ d|date:"SHORT_DATE_FORMAT" }} {{ n|floatformat:"2g" }}'
        ).render(Context({"d": datetime.date(2026, 11, 24), "n": 1234.5}))
    assert out == "24.11.2026 1.234,50"
