import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEntry
from reporting.models import Expense
from reporting.selectors import funding_table
from tests.conftest import client_for
from tests.factories.reporting import ExpenseFactory
from tests.reporting.data import build_known

TODAY = datetime.date(2026, 11, 26)


@pytest.fixture
def known(org, fwz):
    return build_known(org=org, fwz=fwz, today=TODAY)


def sheet_values(content: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_steering_sees_suppressed_figures_without_names(known, steering):
    from volunteers.models import Volunteer

    for person in Volunteer.objects.all():  # names that cannot be a word of the page by chance ("Mai")
        person.last_name = f"{person.last_name}Q{person.pk}"
        person.save(update_fields=["last_name"])
    response = client_for(steering).get(reverse("reporting:dashboard"), {"year": 2026})
    assert response.status_code == 200
    text = response.text
    assert "Gebildete Tandems" in text
    assert "&lt;5" in text
    assert 'role="img"' in text and "<title id=" in text
    for person in Volunteer.objects.all():
        assert person.last_name not in text
        assert person.email not in text


def test_coordinator_sees_exact_figures(known, coordinator):
    text = client_for(coordinator).get(reverse("reporting:dashboard"), {"year": 2026}).text
    assert "&lt;5" not in text
    assert "Nur zusammengefasste Zahlen" not in text


def test_partner_sees_only_their_organisation(known, partner, org):
    response = client_for(partner).get(reverse("reporting:dashboard"), {"year": 2026})
    report = response.context["report"]
    assert report.organisations == ["gEMiDe"]
    assert report.figure("volunteers_recruited").headline.value == 6
    assert report.figure("refugees_waiting").headline.value == 4


def test_a_bad_range_says_so_and_shows_the_current_year(coordinator):
    response = client_for(coordinator).get(
        reverse("reporting:dashboard"), {"date_from": "2026-12-01", "date_to": "2026-01-01"}
    )
    assert response.status_code == 200
    assert "Der Zeitraum darf nicht enden, bevor er beginnt." in response.text
    assert response.context["report"].period.year == datetime.date.today().year


def test_a_range_filters_the_figures(known, coordinator):
    response = client_for(coordinator).get(
        reverse("reporting:dashboard"), {"date_from": "2026-01-01", "date_to": "2026-01-31"}
    )
    report = response.context["report"]
    assert report.period.year is None
    assert report.figure("tandems_formed").headline.value == 2
    assert report.target is None


def test_targets_from_the_council_paper(db):
    from reporting.models import AnnualTarget

    assert dict(AnnualTarget.objects.values_list("year", "tandems_formed")) == {
        2017: 200,
        2018: 500,
        2025: 500,
        2026: 500,
        2027: 500,
    }


def test_funding_plan_sums_from_the_council_paper(db):
    def by_source(year):
        return {group.source.code: group.planned for group in funding_table(year=year).sources()}

    assert by_source(2017)["city-11137"] == Decimal("67000")
    assert by_source(2018)["city-11137"] == Decimal("110000")
    foundations = sum(
        amount for year in (2017, 2018) for code, amount in by_source(year).items() if code != "city-11137"
    )
    assert foundations == Decimal("148000")  # "knapp 150.000 €"
    assert funding_table(year=2017).planned == Decimal("141000")


def test_planned_against_spent(db):
    ExpenseFactory(spent_on=datetime.date(2017, 3, 1), amount=Decimal("1000.50"))
    ExpenseFactory(spent_on=datetime.date(2017, 9, 1), amount=Decimal("234.00"))
    ExpenseFactory(spent_on=datetime.date(2018, 1, 1), amount=Decimal("99.99"))
    table = funding_table(year=2017)
    personnel = next(line for line in table.lines if line.budget_line.code == "personnel")
    assert personnel.planned == Decimal("55000")
    assert personnel.spent == Decimal("1234.50")
    assert personnel.remaining == Decimal("53765.50")
    assert table.spent == Decimal("1234.50")
    assert table.remaining == Decimal("141000") - Decimal("1234.50")


def test_grant_report_page_has_german_money_and_the_target(known, coordinator):
    ExpenseFactory(spent_on=datetime.date(2026, 3, 1), amount=Decimal("1234.50"))
    response = client_for(coordinator).get(reverse("reporting:grant_report", args=[2026]))
    assert response.status_code == 200
    assert "1.234,50\u00a0€" in response.text
    assert "Jahresziel" in response.text
    assert "Verwendungsnachweis 2026" in response.text
    printable = client_for(coordinator).get(
        reverse("reporting:grant_report", args=[2026]), {"format": "print"}
    )
    assert "@page" not in printable.text  # the A4 rule lives in the stylesheet
    assert "reporting/reporting.css" in printable.text
    assert "<nav" not in printable.text


def test_grant_report_xlsx_has_the_figures_and_funding(known, coordinator):
    ExpenseFactory(spent_on=datetime.date(2026, 3, 1), amount=Decimal("1234.50"))
    response = client_for(coordinator).get(reverse("reporting:grant_report", args=[2026]), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheets = sheet_values(response.content)
    assert set(sheets) == {"Übersicht", "Tabellen", "Finanzierung"}
    overview = {row[1]: row[2] for row in sheets["Übersicht"] if row and row[1]}
    assert overview["Gebildete Tandems"] == 6
    assert overview["Gebildete Tandems: Jahresziel"] == 500
    assert overview["Gewonnene Ehrenamtliche"] == 9
    assert overview["Beendete Tandems: Mittlere Dauer (Median, Tage)"] == 153.0
    funding = sheets["Finanzierung"]
    assert funding[0] == ("Mittelgeber", "Haushaltsposten", "Geplant", "Ausgegeben", "Verbleibend")
    assert funding[-1][0] == "Gesamt" and funding[-1][3] == 1234.5
    book = load_workbook(io.BytesIO(response.content))
    assert book["Finanzierung"].cell(row=2, column=4).number_format == '#,##0.00 "€"'


def test_grant_report_xlsx_for_steering_is_suppressed(known, steering):
    response = client_for(steering).get(reverse("reporting:grant_report", args=[2026]), {"format": "xlsx"})
    overview = {row[1]: row[2] for row in sheet_values(response.content)["Übersicht"] if row and row[1]}
    assert overview["Gebildete Tandems"] == 6
    assert overview["Beendete Tandems"] == "<5"


def test_coordinator_records_an_expense_with_german_amount(coordinator):
    from reporting.models import BudgetLine, FundingSource

    response = client_for(coordinator).post(
        reverse("reporting:expense_create"),
        {
            "spent_on": "2026-02-03",
            "source": FundingSource.objects.get(code="sparda").pk,
            "budget_line": BudgetLine.objects.get(code="campaign").pk,
            "amount": "1.234,50",
            "description": "Plakate Kampagne",
        },
    )
    assert response.status_code == 302
    expense = Expense.objects.get()
    assert expense.amount == Decimal("1234.50")
    assert expense.recorded_by == coordinator
    entry = AuditEntry.objects.get(action="reporting.expense.created")
    assert entry.actor == coordinator
    assert entry.changes["amount"] == [None, "1234.50"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount", "abc", "Zahl"),
        ("amount", "0", "größer oder gleich"),
        ("spent_on", "2999-01-01", "nicht in der Zukunft"),
        ("spent_on", "kein Datum", "gültiges Datum"),
    ],
)
def test_bad_expense_input_is_refused_in_german(coordinator, field, value, message):
    from reporting.models import BudgetLine, FundingSource

    data = {
        "spent_on": "2026-02-03",
        "source": FundingSource.objects.get(code="sparda").pk,
        "budget_line": BudgetLine.objects.get(code="campaign").pk,
        "amount": "10",
        "description": "Plakate",
        field: value,
    }
    response = client_for(coordinator).post(reverse("reporting:expense_create"), data)
    assert response.status_code == 200
    assert message in response.text
    assert not Expense.objects.exists()


def test_expense_list_filters_and_exports(coordinator):
    ExpenseFactory(spent_on=datetime.date(2025, 3, 1), description="Alt")
    ExpenseFactory(spent_on=datetime.date(2026, 3, 1), description="Neu")
    client = client_for(coordinator)
    response = client.get(reverse("reporting:expense_list"), {"year": 2026})
    assert "Neu" in response.text and "Alt" not in response.text
    export = client.get(reverse("reporting:expense_list"), {"year": 2026, "format": "csv"})
    content = b"".join(export.streaming_content).decode()
    assert "Verwendungszweck" in content and "Neu" in content and "Alt" not in content


@pytest.mark.parametrize("rows", [5, 40])
def test_expense_list_queries_do_not_grow(coordinator, rows, django_assert_max_num_queries):
    ExpenseFactory.create_batch(rows)
    client = client_for(coordinator)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reporting:expense_list")).status_code == 200


def test_grant_report_list_links_each_year(steering):
    response = client_for(steering).get(reverse("reporting:grant_report_list"))
    assert reverse("reporting:grant_report", args=[2017]) in response.text
    assert "Verwendungsnachweis 2017<" in response.text  # no thousands separator in a year
    assert reverse("reporting:expense_create") not in response.text


def test_navigation_per_role(steering, evaluator, partner, coordinator):
    def labels(user):
        response = client_for(user).get(reverse("reporting:dashboard"))
        return {item["label"] for item in response.context["nav_items"]}

    assert {"Dashboard", "Verwendungsnachweis"} <= labels(steering)
    assert "Evaluationsexport" not in labels(steering)
    assert "Evaluationsexport" in labels(evaluator)
    assert "Verwendungsnachweis" not in labels(partner)
    assert {"Dashboard", "Verwendungsnachweis", "Evaluationsexport"} <= labels(coordinator)
