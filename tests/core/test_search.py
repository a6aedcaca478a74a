"""Full-text search of the staff lists (core/search.py): prefix words ANDed, GIN-indexed, safe input."""

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.search import (
    MAX_WORD_LENGTH,
    MAX_WORDS,
    phone_prefixes,
    search_queryset,
    search_related_queryset,
    search_words,
    tsquery_text,
)
from refugees.models import Refugee, refugee_name_document, refugee_search_document
from tandems.models import Tandem
from tests.conftest import client_for
from tests.factories.refugees import RefugeeFactory
from tests.factories.tandems import TandemFactory
from tests.factories.trainings import SessionFactory
from tests.factories.volunteers import VolunteerFactory
from tests.hostile import form_body
from volunteers.models import Volunteer, volunteer_name_document, volunteer_search_document
from volunteers.services import volunteer_update

HOSTILE = [
    "'",
    "''",
    "&",
    "|",
    "!",
    ":",
    ":*",
    "*",
    "(",
    ")",
    "<->",
    "a & | b",
    "müller:*A & !x",
    "O'Brien",
    "\\",
    "a\\'b",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfff y",
    "x" * 10_000,
    "Müller " * 2_000,
    "%",
    "_",
    "a_b%",
    "'; DROP TABLE volunteers_volunteer; --",
    "😀 ﷺ ǅ ²",
    "+49 (0) 511 / 123-45",
    "@",
    "...@...",
]


def volunteers(text: str) -> set[str]:
    return {v.last_name for v in search_queryset(Volunteer.objects.all(), volunteer_search_document(), text)}


def refugees(text: str, *, names_only: bool = False) -> set[str]:
    document = refugee_name_document() if names_only else refugee_search_document()
    found = search_queryset(Refugee.objects.all(), document, text, names_only=names_only)
    return {r.last_name for r in found}


# --- turning text into a query ------------------------------------------------------------------------


def test_words_are_letters_and_digits_and_bounded():
    assert search_words("  Anna-Lena  O'Brien, STRAßER 0511/123 ") == [
        "Anna",
        "Lena",
        "O",
        "Brien",
        "STRAßER",
        "0511",
        "123",
    ]
    assert search_words("a_b") == ["a", "b"]
    assert search_words("Mu\u0308ller") == ["Müller"]  # decomposed umlaut, as some keyboards send it
    assert len(search_words("w " * 50)) == MAX_WORDS
    assert search_words("x" * 10_000) == ["x" * MAX_WORD_LENGTH]
    assert search_words("\x00 \ud800 ' & | ! : * ( ) \\") == []


@pytest.mark.parametrize("text", HOSTILE)
def test_no_user_text_reaches_the_tsquery_syntax(text):
    query = tsquery_text(text)
    # only words followed by :*, the operators we put between them, and parentheses of our own
    assert re.fullmatch(r"(\(?[^\W_]+:\*\)?( [&|] )?)*", query), query


def test_query_is_prefixes_anded():
    assert tsquery_text("Anna Sch") == "Anna:* & Sch:*"
    assert tsquery_text("Anna Sch", names_only=True) == "Anna:* & Sch:*"
    assert tsquery_text("   ") == ""
    assert tsquery_text("!!!") == ""


def test_phone_like_text_also_searches_the_run_of_digits():
    assert phone_prefixes("0511 123") == ["0511123", "49511123", "0049511123"]
    assert phone_prefixes("+49 511 123") == ["49511123", "0511123", "0049511123"]
    assert phone_prefixes("12") == []
    assert phone_prefixes("Anna 0511") == []
    assert tsquery_text("0511 123") == "(0511:* & 123:*) | 0511123:* | 49511123:* | 0049511123:*"
    assert tsquery_text("0511 123", names_only=True) == "0511:* & 123:*"


# --- what a search finds -------------------------------------------------------------------------------


