import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Gender, GenderPreference, Language
from tandems.matching import explain_pair, suggest_refugees, suggest_volunteers
from tandems.models import MatchingWeights, VolunteerRelease
from tests.factories.core import district, help_area, language
from tests.factories.refugees import WaitingRefugeeFactory
from tests.factories.tandems import TandemFactory
from tests.factories.volunteers import ReadyVolunteerFactory, VolunteerLanguageFactory
from volunteers.models import Volunteer, VolunteerStatus

TODAY = datetime.date.today()


def _criteria(suggestion) -> dict:
    return {c.key: c for c in suggestion.criteria}


def _suggest_blocked(refugee, user, volunteer):
    found = [
        s
        for s in suggest_volunteers(refugee=refugee, user=user, show_blocked=True)
        if s.volunteer.pk == volunteer.pk
    ]
    assert found, "the volunteer is listed when blocked ones are shown"
    return found[0]


@pytest.fixture
def refugee(org):
    return WaitingRefugeeFactory(organisation=org)


# --- hard rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("volunteer_kwargs", "words"),
    [
        ({"status": VolunteerStatus.PAUSED}, "nicht verfügbar"),
        ({"trained_on": None}, "Grundschulung"),
    ],
)
def test_unavailable_or_untrained_volunteer_is_blocked_with_reason(
    org, coordinator, refugee, volunteer_kwargs, words
):
    volunteer = ReadyVolunteerFactory(organisation=org, **volunteer_kwargs)
    assert volunteer.pk not in {s.volunteer.pk for s in suggest_volunteers(refugee=refugee, user=coordinator)}
    assert words in " ".join(_suggest_blocked(refugee, coordinator, volunteer).blocked)


def test_full_volunteer_is_blocked(org, coordinator, refugee):
    tandem = TandemFactory(organisation=org)
    assert (
        "kein freier Platz (1 von 1 belegt)"
        in _suggest_blocked(refugee, coordinator, tandem.volunteer).blocked
    )


def test_clearance_needed_only_for_households_with_minors(org, coordinator):
    volunteer = ReadyVolunteerFactory(
        organisation=org, clearance_valid_until=TODAY - datetime.timedelta(days=1)
    )
    adults = WaitingRefugeeFactory(organisation=org)
    family = WaitingRefugeeFactory(organisation=org, children_count=2, youngest_birth_year=TODAY.year - 4)
    assert not explain_pair(refugee=adults, volunteer=volunteer, user=coordinator).blocked
    reasons = explain_pair(refugee=family, volunteer=volunteer, user=coordinator).blocked
    assert reasons == ["kein gültiges Führungszeugnis, und im Haushalt leben Minderjährige"]


def test_gender_preferences_of_both_sides_block(org, coordinator):
    woman = WaitingRefugeeFactory(
        organisation=org, gender=Gender.FEMALE, pref_volunteer_gender=GenderPreference.FEMALE
    )
    man_volunteer = ReadyVolunteerFactory(organisation=org, gender=Gender.MALE)
    only_men = ReadyVolunteerFactory(
        organisation=org, gender=Gender.FEMALE, pref_gender=GenderPreference.MALE
    )
    fits = ReadyVolunteerFactory(organisation=org, gender=Gender.FEMALE)
    assert (
        "der Haushalt wünscht sich als Ehrenamtliche: nur Frauen"
        in explain_pair(refugee=woman, volunteer=man_volunteer, user=coordinator).blocked
    )
    assert (
        "möchte nur Männer begleiten"
        in explain_pair(refugee=woman, volunteer=only_men, user=coordinator).blocked
    )
    assert not explain_pair(refugee=woman, volunteer=fits, user=coordinator).blocked


def test_partner_sees_fwz_volunteers_only_when_released(org, fwz, partner, coordinator, refugee):
    fwz_volunteer = ReadyVolunteerFactory(organisation=fwz)
    assert fwz_volunteer.pk not in {
        s.volunteer.pk for s in suggest_volunteers(refugee=refugee, user=partner, show_blocked=True)
    }, "not released: the partner does not even see the person"
    VolunteerRelease.objects.create(volunteer=fwz_volunteer, organisation=org)
    assert fwz_volunteer.pk in {s.volunteer.pk for s in suggest_volunteers(refugee=refugee, user=partner)}
    assert fwz_volunteer.pk in {s.volunteer.pk for s in suggest_volunteers(refugee=refugee, user=coordinator)}


def test_other_partners_volunteer_is_blocked_by_scope_for_coordinator(org, other_org, coordinator, refugee):
    other = ReadyVolunteerFactory(organisation=other_org)
    reasons = _suggest_blocked(refugee, coordinator, other).blocked
    assert any("nicht für gEMiDe freigegeben" in r for r in reasons), reasons


# --- soft criteria and their words ----------------------------------------------------------------


