import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.context_processors import navigation
from core.models import AuditEntry, Consent, Organisation
from refugees.models import HouseholdMember, ReferralNote, Refugee, RefugeeStatus, ResidenceStatus
from tests.conftest import client_for
from tests.factories.core import district, help_area, language
from tests.factories.refugees import HouseholdMemberFactory, RefugeeFactory, WaitingRefugeeFactory
from tests.refugees.audit_cases import _referral_post

TODAY = timezone.localdate()


def _family(**extra) -> dict:
    """A family of two adults and two children, as the referral form posts it."""
    return _referral_post(
        **{
            "first_name": "Rania",
            "last_name": "Khalil",
            "members-TOTAL_FORMS": "3",
            "members-0-role": "adult",
            "members-0-birth_year": "1984",
            "members-0-first_name": "Tarek",
            "members-1-role": "child",
            "members-1-birth_year": "2014",
            "members-2-role": "child",
            "members-2-birth_year": "2020",
            "consent-interpreter_used": "on",
            "consent-interpreter_language": language("ar").pk,
            "needs": [help_area("kita-school").pk],
            "district": district("linden-limmer").pk,
        }
        | extra
    )


# --- referral -----------------------------------------------------------------------------------


def test_referrer_refers_a_family_to_the_fwz(referrer, fwz, city):
    response = client_for(referrer).post(reverse("refugees:refugee_create"), _family())
    refugee = Refugee.objects.get(last_name="Khalil")
    assert response.status_code == 302
    assert response.url == reverse("refugees:referral_detail", args=[refugee.pk])
    assert refugee.organisation == fwz
    assert (refugee.referred_by, refugee.referring_organisation) == (referrer, city)
    assert (refugee.adults_count, refugee.children_count, refugee.youngest_birth_year) == (2, 2, 2020)
    consent = Consent.objects.get(object_id=refugee.pk)
    assert consent.interpreter_language.code == "ar"
    assert consent.text_version == "2026-01"


def test_coordinator_chooses_the_organisation(coordinator, org):
    client_for(coordinator).post(reverse("refugees:refugee_create"), _family(organisation=org.pk))
    assert Refugee.objects.get(last_name="Khalil").organisation == org


def test_referrer_cannot_choose_the_organisation(referrer, org, fwz):
    client_for(referrer).post(reverse("refugees:refugee_create"), _family(organisation=org.pk))
    assert Refugee.objects.get(last_name="Khalil").organisation == fwz


