"""The history of a record reads as German sentences: labels registered by the apps, field labels, choice
labels and the names of related records; protected fields only when they did change."""

import re
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import override

from core.checks import OUR_APPS
from core.history import history_present, present
from core.models import AuditEntry
from core.registry import audit_label
from refugees.services import refugee_create, refugee_update
from tests.factories.core import language
from tests.factories.volunteers import VolunteerFactory
from tests.test_audit_coverage import CASES
from volunteers.models import Volunteer, VolunteerStatus
from volunteers.services import volunteer_status_change, volunteer_update

ROOT = Path(__file__).resolve().parents[2]
APPS = "|".join(OUR_APPS)
CODE = re.compile(rf"""["']((?:{APPS})\.[a-z]+\.[a-z_]+)["']""")
VERB = re.compile(r"""verb="([a-z_]+)\"""")
NOT_AUDIT_CODES = {"volunteers.signup.confirm"}  # the salt of the sign-up link's signature


def _text(response) -> str:
    """The page as a reader sees it: tags gone, whitespace collapsed."""
    return " ".join(strip_tags(response.content.decode()).split())


def _codes_in_source() -> set[str]:
    codes = set()
    for app in OUR_APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            codes |= set(CODE.findall(text))
            if path == ROOT / "tandems" / "services.py":  # the transitions write tandems.tandem.<verb>
                codes |= {f"tandems.tandem.{verb}" for verb in VERB.findall(text)}
    return codes - NOT_AUDIT_CODES


def test_every_action_code_in_the_source_has_a_label():
    codes = _codes_in_source()
    assert len(codes) > 40, "the search finds the codes"
    assert {code for code in codes if audit_label(code) is None} == set()


@pytest.mark.parametrize("label", sorted(CASES))
def test_every_action_code_the_audit_cases_write_has_a_label(label, world):
    CASES[label](world)
    written = set(AuditEntry.objects.values_list("action", flat=True))
    assert written
    assert {code for code in written if audit_label(code) is None} == set()


@pytest.mark.django_db
def test_an_unknown_code_reads_as_a_generic_sentence():
    volunteer = VolunteerFactory()
    entry = AuditEntry.objects.create(
        action="volunteers.volunteer.teleported",
        content_type=ContentType.objects.get_for_model(Volunteer),
        object_id=str(volunteer.pk),
        changes={"status": ["registered", "trained"], "gone": [None, 1]},
    )
    with override("de"):
        shown = present(entry)
    assert shown.sentence == "Ehrenamtliche*r: teleported"
    assert [(c.label, c.old, c.new) for c in shown.changes] == [
        ("Status", "angemeldet", "geschult"),
        ("Gone", "–", "1"),
    ]


@pytest.mark.django_db
def test_an_anonymisation_names_the_fields_whose_content_was_removed():
    volunteer = VolunteerFactory()
    entry = AuditEntry.objects.create(
        action="core.person.anonymised",
        content_type=ContentType.objects.get_for_model(Volunteer),
        object_id=str(volunteer.pk),
        changes={"phone": ["***", None]},
    )
    with override("de"):
        shown = present(entry)
    assert shown.sentence == "Personenbezogene Daten anonymisiert"
    assert [(c.label, c.old, c.new) for c in shown.changes] == [("Telefon", None, "Inhalt entfernt")]


@pytest.mark.django_db
def test_volunteer_history_after_a_status_change_reads_in_german(client, coordinator):
    volunteer = VolunteerFactory(status=VolunteerStatus.REGISTERED)
    volunteer_status_change(volunteer=volunteer, status=VolunteerStatus.EMAIL_CONFIRMED, actor=coordinator)
    client.force_login(coordinator)
    text = _text(client.get(reverse("volunteers:volunteer_detail", args=[volunteer.pk])))
    assert "Status geändert: angemeldet → E-Mail bestätigt" in text
    assert "volunteers.volunteer.status_changed" not in text


