"""The start page is the day's work: each queue shows its rows when their condition holds and not
otherwise, scoped as every list ("mine" by default, "all" on request), in a fixed number of queries."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core.home import home_sections
from core.models import Role
from refugees.models import Refugee
from tandems.models import HelpRequest
from tests.factories.core import MembershipFactory
from tests.factories.refugees import RefugeeFactory, WaitingRefugeeFactory
from tests.factories.tandems import ActiveTandemFactory, CheckInFactory, TandemFactory
from tests.factories.trainings import SessionFactory
from tests.factories.volunteers import ReadyVolunteerFactory, VolunteerFactory
from volunteers.models import ErasureRequest

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def section(html: str, key: str) -> str:
    """The HTML of one section of the start page ('' when the page has no such section)."""
    found = re.search(rf'<section[^>]*id="home-{key}".*?</section>', html, re.S)
    return found.group(0) if found else ""


def home(client, user, scope: str | None = None) -> str:
    client.force_login(user)
    response = client.get(reverse("core:home"), {"scope": scope} if scope else {})
    assert response.status_code == 200
    return response.text


# each section: a builder of a row that belongs in it (held=True) or just misses its condition (held=False);
# the builder returns the name shown and the URL of the row's action
def _due(org, user, held):
    tandem = ActiveTandemFactory(organisation=org, coordinator=user, volunteer__last_name="Quendt")
    CheckInFactory(tandem=tandem, held_on=None, planned_on=TODAY if held else TODAY + DAY)
    return "Quendt", reverse("tandems:checkin_create", args=[tandem.pk])


def _at_risk(org, user, held):
    tandem = ActiveTandemFactory(organisation=org, coordinator=user, volunteer__last_name="Quendt")
    CheckInFactory(tandem=tandem, mood="red" if held else "green")
    return "Quendt", reverse("tandems:checkin_create", args=[tandem.pk])


def _silent(org, user, held):
    # started 45 days ago: without a check-in longer than the 42 days the cadence allows
    tandem = ActiveTandemFactory(organisation=org, coordinator=user, volunteer__last_name="Quendt")
    if not held:
        CheckInFactory(tandem=tandem)
    return "Quendt", reverse("tandems:checkin_create", args=[tandem.pk])


def _signup(org, user, held):
    volunteer = VolunteerFactory(
        organisation=org,
        last_name="Quendt",
        signed_up_at=timezone.now(),
        status="registered" if held else "interview_done",
    )
    return "Quendt", reverse("volunteers:interview_create", args=[volunteer.pk])


def _referral(org, user, held):
    refugee = RefugeeFactory(
        organisation=org, last_name="Quendt", status="referred" if held else "intake_done"
    )
    return "Quendt", reverse("refugees:refugee_intake", args=[refugee.pk])


def _waiting(org, user, held):
    refugee = WaitingRefugeeFactory(organisation=org, last_name="Quendt")
    if not held:
        refugee.status = "in_tandem"
        refugee.save()
    return "Quendt", reverse("tandems:tandem_suggest") + f"?refugee={refugee.pk}"


def _clearance(org, user, held):
    volunteer = ReadyVolunteerFactory(
        organisation=org,
        last_name="Quendt",
        clearance_valid_until=TODAY + datetime.timedelta(days=30 if held else 90),
    )
    return "Quendt", reverse("volunteers:clearance_create", args=[volunteer.pk])


def _unmatched(org, user, held):
    volunteer = ReadyVolunteerFactory(organisation=org, last_name="Quendt")
    if not held:
        TandemFactory(organisation=org, volunteer=volunteer)
    return "Quendt", reverse("tandems:tandem_suggest") + f"?volunteer={volunteer.pk}"


def _session(org, user, held):
    starts = timezone.now() + datetime.timedelta(days=2 if held else 14)
    session = SessionFactory(organisation=org, starts_at=starts, ends_at=starts + datetime.timedelta(hours=3))
    return str(session.course_type), reverse("trainings:session_register", args=[session.pk])


def _help(org, user, held):
    tandem = ActiveTandemFactory(organisation=org, coordinator=user, volunteer__last_name="Quendt")
    HelpRequest.objects.create(
        tandem=tandem, by="household", handled_at=None if held else timezone.now(), handled_by=None
    )
    return "Quendt", reverse("tandems:tandem_detail", args=[tandem.pk]) + "#help-heading"


def _erasure(org, user, held):
    volunteer = VolunteerFactory(organisation=org, last_name="Quendt")
    ErasureRequest.objects.create(volunteer=volunteer)
    if not held:
        volunteer.anonymised_at = timezone.now()
        volunteer.save(update_fields=["anonymised_at"])
    return "Quendt", reverse("core:privacy_erase", args=["volunteers", "volunteer", volunteer.pk])


SECTIONS = {
    "help-requests": _help,
    "erasure-requests": _erasure,
    "checkins-due": _due,
    "tandems-at-risk": _at_risk,
    "tandems-without-contact": _silent,
    "signups": _signup,
    "referrals": _referral,
    "waiting-longest": _waiting,
    "clearances-expiring": _clearance,
    "volunteers-trained-unmatched": _unmatched,
    "sessions-free-places": _session,
}


def test_every_registered_section_is_tested(db):
    assert {s.key for s in home_sections()} == set(SECTIONS)


@pytest.mark.parametrize("key", SECTIONS)
def test_section_shows_a_row_when_its_condition_holds(client, coordinator, fwz, key):
    name, action = SECTIONS[key](fwz, coordinator, True)
    html = section(home(client, coordinator), key)
    assert name in html
    assert f'href="{action}"'.replace("&", "&amp;") in html
    assert '<span class="badge text-bg-primary">1</span>' in html


@pytest.mark.parametrize("key", SECTIONS)
def test_section_reads_well_when_nothing_waits(client, coordinator, fwz, key):
    name, _action = SECTIONS[key](fwz, coordinator, False)
    html = section(home(client, coordinator), key)
    assert html, "the section is shown even when empty"
    assert name not in html
    assert "<table" not in html
    empty = next(s.empty for s in home_sections() if s.key == key)
    assert str(empty) in html


def test_checkins_due_says_nothing_due_in_german(client, coordinator):
    assert "Nichts fällig." in section(home(client, coordinator), "checkins-due")


def test_at_risk_row_gives_the_reason(client, coordinator, fwz):
    _at_risk(fwz, coordinator, True)
    assert "der letzte Kontakt war rot" in section(home(client, coordinator), "tandems-at-risk")


@pytest.mark.parametrize("key", SECTIONS)
def test_mine_leaves_out_others_rows_and_all_shows_them(client, coordinator, fwz, org, key):
    """Mine: tandems I coordinate; people assigned to me (or to nobody yet in my organisation); the
    volunteers and trainings of my own organisation. A colleague's or another organisation's row waits
    behind "all"."""
    colleague = MembershipFactory(organisation=fwz, role=Role.COORDINATOR).user
    if key in {"help-requests", "checkins-due", "tandems-at-risk", "tandems-without-contact"}:
        name, _action = SECTIONS[key](fwz, colleague, True)
    elif key in {"referrals", "waiting-longest"}:
        name, _action = SECTIONS[key](fwz, colleague, True)
        Refugee.objects.filter(last_name=name).update(coordinator=colleague)
    else:
        name, _action = SECTIONS[key](org, colleague, True)
    assert name not in section(home(client, coordinator), key)
    assert name in section(home(client, coordinator, "all"), key)


def test_partner_sees_their_organisation_only_even_with_all(client, partner, org, other_org_partner):
    other_org = other_org_partner.memberships.get().organisation
    for key in ("checkins-due", "signups", "referrals", "waiting-longest", "clearances-expiring"):
        SECTIONS[key](org, partner, True)
    due = ActiveTandemFactory(organisation=other_org, volunteer__last_name="Fremdling")
    CheckInFactory(tandem=due, held_on=None, planned_on=TODAY - DAY)
    VolunteerFactory(organisation=other_org, last_name="Fremdling", signed_up_at=timezone.now())
    RefugeeFactory(organisation=other_org, last_name="Fremdling")
    WaitingRefugeeFactory(organisation=other_org, last_name="Fremdling")
    ReadyVolunteerFactory(organisation=other_org, last_name="Fremdling", clearance_valid_until=TODAY + DAY)
    for scope in (None, "all"):
        html = home(client, partner, scope)
        assert "Fremdling" not in html
        for key in ("checkins-due", "signups", "referrals", "waiting-longest", "clearances-expiring"):
            assert "Quendt" in section(html, key), key


def test_the_scope_choice_is_visible(client, coordinator):
    html = home(client, coordinator)
    assert re.search(r'href="\?scope=mine"\s+aria-current="page">Meine<', html)
    assert 'href="?scope=all">Alle<' in html
    html = home(client, coordinator, "all")
    assert re.search(r'href="\?scope=all"\s+aria-current="page">Alle<', html)


def test_an_unknown_scope_means_mine(client, coordinator):
    assert 'aria-current="page">Meine<' in home(client, coordinator, "<script>")


def test_referrer_keeps_the_links_to_their_referrals(client, referrer):
    html = home(client, referrer)
    assert "<section" not in html
    assert reverse("refugees:referral_list") in html


def _fill(org, user, n):
    for _ in range(n):
        tandem = ActiveTandemFactory(organisation=org, coordinator=user)
        CheckInFactory(tandem=tandem, held_on=None, planned_on=TODAY - DAY)
        risky = ActiveTandemFactory(organisation=org, coordinator=user)
        CheckInFactory(tandem=risky, mood="red")
        VolunteerFactory(organisation=org, signed_up_at=timezone.now())
        RefugeeFactory(organisation=org)
        WaitingRefugeeFactory(organisation=org)
        ReadyVolunteerFactory(organisation=org, clearance_valid_until=TODAY + DAY)
        SessionFactory(organisation=org, starts_at=timezone.now() + datetime.timedelta(days=2))
        HelpRequest.objects.create(tandem=risky, by="volunteer")
        ErasureRequest.objects.create(volunteer=VolunteerFactory(organisation=org))


@pytest.mark.parametrize("size", [1, 12])
@pytest.mark.parametrize("scope", [None, "all"])
def test_home_runs_a_fixed_number_of_queries(
    client, coordinator, fwz, size, scope, django_assert_max_num_queries
):
    _fill(fwz, coordinator, size)
    client.force_login(coordinator)
    # session, user and memberships (3); one query per section, its first rows carrying the count of all (8);
    # the three queues of supported tandems together: the cadence, their counts and first ids, their rows (3);
    # the check whether any training is visible (1) and the training section (1); the session's write in its
    # savepoint (3): 18, whatever the number of rows (27 queries and 32 with the session before)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("core:home"), {"scope": scope} if scope else {})
    assert response.status_code == 200
    # every section has rows: the bound holds with all of them read
    assert response.text.count("<table") == len(SECTIONS)


def test_queue_selectors_work_without_a_request(coordinator, fwz):
    """The daily digest will call the same selectors outside a request: plain querysets, scoped by user."""
    from refugees.selectors import refugees_waiting_longest
    from tandems.selectors import checkins_due

    _due(fwz, coordinator, True)
    _waiting(fwz, coordinator, True)
    assert [t.volunteer.last_name for t in checkins_due(user=coordinator, mine=True)] == ["Quendt"]
    assert [r.last_name for r in refugees_waiting_longest(user=coordinator, mine=False)] == ["Quendt"]


@pytest.mark.parametrize("mine", [True, False])
def test_the_tandem_group_answers_as_its_selectors(coordinator, fwz, mine):
    """The start page reads the three queues of supported tandems together (tandems.selectors.support_queues);
    each answer is the count and the first rows, in order, of the selector the digest calls alone."""
    from tandems.selectors import checkins_due, support_queues, tandems_at_risk, tandems_without_contact

    _fill(fwz, coordinator, 4)
    for _ in range(3):  # somebody else's, seen with "all" only
        CheckInFactory(tandem=ActiveTandemFactory(organisation=fwz), held_on=None, planned_on=TODAY - DAY)
    silent = ActiveTandemFactory(organisation=fwz, coordinator=coordinator, started_on=TODAY - 90 * DAY)
    CheckInFactory(tandem=silent, held_on=TODAY - 60 * DAY)
    answered = support_queues(user=coordinator, mine=mine, limit=3)
    for key, selector in (
        ("checkins-due", checkins_due),
        ("tandems-at-risk", tandems_at_risk),
        ("tandems-without-contact", tandems_without_contact),
    ):
        alone = selector(user=coordinator, mine=mine)
        count, rows = answered[key]
        assert count == alone.count() > 0, key
        assert [t.pk for t in rows] == [t.pk for t in alone[:3]], key
        assert [t.risk_reasons for t in rows] == [t.risk_reasons for t in alone[:3]], key