def test_partner_refers_into_their_own_organisation(partner, org):
    response = client_for(partner).post(reverse("refugees:refugee_create"), _family())
    refugee = Refugee.objects.get(last_name="Khalil")
    assert refugee.organisation == org
    assert response.url == refugee.get_absolute_url()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"first_name": "", "last_name": ""}, "Dieses Feld ist zwingend erforderlich."),
        ({"phone": ""}, "mindestens eine Möglichkeit"),
        ({"consent-consent_given": ""}, "Ohne Einwilligung"),
        ({"members-1-birth_year": "1990"}, "Ein Kind kann nicht vor"),
        ({"members-0-birth_year": "2022"}, "Nach dem Geburtsjahr ist diese Person ein Kind"),
        ({"members-1-birth_year": "zwei"}, "ganze Zahl"),
        ({"consent-interpreter_language": ""}, "Sprache, in die gedolmetscht wurde"),
        ({"consent-given_on": "2099-01-01"}, "nicht in der Zukunft"),
        ({"birth_year": "2024"}, "Geburtsjahr zwischen"),
        ({"languages": []}, "Dieses Feld ist zwingend erforderlich."),
        ({"email": "keine-adresse"}, "gültige E-Mail-Adresse"),
    ],
)
def test_bad_referral_says_why_in_german_and_writes_nothing(referrer, changes, message):
    before = AuditEntry.objects.count()
    response = client_for(referrer).post(reverse("refugees:refugee_create"), _family(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (
        not Refugee.objects.exists() and not HouseholdMember.objects.exists() and not Consent.objects.exists()
    )
    assert AuditEntry.objects.count() == before


def test_referral_form_is_short_and_has_no_sensitive_fields_for_referrers(referrer):
    page = client_for(referrer).get(reverse("refugees:refugee_create")).content.decode()
    assert 'name="residence_status"' not in page and 'name="health_notes"' not in page
    assert 'name="organisation"' not in page and 'name="coordinator"' not in page
    assert "Weitere Person hinzufügen" in page


def test_referral_form_for_coordinators_has_the_sensitive_fields(coordinator):
    page = client_for(coordinator).get(reverse("refugees:refugee_create")).content.decode()
    assert (
        'name="residence_status"' in page and 'name="health_notes"' in page and 'name="organisation"' in page
    )


# --- intake and waiting list -------------------------------------------------------------------


def _intake_post(user, **extra) -> dict:
    return {
        "intake_on": (TODAY - datetime.timedelta(days=3)).isoformat(),
        "intake_by": user.pk,
        "coordinator": user.pk,
        "languages": [language("ar").pk, language("en").pk],
        "german_level": "A2",
        "needs": [help_area("german").pk],
        "pref_volunteer_gender": "female",
        "intake_notes": "Sehr motiviert.",
    } | extra


def test_intake_puts_the_family_on_the_waiting_list(referrer, coordinator):
    client_for(referrer).post(reverse("refugees:refugee_create"), _family())
    Refugee.objects.filter(last_name="Khalil").update(
        referred_at=timezone.now() - datetime.timedelta(days=10)
    )
    refugee = Refugee.objects.get(last_name="Khalil")
    staff = client_for(coordinator)
    assert staff.get(reverse("refugees:refugee_intake", args=[refugee.pk])).status_code == 200
    response = staff.post(reverse("refugees:refugee_intake", args=[refugee.pk]), _intake_post(coordinator))
    assert response.status_code == 302
    refugee.refresh_from_db()
    assert refugee.status == RefugeeStatus.WAITING
    assert refugee.waiting_since == TODAY - datetime.timedelta(days=3)
    assert (refugee.intake_by, refugee.coordinator, refugee.german_level) == (coordinator, coordinator, "A2")
    assert set(refugee.languages.values_list("code", flat=True)) == {"ar", "en"}
    waiting = staff.get(reverse("refugees:refugee_waiting_list")).content.decode()
    assert "Khalil" in waiting
    referral = (
        client_for(referrer).get(reverse("refugees:referral_detail", args=[refugee.pk])).content.decode()
    )
    assert "wartet auf ein Tandem" in referral
    assert coordinator.email in referral


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"intake_on": "2099-01-01"}, "nicht in der Zukunft"),
        ({"intake_on": ""}, "Dieses Feld ist zwingend erforderlich."),
        ({"languages": []}, "Dieses Feld ist zwingend erforderlich."),
        ({"german_level": "D9"}, "Bitte eine gültige Auswahl treffen"),
    ],
)
def test_bad_intake_changes_nothing(coordinator, org, changes, message):
    refugee = RefugeeFactory(organisation=org, referred_at=timezone.now() - datetime.timedelta(days=10))
    response = client_for(coordinator).post(
        reverse("refugees:refugee_intake", args=[refugee.pk]), _intake_post(coordinator, **changes)
    )
    assert response.status_code == 200 and message in response.content.decode()
    refugee.refresh_from_db()
    assert refugee.status == RefugeeStatus.REFERRED and refugee.intake_on is None


def test_intake_before_the_referral_is_refused(coordinator, org):
    refugee = RefugeeFactory(organisation=org)
    response = client_for(coordinator).post(
        reverse("refugees:refugee_intake", args=[refugee.pk]),
        _intake_post(coordinator, intake_on=(TODAY - datetime.timedelta(days=30)).isoformat()),
    )
    assert "nicht vor der Zuweisung" in response.content.decode()