def test_shared_language_scores_and_explains(org, coordinator):
    refugee = WaitingRefugeeFactory(organisation=org)
    refugee.languages.set([language("ar")])
    speaker = ReadyVolunteerFactory(organisation=org)
    VolunteerLanguageFactory(volunteer=speaker, language=language("ar"), level="native")
    silent = ReadyVolunteerFactory(organisation=org)
    good = _criteria(explain_pair(refugee=refugee, volunteer=speaker, user=coordinator))["language"]
    none = _criteria(explain_pair(refugee=refugee, volunteer=silent, user=coordinator))["language"]
    assert good.score == 1.0 and good.text == "spricht Arabisch (Muttersprache)"
    assert none.score == 0.0 and none.text == "keine gemeinsame Sprache"


@pytest.mark.parametrize(("level", "score"), [("B1", 1.0), ("A2", 0.5), ("A1", 0.0)])
def test_german_counts_from_b1_and_partly_at_a2(org, coordinator, level, score):
    refugee = WaitingRefugeeFactory(organisation=org, german_level=level)
    volunteer = ReadyVolunteerFactory(organisation=org)
    VolunteerLanguageFactory(volunteer=volunteer, language=Language.objects.get(code="de"), level="native")
    assert (
        _criteria(explain_pair(refugee=refugee, volunteer=volunteer, user=coordinator))["language"].score
        == score
    )


def test_needs_covered(org, coordinator):
    refugee = WaitingRefugeeFactory(organisation=org)
    refugee.needs.set([help_area("german"), help_area("authorities"), help_area("work")])
    volunteer = ReadyVolunteerFactory(organisation=org)
    volunteer.help_areas.set([help_area("german"), help_area("authorities"), help_area("sports")])
    needs = _criteria(explain_pair(refugee=refugee, volunteer=volunteer, user=coordinator))["needs"]
    assert needs.score == pytest.approx(2 / 3)
    assert needs.text.startswith("deckt 2 von 3 Bedarfen ab")


def test_distance_between_districts(org, coordinator):
    refugee = WaitingRefugeeFactory(organisation=org, district=district("mitte"))
    near = ReadyVolunteerFactory(organisation=org, district=district("mitte"))
    far = ReadyVolunteerFactory(organisation=org, district=district("misburg-anderten"))
    same = _criteria(explain_pair(refugee=refugee, volunteer=near, user=coordinator))["distance"]
    away = _criteria(explain_pair(refugee=refugee, volunteer=far, user=coordinator))["distance"]
    assert same.score == 1.0 and same.text == "im selben Stadtbezirk (Mitte)"
    assert 0 < away.score < 1
    assert away.text.startswith("8,6 km entfernt") or " km entfernt" in away.text
    assert "," in away.text.split(" km")[0], "German decimal comma"


def test_availability_breadth(org, coordinator, refugee):
    broad = ReadyVolunteerFactory(
        organisation=org, available_weekdays=[0, 1, 2, 3, 4], available_times=["morning", "evening"]
    )
    narrow = ReadyVolunteerFactory(organisation=org, available_weekdays=[5], available_times=["evening"])
    wide = _criteria(explain_pair(refugee=refugee, volunteer=broad, user=coordinator))["availability"]
    small = _criteria(explain_pair(refugee=refugee, volunteer=narrow, user=coordinator))["availability"]
    assert wide.score == pytest.approx(1.0) and small.score < wide.score
    assert "Sa" in small.text and "abends" in small.text


def test_interests_overlap(org, coordinator):
    refugee = WaitingRefugeeFactory(organisation=org, interests=["Fußball", "Kochen"])
    volunteer = ReadyVolunteerFactory(organisation=org, interests=["kochen", "Lesen"])
    interests = _criteria(explain_pair(refugee=refugee, volunteer=volunteer, user=coordinator))["interests"]
    assert interests.score == 0.5
    assert interests.text == "gemeinsame Interessen: kochen"


def test_age_preference(org, coordinator):
    refugee = WaitingRefugeeFactory(organisation=org, birth_year=TODAY.year - 30)
    inside = ReadyVolunteerFactory(organisation=org, pref_age_min=25, pref_age_max=40)
    outside = ReadyVolunteerFactory(organisation=org, pref_age_min=50, pref_age_max=70)
    assert _criteria(explain_pair(refugee=refugee, volunteer=inside, user=coordinator))["age"].score == 1.0
    far = _criteria(explain_pair(refugee=refugee, volunteer=outside, user=coordinator))["age"]
    assert far.score == 0.0 and "außerhalb" in far.text


def test_families_and_children(org, coordinator):
    family = WaitingRefugeeFactory(organisation=org, children_count=3)
    welcomes = ReadyVolunteerFactory(organisation=org, pref_families="yes")
    rather_not = ReadyVolunteerFactory(organisation=org, pref_families="no")
    assert (
        _criteria(explain_pair(refugee=family, volunteer=welcomes, user=coordinator))["family"].score == 1.0
    )
    low = _criteria(explain_pair(refugee=family, volunteer=rather_not, user=coordinator))["family"]
    assert low.score == pytest.approx(0.1) and "Haushalt mit 3 Kindern" in low.text


