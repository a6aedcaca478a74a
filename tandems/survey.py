"""The relationship-quality survey (issue #20, docs/participants.md § The relationship survey).

At about 1, 3, 6 and 12 months of a running tandem (`SURVEY_WAVES`, counted from `started_on`), the daily
job sends each side a personal link (`core.links`, purpose survey, about the tandem) through the outbox,
once per wave and side, with the same address and consent checks as the check-in links. The page asks the
active statements for that side (`SurveyItem`, edited by admins) one per screen on a five-point agreement
scale; the answer is one `SurveyResponse` per tandem, wave and side (answered twice counts once) with the
mean of its items as `score`. A side whose newest score is `LOW_SCORE` or lower flags the tandem at risk
(`tandems.selectors.with_support_flags`).
"""

import calendar
import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Avg, Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.links import link_use
from core.models import LinkPurpose, Organisation, ParticipantLink
from core.notifications import PARTICIPANT_SURVEY_LINKS, notification_active, site_link
from core.outbox import CHANNEL_EMAIL
from tandems.models import Tandem, TandemStatus
from tandems.models_survey import (
    LOW_SCORE,
    SURVEY_SIDES,
    SURVEY_WAVES,
    SurveyAnswer,
    SurveyItem,
    SurveyResponse,
)
from tandems.participants import side_links_send, side_of, tandem_of_link

SURVEY_LINK_TEMPLATE = "tandems/email/survey_link"
# a wave's link is sent from its date on for this many days (a tandem that started long ago gets no old wave)
SEND_WINDOW_DAYS = 30
SCALE = (1, 2, 3, 4, 5)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus whole months; the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def wave_due(started_on: datetime.date | None, day: datetime.date) -> int | None:
    """The wave whose sending window contains `day` (from `started_on` + N months, SEND_WINDOW_DAYS long)."""
    if started_on is None:
        return None
    for wave in reversed(SURVEY_WAVES):
        wave_day = add_months(started_on, wave)
        if wave_day <= day < wave_day + datetime.timedelta(days=SEND_WINDOW_DAYS):
            return wave
    return None


def survey_items(side: str) -> list[SurveyItem]:
    """The active statements one side answers, in order."""
    return [item for item in SurveyItem.objects.filter(is_active=True) if item.asks(side)]


def survey_of_link(link: ParticipantLink) -> tuple[Tandem, int, str] | None:
    """(tandem, wave, side) a survey link opens, while the tandem runs and the link's person is one of its
    sides; the wave is the one whose window the link was made in."""
    tandem = tandem_of_link(link)
    if tandem is None or tandem.status != TandemStatus.ACTIVE:
        return None
    wave = wave_due(tandem.started_on, timezone.localdate(link.created_at))
    return (tandem, wave, side_of(link)) if wave is not None else None


def survey_answered(*, tandem: Tandem, wave: int, side: str) -> bool:
    return SurveyResponse.objects.filter(tandem=tandem, wave=wave, side=side).exists()


def _mean(values: list[int]) -> Decimal:
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def survey_response_record(*, link: ParticipantLink, values: dict[int, int]) -> SurveyResponse | None:
    """Store one side's answer to its wave: a value 1–5 for every active statement of that side (item id →
    value). Returns None when the wave was answered already (the unique constraint decides: answered twice
    counts once). The new row becomes the side's newest score, which the at-risk rule reads."""
    opened = survey_of_link(link)
    if opened is None:
        raise ValidationError(_("This link can no longer be used."))
    tandem, wave, side = opened
    Tandem.objects.select_for_update().filter(pk=tandem.pk).first()
    items = survey_items(side)
    if not items or any(values.get(item.pk) not in SCALE for item in items):
        raise ValidationError(_("Please choose one answer."))
    chosen = [values[item.pk] for item in items]
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                tandem=tandem,
                wave=wave,
                side=side,
                answered_on=timezone.localdate(),
                score=_mean(chosen),
                is_latest=False,
                link=link,
            )
    except IntegrityError as exc:
        if "one_survey_answer_per_wave" in str(exc):
            return None
        raise
    SurveyAnswer.objects.bulk_create(
        [
            SurveyAnswer(response=response, item=item, value=value)
            for item, value in zip(items, chosen, strict=True)
        ]
    )
    _latest_mark(tandem=tandem, side=side)
    if not link_use(link=link, what="survey"):
        raise ValidationError(_("This link can no longer be used."))
    audit_record(
        actor=None,
        action="tandems.surveyresponse.created",
        obj=response,
        changes={"wave": [None, wave], "side": [None, side], "score": [None, str(response.score)]},
    )
    return response