def test_intake_of_a_closed_referral_redirects_with_a_message(coordinator, org):
    refugee = RefugeeFactory(organisation=org, status=RefugeeStatus.IN_TANDEM)
    response = client_for(coordinator).get(reverse("refugees:refugee_intake", args=[refugee.pk]), follow=True)
    assert "bevor die Person in einem Tandem ist" in response.content.decode()


def test_waiting_list_longest_first_with_the_median(coordinator, org):
    for name, days in (("Erst", 5), ("Lang", 90), ("Mittel", 30)):
        WaitingRefugeeFactory(
            organisation=org, last_name=name, waiting_since=TODAY - datetime.timedelta(days=days)
        )
    RefugeeFactory(organisation=org, last_name="Neu")
    response = client_for(coordinator).get(reverse("refugees:refugee_waiting_list"))
    assert [r.last_name for r in response.context["rows"]] == ["Lang", "Mittel", "Erst"]
    assert response.context["median_days"] == 30.0
    assert "30 Tage" in response.content.decode()


def test_waiting_list_median_follows_the_filter(coordinator, org):
    WaitingRefugeeFactory(
        organisation=org, district=district("nord"), waiting_since=TODAY - datetime.timedelta(days=8)
    )
    WaitingRefugeeFactory(
        organisation=org, district=district("mitte"), waiting_since=TODAY - datetime.timedelta(days=80)
    )
    response = client_for(coordinator).get(
        reverse("refugees:refugee_waiting_list"), {"district": district("nord").pk}
    )
    assert response.context["median_days"] == 8.0


# --- close, edit, notes ------------------------------------------------------------------------


def test_close_needs_a_reason(coordinator, org):
    refugee = WaitingRefugeeFactory(organisation=org)
    url = reverse("refugees:refugee_close", args=[refugee.pk])
    response = client_for(coordinator).post(url, {"reason": ""})
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    refugee.refresh_from_db()
    assert refugee.status == RefugeeStatus.WAITING
    client_for(coordinator).post(url, {"reason": "moved", "note": "nach Köln"})
    refugee.refresh_from_db()
    assert (refugee.status, refugee.close_reason, refugee.close_note) == ("closed", "moved", "nach Köln")


def test_edit_changes_the_household_through_the_formset(coordinator, org):
    refugee = RefugeeFactory(organisation=org, phone="0511 1")
    keep = HouseholdMemberFactory(refugee=refugee, role="child", birth_year=2016)
    gone = HouseholdMemberFactory(refugee=refugee, role="child", birth_year=2018)
    post = _referral_post(first_name=refugee.first_name, last_name=refugee.last_name, organisation=org.pk)
    post |= {
        "members-TOTAL_FORMS": "3",
        "members-INITIAL_FORMS": "2",
        "members-0-id": keep.pk,
        "members-0-refugee": refugee.pk,
        "members-0-role": "child",
        "members-0-birth_year": "2016",
        "members-0-gender": "unspecified",
        "members-1-id": gone.pk,
        "members-1-refugee": refugee.pk,
        "members-1-role": "child",
        "members-1-birth_year": "2018",
        "members-1-gender": "unspecified",
        "members-1-DELETE": "on",
        "members-2-role": "adult",
        "members-2-birth_year": "1970",
        "members-2-gender": "female",
    }
    response = client_for(coordinator).post(reverse("refugees:refugee_edit", args=[refugee.pk]), post)
    assert response.status_code == 302, response.content.decode()[:2000]
    refugee.refresh_from_db()
    assert sorted(refugee.members.values_list("birth_year", flat=True)) == [1970, 2016]
    assert (refugee.adults_count, refugee.children_count) == (2, 1)
    assert AuditEntry.objects.filter(
        action="refugees.householdmember.deleted", object_id=str(gone.pk)
    ).exists()


