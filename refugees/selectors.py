import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Aggregate, Count, DateField, FloatField, Func, IntegerField, Q, QuerySet, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.actions import Action
from core.models import Consent, Organisation, User
from core.permissions import (
    acts_in_all_organisations,
    has_perm,
    organisations_with,
    own_organisation_ids,
    users_with,
)
from refugees.models import CONSENT_PURPOSE, INTAKE_STATUSES, ReferralNote, Refugee, RefugeeStatus


def refugee_list_visible(*, user: User) -> QuerySet[Refugee]:
    """The referrals `user` may see: staff by organisation, referrers only the ones they referred."""
    refugees = Refugee.objects.filter(anonymised_at__isnull=True).select_related("organisation", "district")
    if acts_in_all_organisations(user=user, perm="refugees.view"):
        return refugees  # no condition: see core.permissions.in_scope
    scope = Q(organisation__in=organisations_with(user=user, perm="refugees.view"))
    if has_perm(user=user, perm="refugees.view_own"):
        scope |= Q(referred_by=user)
    return refugees.filter(scope)


def refugee_get_visible(*, user: User, pk: int) -> Refugee:
    return refugee_list_visible(user=user).get(pk=pk)


def referral_list_visible(*, user: User) -> QuerySet[Refugee]:
    """A referrer's own referrals: the only refugees a referrer ever reaches."""
    return refugee_list_visible(user=user).filter(referred_by=user).select_related("coordinator")


def refugee_waiting_list_visible(*, user: User) -> QuerySet[Refugee]:
    return refugee_list_visible(user=user).filter(status=RefugeeStatus.WAITING, waiting_since__isnull=False)


# The start page's work queues (core/home.py) and the daily digest. mine = the people the user is the
# responsible coordinator of, and those nobody is responsible for yet in the user's own organisation(s);
# otherwise everybody in the user's scope.


def _mine(rows: QuerySet[Refugee], *, user: User, mine: bool) -> QuerySet[Refugee]:
    if not mine:
        return rows
    return rows.filter(
        Q(coordinator=user) | Q(coordinator__isnull=True, organisation_id__in=own_organisation_ids(user=user))
    )


def referrals_awaiting_intake(*, user: User, mine: bool = True) -> QuerySet[Refugee]:
    """Referrals whose intake interview has not been held yet, the oldest referral first."""
    rows = refugee_list_visible(user=user).filter(status=RefugeeStatus.REFERRED)
    return _mine(rows, user=user, mine=mine).order_by("referred_at", "pk")


def refugees_waiting_longest(*, user: User, mine: bool = True) -> QuerySet[Refugee]:
    """The waiting list (`refugee_waiting_list_visible`), the longest waiting first."""
    rows = refugee_waiting_list_visible(user=user)
    return _mine(rows, user=user, mine=mine).order_by("waiting_since", "pk")


class _Median(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def waiting_days_median(*, queryset: QuerySet[Refugee], today: datetime.date | None = None) -> float | None:
    """The median of the days waited since intake, computed by PostgreSQL in one query."""
    return waiting_figures(queryset=queryset, today=today)[1]


def waiting_figures(
    *, queryset: QuerySet[Refugee], today: datetime.date | None = None
) -> tuple[int, float | None]:
    """How many are waiting and the median of their days waited since intake, in one query."""
    today = today or timezone.localdate()
    # date - date is a whole number of days in PostgreSQL
    days = Func(
        Value(today, output_field=DateField()),
        "waiting_since",
        template="(%(expressions)s)",
        arg_joiner=" - ",
        output_field=IntegerField(),
    )
    result = queryset.order_by().aggregate(count=Count("pk"), median=_Median(days))
    median = result["median"]
    return result["count"], None if median is None else float(median)


def coordinator_choices(*, organisation: Organisation | None) -> QuerySet[User]:
    """Who may be responsible for a referral: the FWZ coordinators and the organisation's own staff."""
    organisations = [organisation] if organisation is not None else []
    return (
        users_with(perm="refugees.change", organisations=organisations)
        .filter(is_active=True)
        .order_by("last_name", "first_name", "pk")
    )


def refugee_consents_every(*, refugee: Refugee) -> QuerySet[Consent]:
    """Every consent of the household, the programme's and the channels' (one query for its page),
    newest first."""
    return Consent.objects.filter(
        content_type=ContentType.objects.get_for_model(Refugee), object_id=refugee.pk
    ).select_related("interpreter_language", "recorded_by")


def refugee_consents(*, refugee: Refugee) -> QuerySet[Consent]:
    """The household's consents to the programme (its referral consent and what followed)."""
    return refugee_consents_every(refugee=refugee).filter(purpose=CONSENT_PURPOSE)


def referral_notes_for(*, refugee: Refugee) -> QuerySet[ReferralNote]:
    return refugee.referral_notes.select_related("author")


def referral_note_list_visible(*, user: User) -> QuerySet[ReferralNote]:
    """Notes on the referrals `user` may see."""
    return ReferralNote.objects.filter(refugee__in=refugee_list_visible(user=user)).select_related(
        "refugee", "author"
    )


def refugee_actions(*, refugee: Refugee, user: User) -> list[Action]:
    """What `user` can do with the referral now, for its page: the intake before the person is in a tandem
    (INTAKE_STATUSES, which `refugee_intake_record` checks too), editing, and closing an open referral or
    removing the personal data of a closed one (what `refugee_close` and `refugee_anonymise` allow)."""
    if not has_perm(user=user, perm="refugees.change", organisation=refugee.organisation):
        return []
    actions = []
    if refugee.status in INTAKE_STATUSES:
        label = _("Edit intake") if refugee.intake_on else _("Record intake")
        actions.append(Action(label, reverse("refugees:refugee_intake", args=[refugee.pk]), "btn-primary"))
    actions.append(Action(_("Edit"), reverse("refugees:refugee_edit", args=[refugee.pk])))
    if refugee.status != RefugeeStatus.CLOSED:
        url, label, post = reverse("refugees:refugee_close", args=[refugee.pk]), _("Close referral"), False
    else:
        url, label, post = (
            reverse("refugees:refugee_anonymise", args=[refugee.pk]),
            _("Remove personal data"),
            True,
        )
    return [*actions, Action(label, url, "btn-outline-danger", post=post)]
