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


def outcome_counts(*, build: Build, outcomes: list[IntegrationOutcome]) -> tuple[int, dict[int, int]]:
    """The tandems ended in the period with a closure recorded, and per outcome (pk) how many reached it:
    one aggregate query, whatever the data."""
    ended = selectors.tandems_ended(organisations=build.organisations, period=build.period)
    closures = TandemClosure.objects.filter(tandem__in=ended.values("pk"))
    counts = closures.aggregate(
        total=Count("pk", distinct=True),
        **{f"o{o.pk}": Count("pk", filter=Q(outcomes=o.pk), distinct=True) for o in outcomes},
    )
    return counts["total"], {o.pk: counts[f"o{o.pk}"] for o in outcomes}


@figure(section="impact", order=470)
def integration_outcomes(build: Build) -> Figure:
    outcomes = list(IntegrationOutcome.objects.all())  # an inactive outcome still counts where it was ticked
    total, counts = outcome_counts(build=build, outcomes=outcomes)
    table = Table(
        caption=str(_("Integration outcomes of the tandems ended")),
        key_header=str(_("Outcome")),
        value_headers=[str(_("Number"))],
        rows=[
            Row(str(o), [suppress_one(counts[o.pk], enabled=build.hide)])
            for o in outcomes
            if o.is_active or counts[o.pk]
        ],
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