def test_partner_cannot_write_sensitive_fields(partner, org):
    refugee = RefugeeFactory(organisation=org)
    status = ResidenceStatus.objects.get(code="duldung")
    post = _referral_post(first_name="A", last_name="B") | {
        "residence_status": status.pk,
        "health_notes": "X",
        "members-TOTAL_FORMS": "0",
    }
    assert (
        client_for(partner).post(reverse("refugees:refugee_edit", args=[refugee.pk]), post).status_code == 302
    )
    refugee.refresh_from_db()
    assert refugee.residence_status is None and refugee.health_notes == ""


def test_referrer_adds_a_note_to_their_referral(referrer):
    client_for(referrer).post(reverse("refugees:refugee_create"), _family())
    refugee = Refugee.objects.get(last_name="Khalil")
    response = client_for(referrer).post(
        reverse("refugees:referral_note_add", args=[refugee.pk]),
        {"text": "Familie ist umgezogen."},
        follow=True,
    )
    assert "Familie ist umgezogen." in response.content.decode()
    assert ReferralNote.objects.get(refugee=refugee).author == referrer


def test_empty_note_says_so_and_writes_nothing(referrer):
    client_for(referrer).post(reverse("refugees:refugee_create"), _family())
    refugee = Refugee.objects.get(last_name="Khalil")
    response = client_for(referrer).post(
        reverse("refugees:referral_note_add", args=[refugee.pk]), {"text": "  "}
    )
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert not ReferralNote.objects.exists()


# --- scope: referrers, partners, sensitive fields ----------------------------------------------


def test_referrer_cannot_reach_another_referrers_referral(referrer, other_referrer, fwz):
    theirs = RefugeeFactory(organisation=fwz, referred_by=other_referrer, last_name="Fremd")
    client = client_for(referrer)
    assert client.get(reverse("refugees:referral_detail", args=[theirs.pk])).status_code == 404
    assert (
        client.post(reverse("refugees:referral_note_add", args=[theirs.pk]), {"text": "x"}).status_code == 404
    )
    assert client.get(reverse("refugees:refugee_detail", args=[theirs.pk])).status_code == 403
    assert "Fremd" not in client.get(reverse("refugees:referral_list")).content.decode()
    assert not ReferralNote.objects.exists()


def test_referrer_sees_state_and_coordinator_but_not_sensitive_or_internal_data(referrer, coordinator, fwz):
    refugee = WaitingRefugeeFactory(
        organisation=fwz,
        referred_by=referrer,
        coordinator=coordinator,
        residence_status=ResidenceStatus.objects.get(code="duldung"),
        health_notes="Schwanger",
        intake_notes="intern: schwierig",
    )
    page = client_for(referrer).get(reverse("refugees:referral_detail", args=[refugee.pk])).content.decode()
    assert "wartet auf ein Tandem" in page
    assert str(coordinator) in page and coordinator.email in page
    for hidden in ("Duldung", "Schwanger", "intern: schwierig", "Verlauf"):
        assert hidden not in page


def test_partner_never_sees_sensitive_fields(partner, coordinator, org):
    refugee = RefugeeFactory(
        organisation=org, residence_status=ResidenceStatus.objects.get(code="duldung"), health_notes="Asthma"
    )
    from refugees.services import refugee_update

    refugee_update(
        refugee=refugee,
        actor=coordinator,
        data={"residence_status": ResidenceStatus.objects.get(code="gestattung")},
    )
    client = client_for(partner)
    detail = client.get(reverse("refugees:refugee_detail", args=[refugee.pk])).content.decode()
    edit = client.get(reverse("refugees:refugee_edit", args=[refugee.pk])).content.decode()
    intake = client.get(reverse("refugees:refugee_intake", args=[refugee.pk])).content.decode()
    for page in (detail, edit, intake):
        assert "Duldung" not in page and "Aufenthaltsgestattung" not in page and "Asthma" not in page
        assert 'name="residence_status"' not in page
    assert "Verlauf" in detail, "the history is shown, without the values of sensitive fields"
    coordinator_page = client_for(coordinator).get(reverse("refugees:refugee_detail", args=[refugee.pk]))
    assert "Aufenthaltsgestattung" in coordinator_page.content.decode()
    assert "Asthma" in coordinator_page.content.decode()


