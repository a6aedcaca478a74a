import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.aggregates import StringAgg
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import (
    District,
    Gender,
    HelpArea,
    Language,
    MessageState,
    Organisation,
    OrganisationKind,
    User,
)
from core.outbox import messages_about
from core.permissions import (
    acts_in_all_organisations,
    in_scope,
    members_with,
    organisations_with,
    own_organisation_ids,
)
from core.reference import reference_rows
from volunteers.models import (
    BulkMessage,
    ErasureRequest,
    Interview,
    LanguageLevel,
    MigrationBackground,
    PoliceClearance,
    Source,
    StatusChange,
    Volunteer,
    VolunteerLanguage,
    VolunteerStatus,
)


def volunteer_list_visible(*, user: User, perm: str = "volunteers.view") -> QuerySet[Volunteer]:
    """The volunteers `user` may see: every read of volunteers starts here."""
    return in_scope(
        Volunteer.objects.filter(anonymised_at__isnull=True), user=user, perm=perm
    ).select_related("organisation", "district")


def volunteer_get_visible(*, user: User, pk: int) -> Volunteer:
    return volunteer_list_visible(user=user).get(pk=pk)


def volunteer_list_for_table(*, user: User) -> QuerySet[Volunteer]:
    """The list page's rows with what each row shows, read in a fixed number of queries (the languages; the
    areas of help are shown on the detail page and exported by `volunteer_export_rows`, not listed). A row is
    badged as a possible duplicate only when the record it may duplicate is visible to `user` too: a match in
    another organisation (an import flags it for the FWZ) must not tell a partner that the person is
    registered there."""
    visible = volunteer_list_visible(user=user)
    return visible.annotate(
        duplicate_visible=Exists(visible.filter(pk=OuterRef("possible_duplicate_of_id")))
    ).prefetch_related(
        Prefetch(
            "languages",
            queryset=VolunteerLanguage.objects.select_related("language").order_by("language__sort_order"),
            to_attr="language_rows",
        ),
    )


EXPORT_FIELDS = (
    "pk",
    "first_name",
    "last_name",
    "email",
    "phone",
    "birth_date",
    "gender",
    "migration_background",
    "organisation__short_name",
    "district_id",
    "status",
    "hours_per_month",
    "capacity",
    "trained_on",
    "clearance_valid_until",
    "source",
    "created_at",
)


EXPORT_CHOICES = {
    "gender": Gender,
    "migration_background": MigrationBackground,
    "status": VolunteerStatus,
    "source": Source,
}


def volunteer_export_rows(rows: QuerySet[Volunteer], *, chunk_size: int = 2000) -> Iterator[dict[str, Any]]:
    """The export's rows as plain dicts, read with a server-side cursor in one query: languages (with
    their level) and areas of help come as id lists aggregated in SQL, named from the small reference
    tables read once. Memory stays at one chunk, whatever the number of rows."""
    spoken = (
        VolunteerLanguage.objects.filter(volunteer=OuterRef("pk"))
        .order_by()
        .values("volunteer")
        .annotate(
            text=StringAgg(
                Concat(Cast("language_id", TextField()), Value(":"), F("level"), output_field=TextField()),
                delimiter=",",
                order_by=("language__sort_order", "language_id"),
            )
        )
        .values("text")
    )
    through = Volunteer.help_areas.through
    offered = (
        through.objects.filter(volunteer=OuterRef("pk"))
        .order_by()
        .values("volunteer")
        .annotate(
            text=StringAgg(
                Cast("helparea_id", TextField()),
                delimiter=",",
                order_by=("helparea__sort_order", "helparea_id"),
            )
        )
        .values("text")
    )
    # names and labels in the active language, read once here (the rows are written later, while streaming)
    # the reference tables as the filter form has them already (core/reference.py: no query when cached)
    languages = {str(lang.pk): str(lang) for lang in reference_rows(Language.objects.all())}
    areas = {str(area.pk): str(area) for area in reference_rows(HelpArea.objects.all())}
    districts = {district.pk: str(district) for district in reference_rows(District.objects.all())}
    labels = {
        name: {v: str(label) for v, label in choices.choices} for name, choices in EXPORT_CHOICES.items()
    }
    levels = {v: str(label) for v, label in LanguageLevel.choices}
    plain = rows.annotate(
        language_text=Subquery(spoken, output_field=TextField()),
        help_area_text=Subquery(offered, output_field=TextField()),
    ).values(*EXPORT_FIELDS, "language_text", "help_area_text")

    def generate() -> Iterator[dict[str, Any]]:
        for row in plain.iterator(chunk_size=chunk_size):
            for name, names in labels.items():
                row[name] = names.get(row[name], row[name])
            row["district"] = districts.get(row["district_id"], "")
            row["languages"] = ", ".join(
                f"{languages.get(lang_id, lang_id)} ({levels.get(level, level)})"
                for lang_id, _sep, level in (
                    item.partition(":") for item in (row["language_text"] or "").split(",")
                )
                if lang_id
            )
            row["help_areas"] = ", ".join(
                areas.get(area_id, area_id) for area_id in (row["help_area_text"] or "").split(",") if area_id
            )
            yield row

    return generate()


