from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.models import HelpArea, Organisation, OrganisationKind, Role, User
from core.permissions import organisations_with
from volunteers.models import Interview, PoliceClearance, StatusChange, Volunteer, VolunteerLanguage


def volunteer_list_visible(*, user: User, perm: str = "volunteers.view") -> QuerySet[Volunteer]:
    """The volunteers `user` may see: every read of volunteers starts here."""
    return Volunteer.objects.filter(
        organisation__in=organisations_with(user=user, perm=perm), anonymised_at__isnull=True
    ).select_related("organisation", "district")


def volunteer_get_visible(*, user: User, pk: int) -> Volunteer:
    return volunteer_list_visible(user=user).get(pk=pk)


def volunteer_list_for_table(*, user: User) -> QuerySet[Volunteer]:
    """The list page's rows with what each row shows, read in a fixed number of queries."""
    return volunteer_list_visible(user=user).prefetch_related(
        Prefetch(
            "languages",
            queryset=VolunteerLanguage.objects.select_related("language").order_by("language__sort_order"),
            to_attr="language_rows",
        ),
        Prefetch("help_areas", queryset=HelpArea.objects.order_by("sort_order"), to_attr="help_area_rows"),
    )


def volunteer_inbox_visible(*, user: User) -> QuerySet[Volunteer]:
    """Public sign-ups still waiting for a coordinator: not yet interviewed."""
    return volunteer_list_visible(user=user).filter(
        signed_up_at__isnull=False, status__in=["registered", "email_confirmed"]
    )


def volunteer_organisations_for(*, user: User, perm: str = "volunteers.change") -> QuerySet[Organisation]:
    """The organisations whose register `user` may write to (the FWZ and the cooperation partners)."""
    return organisations_with(user=user, perm=perm).filter(
        kind__in=[OrganisationKind.FWZ, OrganisationKind.PARTNER], is_active=True
    )


def staff_users_for(*, user: User) -> QuerySet[User]:
    """Who can be named as having held an interview or seen a clearance: staff of the user's scope."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__role__in=[Role.COORDINATOR, Role.PARTNER],
            memberships__organisation__in=volunteer_organisations_for(user=user),
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def volunteer_timeline(*, volunteer: Volunteer) -> QuerySet[StatusChange]:
    return volunteer.status_changes.select_related("changed_by").order_by("changed_at", "pk")


def volunteer_interviews(*, volunteer: Volunteer) -> QuerySet[Interview]:
    return volunteer.interviews.select_related("held_by")


def volunteer_clearances(*, volunteer: Volunteer) -> QuerySet[PoliceClearance]:
    return volunteer.clearances.select_related("seen_by")


@dataclass
class DuplicateGroup:
    members: list[Volunteer]
    reasons: set[str] = field(default_factory=set)


REASONS = {
    "email": _("same e-mail address"),
    "phone": _("same phone number"),
    "name": _("same name and date of birth"),
}


def volunteer_duplicate_groups(*, user: User) -> list[DuplicateGroup]:
    """Probable duplicates among the volunteers `user` may change: records sharing an e-mail key, a phone
    key, or a name key with the same birth date, joined into groups (A~B and B~C make one group)."""
    base = volunteer_list_visible(user=user, perm="volunteers.change")
    same_email = base.filter(email_key=OuterRef("email_key")).exclude(pk=OuterRef("pk"))
    same_phone = base.filter(phone_key=OuterRef("phone_key")).exclude(pk=OuterRef("pk"))
    same_name = base.filter(name_key=OuterRef("name_key"), birth_date=OuterRef("birth_date")).exclude(
        pk=OuterRef("pk")
    )
    rows = list(
        base.filter(
            (~Q(email_key="") & Exists(same_email))
            | (~Q(phone_key="") & Exists(same_phone))
            | (~Q(name_key="") & Q(birth_date__isnull=False) & Exists(same_name))
        ).order_by("pk")
    )
    parent: dict[int, int] = {row.pk: row.pk for row in rows}

    def find(pk: int) -> int:
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    first_by_key: dict[tuple, int] = {}
    reasons_by_root: dict[int, set[str]] = {}
    links: list[tuple[int, int, str]] = []
    for row in rows:
        keys = []
        if row.email_key:
            keys.append(("email", row.email_key))
        if row.phone_key:
            keys.append(("phone", row.phone_key))
        if row.name_key and row.birth_date:
            keys.append(("name", row.name_key, row.birth_date))
        for key in keys:
            if key in first_by_key:
                links.append((first_by_key[key], row.pk, key[0]))
                parent[find(row.pk)] = find(first_by_key[key])
            else:
                first_by_key[key] = row.pk
    for _first, second, reason in links:
        reasons_by_root.setdefault(find(second), set()).add(str(REASONS[reason]))
    groups: dict[int, DuplicateGroup] = {}
    for row in rows:
        root = find(row.pk)
        if root in reasons_by_root:
            groups.setdefault(root, DuplicateGroup(members=[], reasons=reasons_by_root[root])).members.append(
                row
            )
    return [group for group in groups.values() if len(group.members) > 1]
