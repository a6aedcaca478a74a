from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.audit import export_filter
from core.lists import Column, ListSpec, list_response
from core.permissions import has_perm, permission_required
from reporting import evaluation, fragments, selectors
from reporting.filters import ExpenseFilter
from reporting.forms import ExpenseForm, PeriodForm
from reporting.fragments import KeptReport
from reporting.permissions import may_record_expenses, sees_people
from reporting.selectors import Period
from reporting.services import evaluation_export_record, expense_create
from reporting.xlsx import grant_report_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_YEAR, LAST_YEAR = 2000, 2100


@require_GET
@permission_required("reporting.view")
def dashboard(request: HttpRequest) -> HttpResponse:
    """Live figures for steering, evaluators and staff; partner coordinators see their organisation's."""
    form = PeriodForm(
        request.GET or None, years=selectors.funding_years(), initial={"year": timezone.localdate().year}
    )
    period = form.period()
    organisations = selectors.reporting_organisations(user=request.user)
    kept = KeptReport.of(organisations=organisations, period=period, hide_small=not sees_people(request.user))
    return render(
        request,
        "reporting/dashboard.html",
        {
            "form": form,
            "period": period,
            "kept": kept.html(fragments.DASHBOARD),
            "can_grant": has_perm(user=request.user, perm="reporting.grant"),
        },
    )


@require_GET
@permission_required("reporting.grant")
def grant_report_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reporting/grant_report_list.html",
        {
            "years": selectors.funding_by_year(),
            "can_record_expenses": may_record_expenses(request.user),
        },
    )


@require_GET
@permission_required("reporting.grant")
def grant_report(request: HttpRequest, year: int) -> HttpResponse:
    """The annual report for the city (Verwendungsnachweis): figures against the target, funding planned
    against spent. As a page, a print view (?format=print) and a spreadsheet (?format=xlsx)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    period = Period.for_year(year)
    organisations = selectors.reporting_organisations(user=request.user, perm="reporting.grant")
    kept = KeptReport.of(organisations=organisations, period=period, hide_small=not sees_people(request.user))
    funding = selectors.funding_table(year=year)
    title = _("Grant report %(year)s – 10.000 Freunde") % {"year": year}
    fmt = request.GET.get("format", "")
    if fmt == "xlsx":
        response = HttpResponse(
            grant_report_xlsx(report=kept.report(), funding=funding, title=title), content_type=XLSX
        )
        response["Content-Disposition"] = f'attachment; filename="verwendungsnachweis-{year}.xlsx"'
        return response
    context = {
        "year": year,
        "title": title,
        "page_title": _("Grant report %(year)s") % {"year": year},  # base.html adds the site's name
        "kept": kept.html(fragments.GRANT_REPORT),
        "funding": funding,
        "generated_on": timezone.localdate(),
        "can_record_expenses": may_record_expenses(request.user),
    }
    if fmt == "print":  # the cover names the organisations and the period
        return render(request, "reporting/grant_report_print.html", {**context, "report": kept.report()})
    return render(request, "reporting/grant_report.html", context)


def _require_expenses(request: HttpRequest) -> None:
    if not may_record_expenses(request.user):
        raise PermissionDenied


EXPENSE_LIST = ListSpec(
    filterset=ExpenseFilter,
    sorts={
        "spent_on": ("spent_on",),
        "amount": ("amount",),
        "source": ("source__sort_order", "source__name_de"),
        "budget_line": ("budget_line__sort_order", "budget_line__name_de"),
    },
    default_sort="-spent_on",
    columns=[
        Column("Datum", lambda e: e.spent_on),
        Column("Mittelgeber", lambda e: str(e.source)),
        Column("Haushaltsposten", lambda e: str(e.budget_line)),
        Column("Betrag (EUR)", lambda e: float(e.amount)),
        Column("Verwendungszweck", lambda e: e.description),
        Column("Erfasst von", lambda e: str(e.recorded_by or "")),
    ],
    export_name="ausgaben",
)


@require_GET
def expense_list(request: HttpRequest) -> HttpResponse:
    _require_expenses(request)
    return list_response(
        request,
        queryset=selectors.expense_list_visible(user=request.user),
        spec=EXPENSE_LIST,
        template="reporting/expense_list.html",
        fragment="reporting/_expense_table.html",
    )


@require_http_methods(["GET", "POST"])
def expense_create_view(request: HttpRequest) -> HttpResponse:
    _require_expenses(request)
    form = ExpenseForm(request.POST or None, initial={"spent_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        expense = expense_create(actor=request.user, data=form.cleaned_data)
        messages.success(
            request,
            _("Expense of %(amount)s € saved.") % {"amount": f"{expense.amount:.2f}".replace(".", ",")},
        )
        return redirect("reporting:expense_list")
    return render(request, "reporting/expense_form.html", {"form": form})


@require_GET
@permission_required("reporting.export_pseudonymised")
def evaluation_export(request: HttpRequest) -> HttpResponse:
    """The page with the downloads; ?format=xlsx (all tables) or ?format=csv&table=<name> download."""
    fmt = request.GET.get("format", "")
    if fmt == "xlsx":
        for table in evaluation.TABLES.values():
            evaluation_export_record(actor=request.user, table=table, fmt="xlsx")
        response = HttpResponse(evaluation.xlsx_bytes(evaluation.TABLES.values()), content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="evaluation-{timezone.localdate().isoformat()}.xlsx"'
        )
        return response
    if fmt == "csv":
        table = evaluation.TABLES.get(request.GET.get("table", ""))
        if table is None:
            messages.error(request, _("Please choose one of the tables to download."))
            return redirect("reporting:evaluation_export")
        evaluation_export_record(actor=request.user, table=table, fmt="csv", filter=export_filter(request))
        response = StreamingHttpResponse(evaluation.csv_lines(table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="evaluation-{table.key}-{timezone.localdate().isoformat()}.csv"'
        )
        return response
    return render(request, "reporting/evaluation_export.html", {"tables": evaluation.TABLES.values()})


@require_GET
@permission_required("reporting.export_pseudonymised")
def evaluation_codebook(request: HttpRequest) -> HttpResponse:
    return render(request, "reporting/evaluation_codebook.html", {"tables": evaluation.TABLES.values()})