def volunteer_inbox_visible(*, user: User) -> QuerySet[Volunteer]:
    """Public sign-ups still waiting for a coordinator: not yet interviewed."""
    return volunteer_list_visible(user=user).filter(
        signed_up_at__isnull=False, status__in=["registered", "email_confirmed"]
    )


# The start page's work queues (core/home.py) and the daily digest. Volunteers have no responsible person,
# so mine = the volunteers of the user's own organisation(s) (their register); otherwise all in scope.


def _own(rows: QuerySet[Volunteer], *, user: User, mine: bool) -> QuerySet[Volunteer]:
    return rows.filter(organisation_id__in=own_organisation_ids(user=user)) if mine else rows


def signups_to_screen(*, user: User, mine: bool = True) -> QuerySet[Volunteer]:
    """The sign-up inbox (`volunteer_inbox_visible`), the oldest sign-up first."""
    return _own(volunteer_inbox_visible(user=user), user=user, mine=mine).order_by("signed_up_at", "pk")


# A clearance "expires soon" when it ends within this many days: time enough to ask for a new one.
CLEARANCE_WARNING_DAYS = 60


def clearances_expiring(
    *, user: User, mine: bool = True, days: int = CLEARANCE_WARNING_DAYS, today: datetime.date | None = None
) -> QuerySet[Volunteer]:
    """Volunteers still in the programme whose police clearance runs out within `days` (from today on),
    the soonest first."""
    today = today or timezone.localdate()
    rows = (
        volunteer_list_visible(user=user)
        .exclude(status=VolunteerStatus.LEFT)
        .filter(
            clearance_valid_until__gte=today, clearance_valid_until__lte=today + datetime.timedelta(days=days)
        )
    )
    return _own(rows, user=user, mine=mine).order_by("clearance_valid_until", "pk")


def volunteer_organisations_for(*, user: User, perm: str = "volunteers.change") -> QuerySet[Organisation]:
    """The organisations whose register `user` may write to (the FWZ and the cooperation partners)."""
    return organisations_with(user=user, perm=perm).filter(
        kind__in=[OrganisationKind.FWZ, OrganisationKind.PARTNER], is_active=True
    )


