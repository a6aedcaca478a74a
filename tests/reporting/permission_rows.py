from tests.permissions import LOGIN, Row, expect


def readers(*, partner: int) -> dict[str, int]:
    """Coordinators, steering and evaluators read the figures; referrers and admins never."""
    return expect(
        anonymous=LOGIN,
        coordinator=200,
        partner=partner,
        referrer=403,
        steering=200,
        evaluator=200,
        admin=403,
    )


def coordinators_only(ok: int = 200) -> dict[str, int]:
    return expect(
        anonymous=LOGIN, coordinator=ok, partner=403, referrer=403, steering=403, evaluator=403, admin=403
    )


def evaluation() -> dict[str, int]:
    return expect(
        anonymous=LOGIN, coordinator=200, partner=403, referrer=403, steering=403, evaluator=200, admin=403
    )


def _expense(world) -> dict[str, str]:
    from reporting.models import BudgetLine, FundingSource

    return {
        "spent_on": "2026-01-15",
        "source": FundingSource.objects.get(code="city-11137").pk,
        "budget_line": BudgetLine.objects.get(code="material").pk,
        "amount": "120,50",
        "description": "Rechnung 4711 Druckerei",
    }


YEAR = lambda w: {"year": 2026}  # noqa: E731

ROWS = [
    Row("reporting:dashboard", readers(partner=200), note="partners: their organisation's figures"),
    Row("reporting:dashboard", readers(partner=200), query="?year=2025"),
    Row(
        "reporting:dashboard",
        readers(partner=200),
        query="?date_from=2026-12-01&date_to=2026-01-01",
        note="bad range",
    ),
    Row("reporting:grant_report_list", readers(partner=403)),
    Row("reporting:grant_report", readers(partner=403), kwargs=YEAR),
    Row("reporting:grant_report", readers(partner=403), kwargs=YEAR, query="?format=xlsx"),
    Row("reporting:grant_report", readers(partner=403), kwargs=YEAR, query="?format=print"),
    Row(
        "reporting:grant_report",
        expect(
            anonymous=LOGIN,
            coordinator=404,
            partner=403,
            referrer=403,
            steering=404,
            evaluator=404,
            admin=403,
        ),
        kwargs=lambda w: {"year": 1999},
        note="a year outside 2000-2100",
    ),
    Row("reporting:expense_list", coordinators_only()),
    Row("reporting:expense_list", coordinators_only(), query="?format=xlsx"),
    Row("reporting:expense_create", coordinators_only()),
    Row("reporting:expense_create", coordinators_only(302), method="post", data=_expense),
    Row("reporting:evaluation_export", evaluation()),
    Row("reporting:evaluation_export", evaluation(), query="?format=csv&table=volunteers"),
    Row("reporting:evaluation_export", evaluation(), query="?format=xlsx"),
    Row(
        "reporting:evaluation_export",
        expect(
            anonymous=LOGIN,
            coordinator=302,
            partner=403,
            referrer=403,
            steering=403,
            evaluator=302,
            admin=403,
        ),
        query="?format=csv&table=unknown",
        note="an unknown table: back to the page with a message",
    ),
    Row("reporting:evaluation_codebook", evaluation()),
]
