"""Who takes part in a run: the volunteers a user may pair, the refugees waiting, narrowed in SQL by the rules."""

import datetime
from collections.abc import Iterable

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Q, QuerySet

from core.models import OrganisationKind, User
from core.permissions import acts_in_all_organisations, memberships
from refugees.models import Refugee, RefugeeStatus
from tandems.matching.context import MATCHING_PERM
from tandems.matching.data import DAY_TIMES, RefugeeData
from tandems.matching.registry import RULES
from tandems.models import OPEN_STATUSES
from volunteers.models import Volunteer

# the rules "unavailable", "untrained" and "no_capacity": whether a volunteer can take a tandem at all
READY_RULES = ("unavailable", "no_capacity", "untrained")


def candidate_volunteers(*, user: User, organisation_ids: Iterable[int] | None = None) -> QuerySet[Volunteer]:
    """The volunteers a user may pair: those visible to them, plus the FWZ's volunteers released to the
    organisations in `organisation_ids` (a partner's own, by default)."""
    from volunteers.selectors import volunteer_list_visible

    visible = volunteer_list_visible(user=user, perm=MATCHING_PERM)
    if acts_in_all_organisations(user=user, perm=MATCHING_PERM):
        return visible
    orgs = (
        list(organisation_ids)
        if organisation_ids is not None
        else [m.organisation_id for m in memberships(user)]
    )
    released = Volunteer.objects.filter(
        anonymised_at__isnull=True,
        organisation__kind=OrganisationKind.FWZ,
        releases__organisation_id__in=orgs,
    )
    return Volunteer.objects.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=released.values("pk")))


def ready_with_free_place(queryset: QuerySet[Volunteer]) -> QuerySet[Volunteer]:
    """Only volunteers who can take a tandem now: available, trained, and with fewer open tandems than their
    capacity (the rules of READY_RULES, checked in SQL: they do not depend on the refugee)."""
    for rule in RULES:
        if rule.key in READY_RULES:
            queryset = rule.prefilter(queryset, None, None)
    return queryset


def prefiltered(
    queryset: QuerySet[Volunteer], refugee: RefugeeData, today: datetime.date
) -> QuerySet[Volunteer]:
    """The volunteers who can pass the hard rules for `refugee`, narrowed in SQL by each rule's prefilter
    before anything is loaded (at city scale this halves what is read). Scoring still applies every rule
    to what is loaded: this is only a cheaper way to leave out the volunteers it would block."""
    for rule in RULES:
        queryset = rule.prefilter(queryset, refugee, today)
    return queryset


def waiting_refugees(*, user: User) -> QuerySet[Refugee]:
    from core.permissions import organisations_with
    from refugees.selectors import refugee_list_visible

    # a proposed pair keeps the refugee on the waiting list (their waiting time counts) but out of the pool
    return (
        refugee_list_visible(user=user)
        .filter(
            status=RefugeeStatus.WAITING,
            organisation__in=organisations_with(user=user, perm="tandems.change"),
        )
        .exclude(tandems__status__in=OPEN_STATUSES)
    )


def load_refugees(queryset: QuerySet[Refugee]) -> list[RefugeeData]:
    """One query: the rows with their languages and needs as arrays."""
    languages = Refugee.languages.through
    needs = Refugee.needs.through
    rows = (
        queryset.order_by()
        .annotate(
            lang_ids=ArraySubquery(languages.objects.filter(refugee_id=OuterRef("pk")).values("language_id")),
            need_ids=ArraySubquery(needs.objects.filter(refugee_id=OuterRef("pk")).values("helparea_id")),
        )
        .values_list(
            "pk",
            "first_name",
            "last_name",
            "organisation_id",
            "status",
            "gender",
            "pref_volunteer_gender",
            "german_level",
            "birth_year",
            "children_count",
            "youngest_birth_year",
            "district_id",
            "waiting_since",
            "lang_ids",
            "need_ids",
            "interests",
            "available_weekdays",
            "available_times",
            "expected_months",
            "expected_per_month",
        )
    )
    return [
        RefugeeData(
            pk=pk,
            name=f"{first} {last}".strip(),
            organisation_id=org,
            status=status,
            gender=gender,
            pref_volunteer_gender=pref,
            german_level=german,
            birth_year=birth_year,
            children_count=children,
            youngest_birth_year=youngest,
            district_id=district,
            waiting_since=since,
            languages=frozenset(lang_ids or ()),
            needs=frozenset(need_ids or ()),
            interests=frozenset(i.strip().lower() for i in (interests or ()) if i.strip()),
            weekdays=tuple(sorted(set(weekdays or ()))),
            times=tuple(t for t in DAY_TIMES if t in (times or ())),
            expected_months=expected_months,
            expected_per_month=expected_per_month,
        )
        for (
            pk,
            first,
            last,
            org,
            status,
            gender,
            pref,
            german,
            birth_year,
            children,
            youngest,
            district,
            since,
            lang_ids,
            need_ids,
            interests,
            weekdays,
            times,
            expected_months,
            expected_per_month,
        ) in rows
    ]