def staff_users_for(*, user: User) -> QuerySet[User]:
    """Who can be named as having held an interview or seen a clearance: staff of the user's scope."""
    return (
        members_with(perm="volunteers.change", organisations=volunteer_organisations_for(user=user))
        .filter(is_active=True)
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
    member_ids: list[int]
    reasons: set[str] = field(default_factory=set)
    members: list[Volunteer] = field(default_factory=list)  # filled for the page shown


REASONS = {
    "email": _("same e-mail address"),
    "phone": _("same phone number"),
    "name": _("same name and date of birth"),
}


def _duplicate_key_rows(base: QuerySet[Volunteer]) -> list[tuple]:
    """(pk, e-mail key, phone key, name key, birth date) of the records in `base` that share a key, in id
    order. Two queries: the shared values of each key (one grouped pass over each key's index, in one
    query), then the records holding them, one index lookup per key. As one query with the three groupings
    as subqueries PostgreSQL can't know how few values are shared and scans every record (issue #21)."""

    def shared(kind: str, key: str, *together: str) -> QuerySet:
        # the values of `key` that several records share (with the same `together` values)
        return (
            base.exclude(**{key: ""})
            .filter(**{f"{name}__isnull": False for name in together})
            .values(key, *together)
            .annotate(n=Count("*"))  # not the id: the key's index alone answers
            .filter(n__gt=1)
            .annotate(kind=Value(kind))
            .values_list("kind", key)
        )

    keys: dict[str, set[str]] = {"email": set(), "phone": set(), "name": set()}
    shared_keys = shared("email", "email_key").union(
        shared("phone", "phone_key"), shared("name", "name_key", "birth_date"), all=True
    )
    for kind, value in shared_keys:
        keys[kind].add(value)
    # a name shared with another birth date is read too, but only records that share a whole key are linked
    lookups = [
        base.filter(email_key__in=sorted(keys["email"])),
        base.filter(phone_key__in=sorted(keys["phone"])),
        base.filter(name_key__in=sorted(keys["name"]), birth_date__isnull=False),
    ]
    lookups = [
        lookup.values_list("pk", "email_key", "phone_key", "name_key", "birth_date")
        for lookup, kind in zip(lookups, keys, strict=True)
        if keys[kind]
    ]
    if not lookups:
        return []
    return sorted(lookups[0].union(*lookups[1:]))


def volunteer_duplicate_groups(*, user: User) -> list[DuplicateGroup]:
    """Probable duplicates among the volunteers `user` may change: records sharing an e-mail key, a phone
    key, or a name key with the same birth date, joined into groups (A~B and B~C make one group). Only the
    keys are read here; `duplicate_groups_load` reads the records of the groups that are shown."""
    base = volunteer_list_visible(user=user, perm="volunteers.change").order_by()
    rows = _duplicate_key_rows(base)
    parent: dict[int, int] = {pk: pk for pk, *_keys in rows}

    def find(pk: int) -> int:
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    first_by_key: dict[tuple, int] = {}
    reasons_by_root: dict[int, set[str]] = {}
    links: list[tuple[int, int, str]] = []
    for pk, email, phone, name, birth_date in rows:
        keys = []
        if email:
            keys.append(("email", email))
        if phone:
            keys.append(("phone", phone))
        if name and birth_date:
            keys.append(("name", name, birth_date))
        for key in keys:
            if key in first_by_key:
                links.append((first_by_key[key], pk, key[0]))
                parent[find(pk)] = find(first_by_key[key])
            else:
                first_by_key[key] = pk
    for _first, second, reason in links:
        reasons_by_root.setdefault(find(second), set()).add(str(REASONS[reason]))
    groups: dict[int, DuplicateGroup] = {}
    for pk, *_keys in rows:
        root = find(pk)
        if root in reasons_by_root:
            groups.setdefault(
                root, DuplicateGroup(member_ids=[], reasons=reasons_by_root[root])
            ).member_ids.append(pk)
    return [group for group in groups.values() if len(group.member_ids) > 1]


def duplicate_groups_load(groups: Iterable[DuplicateGroup], *, user: User) -> None:
    """Fill in the records of `groups` (the page shown), in one query, through the user's scope."""
    groups = list(groups)
    wanted = [pk for group in groups for pk in group.member_ids]
    found = volunteer_list_visible(user=user, perm="volunteers.change").in_bulk(wanted)
    for group in groups:
        group.members = [found[pk] for pk in group.member_ids if pk in found]


def bulk_message_list_visible(*, user: User) -> QuerySet[BulkMessage]:
    """The bulk messages `user` may follow: a coordinator's are seen by coordinators, a partner
    coordinator's by the coordinators and their own organisation's partner coordinators."""
    rows = BulkMessage.objects.defer("recipient_ids").select_related("created_by")
    if acts_in_all_organisations(user=user, perm="volunteers.message"):
        return rows
    return rows.filter(organisation__in=organisations_with(user=user, perm="volunteers.message"))


def bulk_message_progress(*, bulk: BulkMessage) -> dict[str, int]:
    """How far a bulk message got: its outbox messages counted by state, in one query."""
    return (
        messages_about(bulk)
        .order_by()
        .aggregate(
            queued=Count("pk"),
            sent=Count("pk", filter=Q(state=MessageState.SENT)),
            failed=Count("pk", filter=Q(state=MessageState.FAILED)),
            waiting=Count("pk", filter=Q(state=MessageState.QUEUED)),
        )
    )


def erasure_requests_open(*, user: User, mine: bool = True) -> QuerySet[ErasureRequest]:
    """Volunteers' own requests for erasure not yet carried out nor declined, oldest first, in the user's scope (mine:
    the volunteers of the user's own organisation(s), as for the sign-ups)."""
    volunteers = _own(volunteer_list_visible(user=user, perm="volunteers.change"), user=user, mine=mine)
    return (
        ErasureRequest.objects.filter(volunteer__in=volunteers, declined_at__isnull=True)
        .select_related("volunteer", "volunteer__organisation")
        .order_by("requested_at", "pk")
    )
