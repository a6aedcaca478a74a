"""The shared list machinery, tried on the admin-free organisation table (no domain app needed)."""

import csv
import io

import django_filters
import pytest
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails
from openpyxl import load_workbook

from core.lists import Column, ListSpec, list_response
from core.models import Organisation, User


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(choices=[("partner", "partner"), ("city", "city")])

    class Meta:
        model = Organisation
        fields = ["q", "kind"]


SPEC = ListSpec(
    filterset=OrganisationFilter,
    sorts={"name": ("name",), "kind": ("kind", "name")},
    default_sort="name",
    columns=[
        Column("Name", lambda o: o.name),
        Column("Art", lambda o: o.get_kind_display()),
        Column("Angelegt", lambda o: o.created_at.date()),
    ],
    export_name="organisationen",
    per_page=3,
)


def _get(query: str, htmx: bool = False):
    request = RequestFactory().get("/list/" + query, headers={"HX-Request": "true"} if htmx else {})
    request.htmx = HtmxDetails(request)
    request.user = User.objects.get_or_create(username="list-tester")[0]  # the export's audit names the actor
    return list_response(
        request,
        queryset=Organisation.objects.all(),
        spec=SPEC,
        template="core/_test_list.html",
        fragment="core/_test_list.html",
    )


@pytest.fixture(autouse=True)
def _test_templates(settings):
    engine = {
        **settings.TEMPLATES[0],
        "DIRS": [*settings.TEMPLATES[0]["DIRS"], settings.BASE_DIR / "tests" / "templates"],
    }
    settings.TEMPLATES = [engine]


def test_htmx_request_gets_the_fragment_and_vary_header(db):
    response = _get("?kind=partner", htmx=True)
    assert "HX-Request" in response["Vary"]


def test_pagination_keeps_the_page_size(db):
    assert _get("").content.decode().strip().count("\n") == SPEC.per_page


def test_csv_export_has_exactly_the_filtered_rows_for_excel(db):
    response = _get("?kind=partner&format=csv&sort=-name")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeffName;Art;Angelegt")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))[1:]
    expected = sorted(
        Organisation.objects.filter(kind="partner").values_list("name", flat=True), reverse=True
    )
    assert [r[0] for r in rows] == expected
    assert all(r[2].count(".") == 2 for r in rows), "dates written 24.11.2026"


def test_xlsx_export_has_german_headers_and_real_dates(db):
    response = _get("?kind=city&format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[0] == ("Name", "Art", "Angelegt")
    assert len(values) - 1 == Organisation.objects.filter(kind="city").count()
    assert sheet.cell(row=2, column=3).number_format == "DD.MM.YYYY"


def test_formula_cells_are_defused(db):
    Organisation.objects.create(name="=HYPERLINK(1)", short_name="evil")
    body = b"".join(_get("?q=HYPERLINK&format=csv").streaming_content).decode()
    assert "'=HYPERLINK(1)" in body


def test_invalid_filter_shows_no_rows(db):
    assert "Treffer: 0" in _get("?kind=nonsense").content.decode()


def test_unknown_sort_falls_back_to_default(db):
    assert "Treffer:" in _get("?sort=password").content.decode()


@pytest.mark.parametrize(
    ("language", "typed", "expected"),
    [
        ("de", "1.234,50", "1234.50"),
        ("de", "12,5", "12.5"),
        ("de", "1234.50", "1234.50"),
        ("en", "1,234.50", "1234.50"),
        ("de", "1.234.567,00", "1234567.00"),
    ],
)
def test_grouped_decimal_field_reads_amounts_as_people_type_them(language, typed, expected):
    from decimal import Decimal

    from django.utils import translation

    from core.forms import GroupedDecimalField

    with translation.override(language):
        assert GroupedDecimalField(localize=True, decimal_places=2).clean(typed) == Decimal(expected)


def test_grouped_decimal_field_refuses_garbage_in_german():
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from core.forms import GroupedDecimalField

    with translation.override("de"), pytest.raises(ValidationError) as raised:
        GroupedDecimalField(localize=True).clean("12.34.5")
    assert "Zahl" in raised.value.messages[0]


TIES = ListSpec(filterset=OrganisationFilter, sorts={"kind": ("kind",)}, default_sort="kind", per_page=3)


@pytest.mark.parametrize("sort", ["kind", "-kind"])
def test_pages_past_the_middle_read_from_the_end_and_show_the_same_rows(db, sort, django_assert_num_queries):
    """Every page, including those read in reverse from the end, continues exactly where the one before
    stopped: ties on the sort key are ordered by the primary key in both directions."""
    for n in range(10):
        Organisation.objects.create(name=f"Verein {n}", short_name=f"V{n}", kind=("partner", "city")[n % 2])
    order = ("kind", "pk") if sort == "kind" else ("-kind", "-pk")
    expected = [o.name for o in Organisation.objects.order_by(*order)]
    seen = []
    for number in range(1, -(-len(expected) // TIES.per_page) + 1):
        request = RequestFactory().get(f"/list/?sort={sort}&page={number}")
        request.htmx = HtmxDetails(request)
        with django_assert_num_queries(2):  # the count and the page's rows, from either end
            response = list_response(
                request,
                queryset=Organisation.objects.all(),
                spec=TIES,
                template="core/_test_list.html",
                fragment="core/_test_list.html",
            )
        seen += response.content.decode().strip().splitlines()[1:]
    assert seen == expected