def test_partner_sees_only_their_organisation(partner, org, other_org):
    RefugeeFactory(organisation=org, last_name="Eigen")
    RefugeeFactory(organisation=other_org, last_name="Fremd")
    page = client_for(partner).get(reverse("refugees:refugee_list")).content.decode()
    assert "Eigen" in page and "Fremd" not in page


def test_referral_list_shows_only_own_referrals(referrer, other_referrer, fwz):
    RefugeeFactory(organisation=fwz, referred_by=referrer, last_name="Meine")
    RefugeeFactory(organisation=fwz, referred_by=other_referrer, last_name="Andere")
    RefugeeFactory(organisation=fwz, last_name="Niemand")
    rows = client_for(referrer).get(reverse("refugees:referral_list")).context["rows"]
    assert [r.last_name for r in rows] == ["Meine"]


# --- list: filters, export, queries --------------------------------------------------------------


def _names(response) -> set[str]:
    return {r.last_name for r in response.context["rows"]}


def test_list_filters(coordinator, org, fwz):
    family = RefugeeFactory(organisation=org, last_name="Familie", children_count=2, german_level="B1")
    family.languages.add(language("fa"))
    family.needs.add(help_area("sports"))
    RefugeeFactory(organisation=fwz, last_name="Allein", email="allein@example.org")
    WaitingRefugeeFactory(
        organisation=fwz, last_name="Lange", waiting_since=TODAY - datetime.timedelta(days=100)
    )
    WaitingRefugeeFactory(
        organisation=fwz, last_name="Kurz", waiting_since=TODAY - datetime.timedelta(days=3)
    )
    client = client_for(coordinator)
    url = reverse("refugees:refugee_list")
    assert _names(client.get(url, {"with_children": "true"})) == {"Familie"}
    assert _names(client.get(url, {"language": language("fa").pk})) == {"Familie"}
    assert _names(client.get(url, {"need": help_area("sports").pk})) == {"Familie"}
    assert _names(client.get(url, {"german_level": "B1"})) == {"Familie"}
    assert _names(client.get(url, {"organisation": org.pk})) == {"Familie"}
    assert _names(client.get(url, {"q": "allein@"})) == {"Allein"}
    assert _names(client.get(url, {"q": "allein@example.org"})) == {"Allein"}
    assert _names(client.get(url, {"q": "LANG"})) == {"Lange"}
    assert _names(client.get(url, {"waiting_more_than": "30"})) == {"Lange"}
    assert _names(client.get(url, {"status": "waiting"})) == {"Lange", "Kurz"}
    bad = client.get(url, {"waiting_more_than": "viele"})
    assert bad.status_code == 200 and _names(bad) == set()
    assert "Bitte eine Zahl eingeben." in bad.content.decode()