@pytest.fixture
def people(org):
    VolunteerFactory(organisation=org, first_name="Anna", last_name="Müller", email="anna.m@example.org")
    VolunteerFactory(organisation=org, first_name="Jörg", last_name="Straßer", email="js@beispiel.de")
    VolunteerFactory(organisation=org, first_name="Lena", last_name="Schmidt", phone="0511 1234567")
    VolunteerFactory(organisation=org, first_name="Anna", last_name="Schmidt", phone="+49 511 7654321")
    RefugeeFactory(organisation=org, first_name="Ahmad", last_name="Karimi", phone="0176 5551234")
    RefugeeFactory(organisation=org, first_name="Olena", last_name="Kowal", phone="+49 176 9998887")
    RefugeeFactory(organisation=org, first_name="Dana", last_name="Nasser", email="dana.nasser@example.org")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mül", {"Müller"}),
        ("müller", {"Müller"}),
        ("MÜLLER", {"Müller"}),
        ("Straß", {"Straßer"}),
        ("jö", {"Straßer"}),
        ("anna", {"Müller", "Schmidt"}),
        ("Anna Schmidt", {"Schmidt"}),
        ("Schmidt Anna", {"Schmidt"}),
        ("schmidt, a", {"Schmidt"}),
        ("Anna Straßer", set()),
        ("ller", set()),  # only beginnings of words match: the price of an index
        ("anna.m@example.org", {"Müller"}),
        ("anna.m@ex", {"Müller"}),
        ("beispiel", {"Straßer"}),
        ("0511 123", {"Schmidt"}),
        ("0511123", {"Schmidt"}),
        ("1234567", {"Schmidt"}),
        ("+49 511 123", {"Schmidt"}),
        ("0511 765", {"Schmidt"}),  # stored as +49 511 …, found by the normalised key
        ("!!!", set()),
    ],
)
def test_volunteer_search(people, text, expected):
    assert volunteers(text) == expected


def test_case_is_folded_by_postgresql_as_for_the_stored_names(org):
    VolunteerFactory(organisation=org, first_name="İlhan", last_name="Çelik")
    assert volunteers("İlh") == volunteers("ilh") == volunteers("ÇEL") == {"Çelik"}


def test_blank_search_filters_nothing(people):
    assert len(volunteers("")) == 3 and len(volunteers("   ")) == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ahm kar", {"Karimi"}),
        ("0176 555", {"Karimi"}),
        ("0176555", {"Karimi"}),
        ("5551234", {"Karimi"}),
        ("0176 999", {"Kowal"}),  # stored as +49 176 …
        ("+49 176 999", {"Kowal"}),
        ("dana.nasser@example", {"Nasser"}),
        ("nasser@", {"Nasser"}),
    ],
)
def test_refugee_search(people, text, expected):
    assert refugees(text) == expected


def test_names_only_search_ignores_contact_data(people):
    assert refugees("dana", names_only=True) == {"Nasser"}
    assert refugees("example", names_only=True) == set()
    assert refugees("0176", names_only=True) == set()


def test_search_follows_a_change_of_name(people, coordinator):
    anna = Volunteer.objects.get(last_name="Müller")
    volunteer_update(volunteer=anna, data={"last_name": "Neumann"}, actor=coordinator)
    assert volunteers("Neu") == {"Neumann"} and volunteers("Mül") == set()


def test_related_search_matches_each_word_in_either_person(org):
    TandemFactory(
        organisation=org,
        volunteer=VolunteerFactory(organisation=org, first_name="Lena", last_name="Schmidt"),
        refugee=RefugeeFactory(organisation=org, first_name="Ahmad", last_name="Karimi", email="x@y.de"),
    )
    TandemFactory(organisation=org, volunteer__last_name="Berger", refugee__last_name="Kowal")
    related = {
        "volunteer": (Volunteer.objects.all(), volunteer_name_document()),
        "refugee": (Refugee.objects.all(), refugee_name_document()),
    }

    def tandems(text: str) -> set[str]:
        found = search_related_queryset(Tandem.objects.all(), text, related)
        return {t.volunteer.last_name for t in found}

    assert tandems("Schmidt Karimi") == {"Schmidt"}
    assert tandems("karimi lena") == {"Schmidt"}
    assert tandems("kow") == {"Berger"}
    assert tandems("Schmidt Kowal") == set()
    assert tandems("x@y.de") == set()  # names only
    assert len(tandems("")) == 2 and tandems("''") == set()


# --- the index is what answers -------------------------------------------------------------------------


def _only_bitmap_scans(cursor) -> None:
    """A few test rows are cheapest to read whole; forbid that, so the plan shows which index can answer.
    GIN indexes are only ever read by bitmap scans, so plain index scans (by the name index, for the
    order) are forbidden too."""
    cursor.execute("SET LOCAL enable_seqscan = off")
    cursor.execute("SET LOCAL enable_indexscan = off")