@pytest.mark.django_db
def test_volunteer_history_names_languages_with_their_levels(client, coordinator):
    volunteer = VolunteerFactory()
    volunteer_update(
        volunteer=volunteer,
        data={"pref_gender": "female", "available_weekdays": [0, 2]},
        actor=coordinator,
        languages=[(language("ar"), "good"), (language("fa"), "native")],
    )
    client.force_login(coordinator)
    text = _text(client.get(reverse("volunteers:volunteer_detail", args=[volunteer.pk])))
    assert "Angaben geändert" in text
    assert "Arabisch (gut), Persisch (Farsi) (Muttersprache)" in text
    assert "Verfügbar an: – → Montag, Mittwoch" in text
    assert "ar:good" not in text
    assert "pref_gender" not in text


@pytest.mark.django_db
def test_refugee_history_without_health_notes_shows_no_protected_change(client, coordinator, fwz):
    refugee = refugee_create(
        actor=coordinator,
        organisation=fwz,
        data={"first_name": "Amal", "last_name": "Haddad", "phone": "0511 123"},
    )
    refugee_update(refugee=refugee, actor=coordinator, data={"phone": "0511 456", "health_notes": ""})
    entries = AuditEntry.objects.filter(object_id=str(refugee.pk), action__startswith="refugees.refugee")
    assert all("health_notes" not in e.changes for e in entries)
    client.force_login(coordinator)
    text = _text(client.get(reverse("refugees:refugee_detail", args=[refugee.pk])))
    assert "Vermittlung erfasst" in text
    assert "Telefon: 0511 123 → 0511 456" in text
    assert "Inhalt geschützt" not in text
    assert "***" not in text


@pytest.mark.django_db
def test_a_changed_health_note_is_named_without_its_content(client, coordinator, fwz):
    refugee = refugee_create(actor=coordinator, organisation=fwz, data={"first_name": "A", "last_name": "B"})
    refugee_update(refugee=refugee, actor=coordinator, data={"health_notes": "Diabetes"})
    client.force_login(coordinator)
    text = _text(client.get(reverse("refugees:refugee_detail", args=[refugee.pk])))
    assert "Hinweise zu Gesundheit und Familie: geändert (Inhalt geschützt)" in text
    assert "Diabetes" not in text.split("Verlauf")[-1]


@pytest.mark.django_db
def test_the_history_reads_reference_data_once(coordinator, django_assert_max_num_queries):
    volunteer = VolunteerFactory()
    for code in ("ar", "fa", "uk", "tr"):
        volunteer_update(
            volunteer=volunteer, data={}, actor=coordinator, languages=[(language(code), "good")]
        )
    entries = list(AuditEntry.objects.filter(object_id=str(volunteer.pk)))
    assert len(entries) >= 4
    history_present(entries[:1])
    with django_assert_max_num_queries(1):
        history_present(entries)


@pytest.mark.django_db
def test_tandem_history_names_the_people_of_a_handover(client, coordinator, partner, org):
    from tandems.services import tandems_hand_over
    from tests.factories.tandems import ActiveTandemFactory

    tandem = ActiveTandemFactory(organisation=org, coordinator=partner)
    tandems_hand_over(tandems=[tandem], to_coordinator=coordinator, actor=partner)
    client.force_login(coordinator)
    text = _text(client.get(reverse("tandems:tandem_detail", args=[tandem.pk])))
    assert f"Übergeben: {partner} → {coordinator}" in text


@pytest.mark.django_db
def test_a_first_value_joined_to_the_sentence_shows_the_new_value_only(coordinator):
    import datetime

    from volunteers.services import volunteer_trained_record

    volunteer = VolunteerFactory(status=VolunteerStatus.CLEARED, trained_on=None)
    volunteer_trained_record(volunteer=volunteer, trained_on=datetime.date(2026, 3, 2), actor=coordinator)
    entry = AuditEntry.objects.get(object_id=str(volunteer.pk), action="volunteers.volunteer.trained")
    with override("de"):
        assert present(entry).sentence == "Grundschulung erfasst: 02.03.2026"