def _latest_mark(*, tandem: Tandem, side: str) -> None:
    """The side's highest wave is its newest answer (waves are months apart and links live two weeks)."""
    rows = SurveyResponse.objects.filter(tandem=tandem, side=side)
    newest = rows.order_by("-wave").values_list("pk", flat=True).first()
    rows.exclude(pk=newest).filter(is_latest=True).update(is_latest=False)
    rows.filter(pk=newest).update(is_latest=True)


# ------------------------------------------------------------------------------------ sending the links


def _running(today: datetime.date) -> QuerySet[Tandem]:
    """Active tandems that could be in a wave's window today (started 1–13 months ago)."""
    first = today - datetime.timedelta(days=SEND_WINDOW_DAYS + 31)
    return Tandem.objects.filter(
        status=TandemStatus.ACTIVE,
        anonymised_at__isnull=True,
        started_on__lte=today - datetime.timedelta(days=28),
        started_on__gt=add_months(first, -max(SURVEY_WAVES)),
    )


def survey_links_send(*, today: datetime.date | None = None) -> tuple[int, int]:
    """For every running tandem in a wave's window, send each side the link to that wave's survey, once per
    wave and side: a side that got a survey link since the wave's date gets no other (a retried run sends
    nothing twice). It goes by e-mail only, to a person with a standing consent to e-mails and an address
    (`tandems.participants.side_links_send`, as the check-in links); for anybody else no link is made. Returns (queued, left out)."""
    if not notification_active(PARTICIPANT_SURVEY_LINKS):
        return 0, 0
    today = today or timezone.localdate()
    queued = left_out = 0
    for tandem in _running(today).select_related("volunteer", "refugee").order_by("pk"):
        wave = wave_due(tandem.started_on, today)
        if wave is None:
            continue
        since = timezone.make_aware(
            datetime.datetime.combine(add_months(tandem.started_on, wave), datetime.time.min)
        )
        sent, missed = side_links_send(
            tandem=tandem,
            purpose=LinkPurpose.SURVEY,
            since=since,
            templates={CHANNEL_EMAIL: SURVEY_LINK_TEMPLATE},  # no text message: a survey is read on a screen
            context=lambda person, token, wave=wave: survey_link_context(
                person=person, token=token, wave=wave
            ),
        )
        queued, left_out = queued + sent, left_out + missed
    return queued, left_out


def survey_link_context(*, person: models.Model, token: str, wave: int) -> dict[str, Any]:
    return {
        "first_name": person.first_name,
        "link": site_link(reverse("participant:survey", args=[token])),
        "days": settings.PARTICIPANT_LINK_DAYS,
        "months": wave,
    }


# ------------------------------------------------------------------------------------ scores


def survey_scores(*, tandem: Tandem) -> list[dict[str, Any]]:
    """The tandem's scores for staff: one row per wave answered by either side, with each side's score."""
    rows: dict[int, dict[str, Any]] = {}
    for response in SurveyResponse.objects.filter(tandem=tandem).order_by("wave", "side"):
        row = rows.setdefault(response.wave, {"wave": response.wave, **dict.fromkeys(SURVEY_SIDES)})
        row[response.side] = response.score
    return [
        {
            **row,
            "scores": [row[side] for side in SURVEY_SIDES],
            "low": any(row[side] is not None and row[side] <= LOW_SCORE for side in SURVEY_SIDES),
        }
        for row in rows.values()
    ]


def survey_aggregates(
    *, organisations: QuerySet[Organisation], start: datetime.date, end: datetime.date
) -> dict[tuple[int, str], tuple[int, Decimal | None, int]]:
    """(wave, side) → (answers, mean score, answers at or below LOW_SCORE) of the answers given in
    [start, end] in tandems of `organisations` (for the dashboard, which suppresses small counts)."""
    found = (
        SurveyResponse.objects.filter(
            tandem__organisation__in=organisations, answered_on__range=(start, end), score__isnull=False
        )
        .order_by()
        .values("wave", "side")
        .annotate(n=Count("pk"), mean=Avg("score"), low=Count("pk", filter=Q(score__lte=LOW_SCORE)))
    )
    return {(row["wave"], row["side"]): (row["n"], row["mean"], row["low"]) for row in found}


def survey_evaluation_rows() -> QuerySet[SurveyResponse]:
    """Every answer for the pseudonymised evaluation export: one row per tandem, wave and side."""
    return (
        SurveyResponse.objects.order_by("tandem_id", "wave", "side")
        .annotate(items=Count("answers", filter=Q(answers__value__isnull=False)))
        .values(
            "tandem_id", "wave", "side", "answered_on", "score", "items", "tandem__organisation__short_name"
        )
    )
