"""The relationship survey on the dashboard and in the grant report (issue #20): the answers given in the
period per wave (1, 3, 6, 12 months) and side, with the mean score, and how many were low. Counts below the
threshold are hidden (reporting.suppression), and so is the mean of a hidden count: a mean over fewer than
five answers would be (nearly) one person's own answer."""

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from reporting.figures import Build, Figure, Row, Table, figure
from reporting.suppression import Cell, suppress, suppress_one
from tandems.models_survey import LOW_SCORE, SURVEY_SIDES, SURVEY_WAVES
from tandems.survey import survey_aggregates

SIDE_LABELS = {"volunteer": _("Volunteers"), "household": _("Households")}


def _wave_label(wave: int) -> str:
    return ngettext("after %(months)s month", "after %(months)s months", wave) % {"months": wave}


@figure(section="survey", order=510)
def survey_scores(build: Build) -> Figure:
    hide = build.hide
    found = survey_aggregates(
        organisations=build.organisations, start=build.period.start, end=build.period.end
    )
    counts = {
        side: suppress(
            {wave: found.get((wave, side), (0, None, 0))[0] for wave in SURVEY_WAVES}, enabled=hide
        )
        for side in SURVEY_SIDES
    }
    lows, low_total = suppress(
        {
            wave: sum(found.get((wave, side), (0, None, 0))[2] for side in SURVEY_SIDES)
            for wave in SURVEY_WAVES
        },
        enabled=hide,
    )

    def mean(wave: int, side: str) -> Cell:
        value = found.get((wave, side), (0, None, 0))[1]
        shown = counts[side][0][wave]
        return Cell(round(float(value), 1) if value is not None else None, hidden=shown.hidden)

    rows = [
        Row(
            _wave_label(wave),
            [
                *[cell for side in SURVEY_SIDES for cell in (counts[side][0][wave], mean(wave, side))],
                lows[wave],
            ],
        )
        for wave in SURVEY_WAVES
    ]
    total = sum(n for n, _mean, _low in found.values())
    table = Table(
        caption=str(_("Relationship survey: answers and mean score (1–5) per wave")),
        key_header=str(_("Wave")),
        value_headers=[
            header
            for side in SURVEY_SIDES
            for header in (
                str(_("%(side)s: answers") % {"side": SIDE_LABELS[side]}),
                str(_("%(side)s: mean") % {"side": SIDE_LABELS[side]}),
            )
        ]
        + [str(_("Low scores"))],
        rows=rows,
        total=Row(
            str(_("Total")),
            [cell for side in SURVEY_SIDES for cell in (counts[side][1], Cell(None))] + [low_total],
        ),
    )
    return Figure(
        "survey_scores",
        str(_("Relationship survey")),
        str(
            _(
                "Answers to the relationship survey given in the period, per wave (about 1, 3, 6 and 12 months "
                "after the start) and side: how true the statements on closeness, satisfaction and support are, "
                "from 1 (not true at all) to 5 (completely true), as the mean of each answer's items and of the "
                "answers. Low: a mean of %(low)s or lower, which flags the tandem at risk."
            )
            % {"low": number_format(LOW_SCORE, 1)}
        ),
        suppress_one(total, enabled=hide),
        str(_("answers")),
        table=table,
        summary_label=str(_("Relationship survey answers")),
    )
