import datetime

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    DateField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.actions import Action
from core.models import Organisation, OrganisationKind, User
from core.permissions import has_perm, in_scope, own_organisation_ids, users_with
from tandems.models import (
    OPEN_STATUSES,
    STEP_FROM,
    CheckInCadence,
    HelpRequest,
    MatchingWeights,
    Mood,
    SurveyResponse,
    Tandem,
    TandemStatus,
)
from tandems.models_survey import LOW_SCORE
from volunteers.models import Volunteer, VolunteerStatus
from volunteers.selectors import volunteer_list_visible

SUPPORTED_STATUSES = (TandemStatus.INTRODUCED, TandemStatus.ACTIVE)


def tandem_list_visible(*, user: User, perm: str = "tandems.view") -> QuerySet[Tandem]:
    """The tandems `user` may see: every read of tandems starts here."""
    return in_scope(Tandem.objects.filter(anonymised_at__isnull=True), user=user, perm=perm).select_related(
        "volunteer", "refugee", "organisation", "coordinator", "end_reason"
    )


def tandem_get_visible(*, user: User, pk: int) -> Tandem:
    return with_support_flags(tandem_list_visible(user=user)).get(pk=pk)


# the steps a tandem's page offers, in this order: (step of STEP_FROM, URL name, label, button style)
TANDEM_STEPS = (
    ("introduce", "tandems:tandem_introduce", _("Introduce"), "btn-primary"),
    ("start", "tandems:tandem_start", _("Start the tandem"), "btn-primary"),
    ("log_contact", "tandems:checkin_create", _("Log a contact"), "btn-outline-primary"),
    ("start_closing", "tandems:tandem_closing_start", _("Start closing"), "btn-outline-primary"),
    ("closing", "tandems:tandem_closing", _("Exit conversations"), "btn-primary"),
    ("end", "tandems:tandem_end", _("End the tandem"), "btn-outline-danger"),
    ("not_started", "tandems:tandem_not_started", _("Did not start"), "btn-outline-danger"),
    ("agreement", "tandems:tandem_agreement", _("Tandem agreement"), "btn-outline-secondary"),
)


# steps that are one click (a form with a button, no page of their own)
POST_STEPS = frozenset({"start_closing"})


def tandem_actions(*, tandem: Tandem, user: User) -> list[Action]:
    """What `user` can do with `tandem` now: the steps its status allows (STEP_FROM, which the services
    check too), then editing; nothing for a user who may not change the tandem."""
    if not has_perm(user=user, perm="tandems.change", organisation=tandem.organisation):
        return []
    actions = [
        Action(label, reverse(url_name, args=[tandem.pk]), style, post=step in POST_STEPS)
        for step, url_name, label, style in TANDEM_STEPS
        if tandem.status in STEP_FROM[step]
    ]
    return [
        *actions,
        Action(_("Edit"), reverse("tandems:tandem_edit", args=[tandem.pk]), "btn-outline-secondary"),
    ]


def cadence_active() -> CheckInCadence:
    """The cadence in force; the defaults when an admin has deactivated every row."""
    return CheckInCadence.objects.filter(is_active=True).first() or CheckInCadence(name="Standard")


def weights_active() -> MatchingWeights:
    return MatchingWeights.objects.filter(is_active=True).first() or MatchingWeights(name="Standard")


def fwz_organisation() -> Organisation | None:
    return Organisation.objects.filter(kind=OrganisationKind.FWZ).order_by("pk").first()