def test_time_waited_counts_for_fairness(org, coordinator):
    volunteer = ReadyVolunteerFactory(organisation=org)
    long = WaitingRefugeeFactory(organisation=org, waiting_since=TODAY - datetime.timedelta(days=90))
    short = WaitingRefugeeFactory(organisation=org, waiting_since=TODAY - datetime.timedelta(days=9))
    waited = _criteria(explain_pair(refugee=long, volunteer=volunteer, user=coordinator))["waiting"]
    assert waited.score == pytest.approx(0.5) and waited.text == "wartet seit 90 Tagen"
    ranked = suggest_refugees(volunteer=volunteer, user=coordinator)
    assert [s.refugee.pk for s in ranked][:2] == [long.pk, short.pk]


def test_weights_change_the_ranking(org, coordinator):
    refugee = WaitingRefugeeFactory(organisation=org, district=district("mitte"))
    refugee.languages.set([language("ar")])
    speaker_far = ReadyVolunteerFactory(organisation=org, district=district("misburg-anderten"))
    VolunteerLanguageFactory(volunteer=speaker_far, language=language("ar"))
    near = ReadyVolunteerFactory(organisation=org, district=district("mitte"))
    assert suggest_volunteers(refugee=refugee, user=coordinator)[0].volunteer.pk == speaker_far.pk
    MatchingWeights.objects.filter(is_active=True).update(language=0, distance=5)
    assert suggest_volunteers(refugee=refugee, user=coordinator)[0].volunteer.pk == near.pk


# --- loaded once, scored in memory ----------------------------------------------------------------


def _queries_for(n: int, org, coordinator) -> int:
    refugee = WaitingRefugeeFactory(organisation=org)
    refugee.languages.set([language("ar")])
    for i in range(n):
        volunteer = ReadyVolunteerFactory(organisation=org, interests=["Kochen"])
        VolunteerLanguageFactory(volunteer=volunteer, language=language("ar" if i % 2 else "fa"))
        volunteer.help_areas.set([help_area("german")])
    with CaptureQueriesContext(connection) as queries:
        found = suggest_volunteers(refugee=refugee, user=coordinator, show_blocked=True)
    assert len(found) == min(n, 10)
    return len(queries)


def test_suggestions_use_a_fixed_number_of_queries(org, coordinator):
    few = _queries_for(5, org, coordinator)
    many = _queries_for(45, org, coordinator)  # 50 volunteers now
    assert many <= few <= 15, (few, many)  # the first call also reads the user's memberships once


def test_sql_prefilter_keeps_exactly_whom_the_rules_allow(org, coordinator):
    """Suggestions leave out in SQL whom the hard rules would block; the in-memory rules decide the same
    for every combination of gender, preference, capacity and clearance."""
    expired = TODAY - datetime.timedelta(days=1)
    volunteers = []
    for gender in (Gender.FEMALE, Gender.MALE, Gender.DIVERSE):
        for pref in GenderPreference.values:
            for cleared in (True, False):
                volunteers.append(
                    ReadyVolunteerFactory(
                        organisation=org,
                        gender=gender,
                        pref_gender=pref,
                        **({} if cleared else {"clearance_valid_until": expired}),
                    )
                )
    full = ReadyVolunteerFactory(organisation=org)
    TandemFactory(organisation=org, volunteer=full)
    two_places = ReadyVolunteerFactory(organisation=org, capacity=2)
    TandemFactory(organisation=org, volunteer=two_places)
    refugees = [
        WaitingRefugeeFactory(organisation=org, gender=gender, pref_volunteer_gender=pref, **household)
        for gender in (Gender.FEMALE, Gender.MALE, Gender.UNSPECIFIED)
        for pref in GenderPreference.values
        for household in ({}, {"children_count": 1, "youngest_birth_year": TODAY.year - 3})
    ]
    everyone = {v.pk for v in volunteers} | {full.pk, two_places.pk}
    ever_shown = set()
    for refugee in refugees:
        shown = {s.volunteer.pk for s in suggest_volunteers(refugee=refugee, user=coordinator, limit=100)}
        allowed = {
            pk
            for pk in everyone
            if not explain_pair(refugee=refugee, volunteer=Volunteer(pk=pk), user=coordinator).blocked
        }
        assert shown == allowed, (refugee.gender, refugee.pref_volunteer_gender, refugee.children_count)
        ever_shown |= shown
    assert two_places.pk in ever_shown and full.pk not in ever_shown
    assert len(ever_shown) == len(volunteers) + 1, "every volunteer with a place fits somebody"
