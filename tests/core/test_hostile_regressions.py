"""The bugs the hostile-input rows (tests/*/hostile_rows.py) found, each as a plain test."""

from django.contrib.messages import get_messages
from django.urls import reverse

from tests.conftest import client_for
from tests.factories.refugees import RefugeeFactory
from tests.factories.trainings import SessionFactory
from tests.factories.volunteers import VolunteerFactory
from trainings.models import Registration
from volunteers.importing import check_rows


def test_a_next_that_is_no_path_leads_to_the_session_list(coordinator):
    # redirect() takes a bare word for a URL name: "null" used to end in NoReverseMatch, a 500
    response = client_for(coordinator).post(reverse("trainings:calendar_token_regenerate"), {"next": "null"})
    assert response.status_code == 302
    assert response["Location"] == reverse("trainings:session_list")


def test_a_next_that_is_a_path_is_still_followed(coordinator):
    response = client_for(coordinator).post(
        reverse("trainings:calendar_token_regenerate"), {"next": "/trainings/?when=past"}
    )
    assert response["Location"] == "/trainings/?when=past"


def test_twofactor_verify_ignores_a_next_that_is_no_path(coordinator):
    response = client_for(coordinator).get(reverse("core:twofactor_verify") + "?next=NaN")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_superscript_digit_is_no_volunteer_id(coordinator, org):
    # "²".isdigit() is true but int("²") raises: both used to answer 500
    session = SessionFactory(organisation=org)
    client = client_for(coordinator)
    response = client.post(reverse("trainings:registration_create", args=[session.pk]), {"volunteer": "²"})
    assert response.status_code == 302
    assert "Wählen Sie" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    response = client.post(reverse("trainings:session_register", args=[session.pk]), {"volunteers": ["²"]})
    assert response.status_code == 302
    assert "Auswahl" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert not Registration.objects.filter(session=session).exists()


def test_the_import_refuses_superscript_hours(org, partner):
    (result,) = check_rows(
        headers=["Vorname", "Nachname", "Stunden"],
        rows=[["Anna", "Berg", "²"]],
        mapping={"first_name": 0, "last_name": 1, "hours_per_month": 2},
        organisation=org,
        user=partner,
    )
    assert any("keine Anzahl" in str(error) or "²" in str(error) for error in result.errors)


def test_a_forged_household_count_builds_no_thousand_forms(coordinator, org):
    refugee = RefugeeFactory(organisation=org)
    response = client_for(coordinator).post(
        reverse("refugees:refugee_edit", args=[refugee.pk]),
        {"members-TOTAL_FORMS": "1000", "members-INITIAL_FORMS": "0", "first_name": "Anna"},
    )
    assert response.status_code == 200
    assert len(response.context["household"].forms) <= 20
    assert "höchstens 20" in response.content.decode()


def test_a_forged_language_count_builds_no_thousand_forms(coordinator, org):
    volunteer = VolunteerFactory(organisation=org)
    response = client_for(coordinator).post(
        reverse("volunteers:volunteer_edit", args=[volunteer.pk]),
        {"languages-TOTAL_FORMS": "1000", "languages-INITIAL_FORMS": "0", "first_name": "Anna"},
    )
    assert response.status_code == 200
    assert len(response.context["formset"].forms) <= 12