def with_support_flags(
    queryset: QuerySet[Tandem], *, cadence: CheckInCadence | None = None, today: datetime.date | None = None
) -> QuerySet[Tandem]:
    """Annotate the flags overdue, silent and at risk (and the reference date of the last contact).

    They are derived from the check-in summary stored on each tandem (`last_contact_on`, `latest_mood`,
    `previous_mood`, `next_due_on`, kept by database triggers, migration 0004) against `today` and the
    cadence: plain column expressions, no subquery, so the cost does not grow with the check-ins."""
    cadence = cadence or cadence_active()
    today = today or timezone.localdate()
    silent_since = today - datetime.timedelta(days=cadence.no_contact_days)
    # after the first period the cadence is quarterly: a tandem there is silent only after the later interval
    # plus the same grace the admin gives over the early interval (42 - 30 days: 91 + 12)
    grace = max(cadence.no_contact_days - cadence.early_interval_days, 0)
    silent_later_since = today - datetime.timedelta(
        days=max(cadence.later_interval_days + grace, cadence.no_contact_days)
    )
    in_later_period = Q(started_on__lt=today - datetime.timedelta(days=cadence.early_period_days))
    supported = Q(status__in=SUPPORTED_STATUSES)
    return queryset.annotate(
        contact_reference_on=ExpressionWrapper(
            Coalesce("last_contact_on", "started_on", "introduced_on"), output_field=DateField()
        ),
        is_overdue=Case(
            When(supported & Q(next_due_on__lt=today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        is_silent=Case(
            When(
                supported & ~in_later_period & Q(last_contact_on__lt=silent_since)
                | supported & in_later_period & Q(last_contact_on__lt=silent_later_since)
                | supported & Q(last_contact_on__isnull=True) & Q(started_on__lt=silent_since)
                | supported
                & Q(last_contact_on__isnull=True, started_on__isnull=True)
                & Q(introduced_on__lt=silent_since),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
        # the newest survey answer of either side is low (tandems/survey.py): one indexed lookup
        is_survey_low=Exists(
            SurveyResponse.objects.filter(tandem=OuterRef("pk"), is_latest=True, score__lte=LOW_SCORE)
        ),
    ).annotate(
        is_at_risk=Case(
            When(
                supported
                & (
                    Q(latest_mood=Mood.RED)
                    | Q(latest_mood=Mood.YELLOW, previous_mood=Mood.YELLOW)
                    | Q(is_overdue=True)
                    | Q(is_silent=True)
                    | Q(is_survey_low=True)
                ),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def open_tandems_of_volunteer(*, volunteer_id: int) -> QuerySet[Tandem]:
    return Tandem.objects.filter(volunteer_id=volunteer_id, status__in=OPEN_STATUSES)


def coordinators_for(*, organisation: Organisation) -> QuerySet[User]:
    """Staff who may take over a tandem of `organisation`: its own coordinators and the FWZ's."""
    return (
        users_with(perm="tandems.change", organisations=[organisation])
        .filter(is_active=True)
        .order_by("last_name", "first_name", "username")
    )


# The start page's work queues (core/home.py) and, later, the daily digest. Each takes the user and `mine`:
# mine = the tandems where the user is the responsible coordinator; otherwise every tandem in the user's
# scope. They return querysets, usable outside a request.


def _supported(
    *,
    user: User,
    mine: bool,
    today: datetime.date | None = None,
    cadence: CheckInCadence | None = None,
) -> QuerySet[Tandem]:
    rows = with_support_flags(
        tandem_list_visible(user=user).filter(status__in=SUPPORTED_STATUSES), cadence=cadence, today=today
    )
    return rows.filter(coordinator=user) if mine else rows


def _support_queue_rules(today: datetime.date) -> dict[str, tuple[Q, tuple[str, ...]]]:
    """The start page's queues of supported tandems (section key: condition on `with_support_flags`, order),
    stated once for the selectors below and for `support_queues`, which reads them together."""
    return {
        # the planned check-in falls today or earlier, the longest overdue first
        "checkins-due": (Q(next_due_on__lte=today), ("next_due_on", "pk")),
        # the ones at risk (or without contact) longest without contact first
        "tandems-at-risk": (Q(is_at_risk=True), ("contact_reference_on", "pk")),
        "tandems-without-contact": (Q(is_silent=True), ("contact_reference_on", "pk")),
    }


def _support_queue(key: str, *, user: User, mine: bool, today: datetime.date | None) -> QuerySet[Tandem]:
    today = today or timezone.localdate()
    condition, order = _support_queue_rules(today)[key]
    return _supported(user=user, mine=mine, today=today).filter(condition).order_by(*order)


def checkins_due(*, user: User, mine: bool = True, today: datetime.date | None = None) -> QuerySet[Tandem]:
    """Tandems whose planned check-in falls today or earlier (`next_due_on`, the check-in summary), the
    longest overdue first."""
    return _support_queue("checkins-due", user=user, mine=mine, today=today)


def tandems_at_risk(*, user: User, mine: bool = True, today: datetime.date | None = None) -> QuerySet[Tandem]:
    """Tandems flagged at risk by `with_support_flags` (red or twice yellow, overdue, silent, a low survey
    score); the reasons
    come from `Tandem.risk_reasons`. The ones longest without contact first."""
    return _support_queue("tandems-at-risk", user=user, mine=mine, today=today)


def tandems_without_contact(
    *, user: User, mine: bool = True, today: datetime.date | None = None
) -> QuerySet[Tandem]:
    """Tandems without contact for longer than the cadence's `no_contact_days` (`is_silent`)."""
    return _support_queue("tandems-without-contact", user=user, mine=mine, today=today)


def _support_queue_figures(
    tandems: QuerySet[Tandem], *, rules: dict[str, tuple[Q, tuple[str, ...]]], limit: int
) -> tuple:
    """For each rule, in order: how many of `tandems` meet it, and the ids of the first `limit` in its order.
    The conditions become columns of one inner query, compiled once; the outer query only counts and
    collects over those columns (Django's own aggregate() repeated every flag's expression in each FILTER
    and ORDER BY: twice the Python time to compile, for the same SQL result)."""
    flags = {
        f"in_{n}": ExpressionWrapper(condition, output_field=BooleanField())
        for n, (condition, _o) in enumerate(rules.values())
    }
    columns = {name for _c, order in rules.values() for name in order}
    inner, params = (
        tandems.select_related(None)
        .order_by()
        .annotate(**flags)
        .values(*columns, *flags)
        .query.sql_with_params()
    )
    quote = connection.ops.quote_name
    parts = [
        f"count(*) FILTER (WHERE {quote(flag)}), "
        f"(array_agg({quote('pk')} ORDER BY {', '.join(map(quote, order))}) FILTER (WHERE {quote(flag)}))[1:{int(limit)}]"
        for flag, (_c, order) in zip(flags, rules.values(), strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)} FROM ({inner}) AS queue", params)  # noqa: S608 (our names)
        return cursor.fetchone()


def support_queues(
    *, user: User, mine: bool, limit: int, today: datetime.date | None = None
) -> dict[str, tuple[int, list[Tandem]]]:
    """The start page's three queues of supported tandems (the selectors above) read together, in three
    queries whatever the number of tandems: the cadence; one pass over the supported tandems in scope that
    counts each queue and keeps the ids of its first `limit` rows in the queue's order (on the tandems'
    own columns, nothing joined); one read of those few tandems with their people and flags."""
    today = today or timezone.localdate()
    cadence = cadence_active()
    rules = _support_queue_rules(today)
    figures = _support_queue_figures(
        _supported(user=user, mine=mine, today=today, cadence=cadence), rules=rules, limit=limit
    )
    firsts = [first or [] for first in figures[1::2]]
    shown = {pk for first in firsts for pk in first}
    rows = (
        {
            row.pk: row
            for row in with_support_flags(
                tandem_list_visible(user=user).filter(pk__in=shown), cadence=cadence, today=today
            )
        }
        if shown
        else {}
    )
    # a tandem changed between the two reads is left out of its rows (the count is that of the first read)
    return {
        key: (figures[2 * n], [rows[pk] for pk in firsts[n] if pk in rows]) for n, key in enumerate(rules)
    }


def volunteers_trained_unmatched(*, user: User, mine: bool = True) -> QuerySet[Volunteer]:
    """Trained volunteers (not paused, not left) who have never been in a tandem, the longest trained first.
    Volunteers have no responsible person: mine = those of the user's own organisation(s)."""
    rows = (
        volunteer_list_visible(user=user)
        .filter(trained_on__isnull=False)
        .exclude(status__in=(VolunteerStatus.PAUSED, VolunteerStatus.LEFT))
        .filter(~Exists(Tandem.objects.filter(volunteer=OuterRef("pk"))))
    )
    if mine:
        rows = rows.filter(organisation_id__in=own_organisation_ids(user=user))
    return rows.order_by("trained_on", "pk")


def help_requests_open(*, user: User, mine: bool = True) -> QuerySet[HelpRequest]:
    """ "I need help" not yet handled, the oldest first: mine = of the tandems where the user is the
    responsible coordinator (tandems without one count as everybody's in scope); first on the start page."""
    tandems = tandem_list_visible(user=user, perm="tandems.change")
    rows = HelpRequest.objects.filter(handled_at__isnull=True, tandem__in=tandems.values("pk"))
    if mine:
        rows = rows.filter(Q(tandem__coordinator=user) | Q(tandem__coordinator__isnull=True))
    return rows.select_related("tandem__volunteer", "tandem__refugee").order_by("created_at", "pk")
