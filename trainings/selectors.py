import datetime
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.models import Organisation, User
from core.permissions import in_scope, organisations_with, own_organisation_ids
from trainings.models import CalendarToken, CourseType, Registration, RegistrationStatus, Session
from volunteers.models import Volunteer, VolunteerStatus
from volunteers.selectors import volunteer_list_visible

NOT_WAITING_FOR_TRAINING = (VolunteerStatus.LEFT, VolunteerStatus.PAUSED)


def session_list_visible(*, user: User) -> QuerySet[Session]:
    """Sessions are open to every staff member with `trainings.view`, whichever organisation runs them."""
    if not organisations_with(user=user, perm="trainings.view").exists():
        return Session.objects.none()
    return Session.objects.select_related("course_type", "organisation")


def _registrations_counted(**conditions) -> Coalesce:
    """How many registrations of the outer session meet `conditions`: a correlated count, so that a page
    of sessions counts only its own rows (a join and GROUP BY would count every session's before paging)."""
    counted = (
        Registration.objects.filter(session=OuterRef("pk"), **conditions)
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def session_list_with_counts(*, user: User) -> QuerySet[Session]:
    """The visible sessions with their counts (all organisations: counts are aggregates, not names)."""
    return session_list_visible(user=user).annotate(
        registered_count=_registrations_counted(status=RegistrationStatus.REGISTERED),
        waiting_count=_registrations_counted(status=RegistrationStatus.WAITING),
        attended_count=_registrations_counted(attended=True),
    )


def session_coming(*, user: User) -> QuerySet[Session]:
    return session_list_visible(user=user).filter(ends_at__gte=timezone.now())


def sessions_with_free_places(*, user: User, mine: bool = True, days: int = 7) -> QuerySet[Session]:
    """Sessions starting within the next `days` days with fewer registrations than places, the soonest
    first (the start page's "this week"). Sessions are open to all staff: mine = the sessions the user's
    own organisation(s) run."""
    now = timezone.now()
    rows = (
        session_list_with_counts(user=user)
        .filter(starts_at__gte=now, starts_at__lt=now + datetime.timedelta(days=days))
        .annotate(free_places=F("capacity") - F("registered_count"))
        .filter(free_places__gt=0)
    )
    if mine:
        rows = rows.filter(organisation_id__in=own_organisation_ids(user=user))
    return rows.order_by("starts_at", "pk")


def volunteer_list_registrable(*, user: User) -> QuerySet[Volunteer]:
    """The volunteers whose registrations and attendance `user` manages: visible and in their scope."""
    return in_scope(volunteer_list_visible(user=user), user=user, perm="trainings.change")


def registration_list_visible(*, user: User) -> QuerySet[Registration]:
    """Registrations of the volunteers `user` may manage; other organisations' people never show."""
    return Registration.objects.filter(
        volunteer__in=volunteer_list_registrable(user=user).values("pk")
    ).select_related("volunteer", "volunteer__organisation", "session", "session__course_type")


def training_organisations_for(*, user: User) -> QuerySet[Organisation]:
    """Where `user` may create sessions and invite active mentors."""
    return organisations_with(user=user, perm="trainings.change").order_by("name")


def volunteer_waiting_for_basic(*, user: User) -> QuerySet[Volunteer]:
    """Visible volunteers still without the required training, longest waiting first."""
    return (
        volunteer_list_visible(user=user)
        .filter(trained_on__isnull=True)
        .exclude(status__in=NOT_WAITING_FOR_TRAINING)
        .annotate(
            waiting_since=Coalesce("status_changed_at", "created_at"),
            # per shown row (a join with every registration would group all waiting volunteers before paging)
            coming_basic=Exists(
                Registration.objects.filter(
                    volunteer=OuterRef("pk"),
                    session__course_type__is_required=True,
                    session__starts_at__gte=timezone.now(),
                )
            ),
        )
    )


def training_registrations_for(*, volunteer: Volunteer) -> QuerySet[Registration]:
    """A volunteer's registrations, newest session first (for the volunteer's page)."""
    return (
        Registration.objects.filter(volunteer=volunteer)
        .select_related("session", "session__course_type", "session__organisation")
        .order_by("-session__starts_at", "-pk")
    )


def training_hours_for(*, volunteer: Volunteer, registrations: list[Registration] | None = None) -> Decimal:
    """Hours of training and meetups a volunteer attended (each session counts its course's duration); from
    the volunteer's `registrations` when the page has read them already (`training_registrations_for`),
    otherwise in one query."""
    if registrations is not None:
        return sum(
            (row.session.course_type.duration_hours for row in registrations if row.attended), Decimal("0")
        )
    return Registration.objects.filter(volunteer=volunteer, attended=True).aggregate(
        hours=Coalesce(
            Sum("session__course_type__duration_hours"),
            Value(Decimal("0")),
            output_field=DecimalField(max_digits=8, decimal_places=1),
        )
    )["hours"]


def course_type_list_active() -> QuerySet[CourseType]:
    return CourseType.objects.filter(is_active=True)


def calendar_token_for(*, user: User) -> CalendarToken | None:
    return CalendarToken.objects.filter(user=user).first()


def sessions_upcoming_with_counts() -> QuerySet[Session]:
    """Sessions still to start, of every organisation, with their counts: what a volunteer may register
    for on their self-service page (the same free places and waiting list the staff see)."""
    return (
        Session.objects.filter(starts_at__gt=timezone.now())
        .select_related("course_type", "organisation")
        .annotate(
            registered_count=_registrations_counted(status=RegistrationStatus.REGISTERED),
            waiting_count=_registrations_counted(status=RegistrationStatus.WAITING),
        )
        .annotate(free_places=F("capacity") - F("registered_count"))
        .order_by("starts_at", "pk")
    )