def test_list_sorts(coordinator, fwz):
    for name in ("Berg", "Adler", "Cem"):
        RefugeeFactory(organisation=fwz, last_name=name)
    rows = client_for(coordinator).get(reverse("refugees:refugee_list"), {"sort": "-name"}).context["rows"]
    assert [r.last_name for r in rows] == ["Cem", "Berg", "Adler"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_has_the_filtered_rows_and_never_the_sensitive_fields(coordinator, fwz, fmt):
    status = ResidenceStatus.objects.get(code="duldung")
    RefugeeFactory(organisation=fwz, last_name="Export", residence_status=status, health_notes="Asthma")
    RefugeeFactory(
        organisation=fwz, last_name="Anders", status=RefugeeStatus.CLOSED, closed_at=timezone.now()
    )
    response = client_for(coordinator).get(
        reverse("refugees:refugee_list"), {"format": fmt, "status": "referred"}
    )
    if fmt == "csv":
        text = b"".join(response.streaming_content).decode("utf-8")
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    else:
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = [[str(c) if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    header, body = rows[0], rows[1:]
    flat = " ".join(" ".join(r) for r in rows)
    assert [r[1] for r in body] == ["Export"]
    assert "Duldung" not in flat and "Asthma" not in flat
    assert not any("Aufenthalt" in h or "Gesundheit" in h for h in header)


def test_list_query_count_does_not_grow_with_rows(coordinator, fwz, django_assert_max_num_queries):
    client = client_for(coordinator)
    url = reverse("refugees:refugee_list")
    client.get(url)  # session and memberships warmed up like any request
    counts = []
    for size in (5, 40):
        for refugee in RefugeeFactory.create_batch(size - Refugee.objects.count(), organisation=fwz):
            refugee.languages.add(language("ar"))
            HouseholdMemberFactory(refugee=refugee)
        with django_assert_max_num_queries(8) as captured:
            assert client.get(url, {"page": 1}).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_waiting_list_query_count_does_not_grow_with_rows(coordinator, fwz, django_assert_max_num_queries):
    client = client_for(coordinator)
    url = reverse("refugees:refugee_waiting_list")
    client.get(url)  # the first request of a session writes it (and sets the reference-data version)
    counts = []
    for size in (5, 40):
        WaitingRefugeeFactory.create_batch(size - Refugee.objects.count(), organisation=fwz)
        with django_assert_max_num_queries(8) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_htmx_filter_returns_the_table_fragment(coordinator, fwz):
    RefugeeFactory(organisation=fwz, last_name="Fragment")
    response = client_for(coordinator).get(reverse("refugees:refugee_list"), headers={"HX-Request": "true"})
    assert "Fragment" in response.content.decode() and "<h1" not in response.content.decode()


# --- navigation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("coordinator", {"Geflüchtete", "Warteliste", "Person zuweisen"}),
        ("partner", {"Geflüchtete", "Warteliste", "Person zuweisen"}),
        ("referrer", {"Person zuweisen", "Meine Zuweisungen"}),
        ("steering", set()),
    ],
)
def test_navigation_by_role(db, request, rf, role, expected):
    http = rf.get("/")
    http.user = request.getfixturevalue(role)
    labels = {str(item["label"]) for item in navigation(http)["nav_items"]}
    ours = {"Geflüchtete", "Warteliste", "Person zuweisen", "Meine Zuweisungen"}
    assert labels & ours == expected


def test_organisation_filter_choices_are_scoped(partner, org):
    response = client_for(partner).get(reverse("refugees:refugee_list"))
    choices = list(response.context["filter"].form.fields["organisation"].queryset)
    assert choices == [org]
    assert Organisation.objects.count() > 1


def test_reading_sensitive_fields_is_logged(client, coordinator, org):
    from core.models import AuditEntry
    from refugees.models import ResidenceStatus
    from tests.factories.refugees import RefugeeFactory

    refugee = RefugeeFactory(
        organisation=org, health_notes="Asthma", residence_status=ResidenceStatus.objects.get(code="duldung")
    )
    client.force_login(coordinator)
    assert client.get(refugee.get_absolute_url()).status_code == 200
    entry = AuditEntry.objects.get(action="core.sensitive.viewed", object_id=str(refugee.pk))
    assert entry.actor == coordinator
    assert entry.changes == {"fields": [None, "health_notes, residence_status"]}


def test_partner_reading_the_record_logs_nothing_sensitive(client, partner, org):
    from core.models import AuditEntry
    from tests.factories.refugees import RefugeeFactory

    refugee = RefugeeFactory(organisation=org, health_notes="Asthma")
    client.force_login(partner)
    response = client.get(refugee.get_absolute_url())
    assert "Asthma" not in response.text
    assert not AuditEntry.objects.filter(action="core.sensitive.viewed").exists()
