"""One fixture per role (style guide § 10) and a `world` that holds one user of each role.

The reference data (organisations, districts, languages, ...) comes from the data migrations, so the
FWZ and the partners named in the council paper exist in every test database.
"""

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core import serializers
from django.db import transaction
from django.test import Client

from core.checks import OUR_APPS
from core.models import Organisation, OrganisationKind, Role
from tests.factories.core import MembershipFactory


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.LANGUAGE_CODE = "de"
    # PBKDF2's deliberate slowness costs a third of a second per user; tests need no brute-force protection
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # figures are computed afresh in every test (tests/reporting/test_cache.py tests the cache itself)
    settings.REPORT_CACHE_SECONDS = 0


@pytest.fixture
def fwz(db) -> Organisation:
    return Organisation.objects.get(kind=OrganisationKind.FWZ)


@pytest.fixture
def org(db) -> Organisation:
    """The partner organisation most tests act in (gEMiDe)."""
    return Organisation.objects.get(short_name="gEMiDe")


@pytest.fixture
def city(db) -> Organisation:
    return Organisation.objects.get(short_name="Integrationsmanagement")


@pytest.fixture
def coordinator(fwz):
    return MembershipFactory(organisation=fwz, role=Role.COORDINATOR).user


@pytest.fixture
def partner(org):
    return MembershipFactory(organisation=org, role=Role.PARTNER).user


@pytest.fixture
def other_org_partner(db):
    return MembershipFactory(role=Role.PARTNER).user  # the SubFactory makes a second organisation


@pytest.fixture
def referrer(city):
    return MembershipFactory(organisation=city, role=Role.REFERRER).user


@pytest.fixture
def other_referrer(db):
    koordinierungsstelle = Organisation.objects.get(short_name="Koordinierungsstelle")
    return MembershipFactory(organisation=koordinierungsstelle, role=Role.REFERRER).user


@pytest.fixture
def steering(db):
    return MembershipFactory(
        organisation=Organisation.objects.get(short_name="Steuerungsgruppe"), role=Role.STEERING
    ).user


@pytest.fixture
def evaluator(db):
    return MembershipFactory(
        organisation=Organisation.objects.get(short_name="HsH Fakultät V"), role=Role.EVALUATOR
    ).user


@pytest.fixture
def admin_user(fwz):
    return MembershipFactory(organisation=fwz, role=Role.ADMIN).user


@pytest.fixture
def other_org(other_org_partner) -> Organisation:
    return other_org_partner.memberships.get().organisation


@pytest.fixture
def world(
    fwz,
    org,
    city,
    coordinator,
    partner,
    other_org_partner,
    other_org,
    referrer,
    other_referrer,
    steering,
    evaluator,
    admin_user,
) -> SimpleNamespace:
    """Everybody at once, for the permission table: each app's rows add their own objects to it."""
    return SimpleNamespace(
        fwz=fwz,
        org=org,
        city=city,
        other_org=other_org,
        users={
            "coordinator": coordinator,
            "partner": partner,
            "other_partner": other_org_partner,
            "referrer": referrer,
            "other_referrer": other_referrer,
            "steering": steering,
            "evaluator": evaluator,
            "admin": admin_user,
        },
    )


@pytest.fixture(scope="session")
def _reference_data(django_db_setup, django_db_blocker) -> str:
    """Our tables as the migrations left them: organisations, districts, languages, course types, ..."""
    with django_db_blocker.unblock():
        rows = [
            row
            for model in apps.get_models()
            if model._meta.app_label in OUR_APPS
            for row in model._default_manager.order_by("pk")
        ]
        return serializers.serialize("json", rows)


@pytest.fixture
def reference_data(_reference_data, transactional_db) -> None:
    """For transactional tests (browser and concurrency tests): the flush after each of them empties the
    reference tables too, so they are put back first. Django's serialized_rollback cannot be relied on
    here: once Playwright's event loop runs, tests get another connection object than the one the
    serialized copy was stored on, and the restore is silently skipped."""
    if not Organisation.objects.exists():
        with transaction.atomic():
            for row in serializers.deserialize("json", _reference_data):
                row.save()


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def job_queue(reference_data, settings):
    """A transactional test that runs jobs with `tests.jobs.run_jobs`: the queue starts and ends empty
    (procrastinate's tables are not Django models, so the flush after the test leaves them alone)."""
    from tests.jobs import empty_queue

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    empty_queue()
    yield
    empty_queue()