@pytest.mark.parametrize(
    ("queryset", "index"),
    [
        (
            lambda t: search_queryset(Volunteer.objects.all(), volunteer_search_document(), t),
            "volunteer_search_idx",
        ),
        (
            lambda t: search_queryset(Refugee.objects.all(), refugee_search_document(), t),
            "refugee_search_idx",
        ),
        (
            lambda t: search_queryset(Refugee.objects.all(), refugee_name_document(), t, names_only=True),
            "refugee_name_search_idx",
        ),
        (
            lambda t: search_queryset(Volunteer.objects.all(), volunteer_name_document(), t, names_only=True),
            "volunteer_name_search_idx",
        ),
    ],
)
@pytest.mark.parametrize("text", ["Mül", "anna sch", "0511 123"])
def test_search_uses_the_gin_index(people, queryset, index, text):
    with transaction.atomic(), connection.cursor() as cursor:
        _only_bitmap_scans(cursor)
        plan = queryset(text).explain()
    assert index in plan, plan


def test_tandem_search_uses_both_indexes(people):
    related = {
        "volunteer": (Volunteer.objects.all(), volunteer_name_document()),
        "refugee": (Refugee.objects.all(), refugee_name_document()),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        _only_bitmap_scans(cursor)
        plan = search_related_queryset(Tandem.objects.all(), "Schmidt Karimi", related).explain()
    assert "volunteer_name_search_idx" in plan and "refugee_name_search_idx" in plan, plan


# --- every list with a search answers hostile text -----------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_every_search_list_survives_hostile_text(people, coordinator, referrer, org, text):
    session = SessionFactory(organisation=org)
    staff = client_for(coordinator)
    urls = [
        reverse("volunteers:volunteer_list"),
        reverse("volunteers:volunteer_inbox"),
        reverse("refugees:refugee_list"),
        reverse("refugees:refugee_waiting_list"),
        reverse("tandems:tandem_list"),
        reverse("trainings:session_register", args=[session.pk]),
    ]
    query = form_body({"q": text})  # as a browser would send it, lone surrogates included
    for url in urls:
        assert staff.get(f"{url}?{query}").status_code == 200, url
    assert client_for(referrer).get(f"{reverse('refugees:referral_list')}?{query}").status_code == 200


# --- the lists ------------------------------------------------------------------------------------------


def _rows(response) -> set[str]:
    return {str(row) for row in response.context["rows"]}


def test_lists_search_through_the_shared_code(people, coordinator, org):
    session = SessionFactory(organisation=org)
    TandemFactory(
        organisation=org,
        volunteer=Volunteer.objects.get(first_name="Lena"),
        refugee=Refugee.objects.get(last_name="Karimi"),
    )
    client = client_for(coordinator)
    assert _rows(client.get(reverse("volunteers:volunteer_list"), {"q": "schmidt ANNA"})) == {"Anna Schmidt"}
    assert _rows(client.get(reverse("refugees:refugee_list"), {"q": "0176555"})) == {"Ahmad Karimi"}
    tandems = client.get(reverse("tandems:tandem_list"), {"q": "Lena Kar"}).context["rows"]
    assert [(t.volunteer.last_name, t.refugee.last_name) for t in tandems] == [("Schmidt", "Karimi")]
    register = client.get(
        reverse("trainings:session_register", args=[session.pk]), {"q": "straß", "not_trained": "on"}
    )
    assert _rows(register) == {"Jörg Straßer"}


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("volunteers:volunteer_list", "anna"),
        ("refugees:refugee_list", "0176"),
        ("tandems:tandem_list", "anna"),
    ],
)
def test_a_search_adds_no_query(people, coordinator, org, name, text):
    TandemFactory(organisation=org, volunteer=Volunteer.objects.get(last_name="Müller"))
    client = client_for(coordinator)
    url = reverse(name)
    client.get(url)  # warm caches (sessions, reference data) before counting
    with CaptureQueriesContext(connection) as plain:
        client.get(url)
    with CaptureQueriesContext(connection) as searched:
        assert client.get(url, {"q": text}).context["rows"]
    assert len(searched) == len(plain)
