"""The grant report's "Wirkung" (impact) section: the integration outcomes ticked when tandems closed
(issue #20, `tandems.IntegrationOutcome`), for the tandems ended in the period.

A tandem may reach several outcomes, so the rows do not add up to the total: each count is hidden on its
own when small (`suppress_one`), and no cell can be worked back from the others."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from reporting import selectors
from reporting.figures import Build, Figure, Row, Table, _chart_from_table, figure
from reporting.suppression import suppress_one
from tandems.models import IntegrationOutcome, TandemClosure


def outcome_counts(*, build: Build) -> tuple[int, dict[int, int]]:
    """The tandems ended in the period with a closure recorded, and per outcome (pk) how many reached it."""
    ended = selectors.tandems_ended(organisations=build.organisations, period=build.period)
    closures = TandemClosure.objects.filter(tandem__in=ended.values("pk"))
    total = closures.count()
    rows = closures.order_by().values("outcomes").annotate(n=Count("pk")).filter(~Q(outcomes=None))
    return total, {row["outcomes"]: row["n"] for row in rows}


@figure(section="impact", order=410)
def integration_outcomes(build: Build) -> Figure:
    total, counts = outcome_counts(build=build)
    outcomes = list(IntegrationOutcome.objects.filter(Q(is_active=True) | Q(pk__in=list(counts))))
    table = Table(
        caption=str(_("Integration outcomes of the tandems ended")),
        key_header=str(_("Outcome")),
        value_headers=[str(_("Number"))],
        rows=[Row(str(o), [suppress_one(counts.get(o.pk, 0), enabled=build.hide)]) for o in outcomes],
        total=Row(str(_("Tandems ended with a closure recorded")), [suppress_one(total, enabled=build.hide)]),
    )
    return Figure(
        "integration_outcomes",
        str(_("Integration outcomes")),
        str(
            _(
                "Tandems that ended within the period, by the integration outcomes ticked at the closure "
                "(several per tandem possible, so the rows do not add up)."
            )
        ),
        table.total.cells[0],
        str(_("tandems ended with a closure recorded")),
        chart=_chart_from_table("chart-outcomes", str(_("Integration outcomes")), table),
        table=table,
    )
