"""The one mechanism that decides what a user may do, and in which organisations.

A user's rights come only from `Membership` rows: each role maps to a set of permission codes. Roles
holding `ALL_ORGANISATIONS` act in every organisation (the FWZ coordinators run the whole programme);
every other role acts only in the organisation of its membership.
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from core.models import Membership, Organisation, Role, User

ALL_ORGANISATIONS = "core.all_organisations"

_STAFF_WORK = frozenset(
    {
        "volunteers.view",
        "volunteers.change",
        "volunteers.import",
        "refugees.view",
        "refugees.change",
        "refugees.refer",
        "tandems.view",
        "tandems.change",
        "trainings.view",
        "trainings.change",
        "reporting.view",
        "reporting.view_people",  # sees the people behind the figures anyway: exact figures, no suppression
        "core.view_history",
        "core.messages_view",  # the outbox: which messages went to a person, and resending them
        "core.messages_resend",
        "volunteers.message",  # one e-mail to a filtered volunteer list (bulk message)
    }
)

ROLE_PERMS: dict[str, frozenset[str]] = {
    Role.COORDINATOR: _STAFF_WORK
    | {
        ALL_ORGANISATIONS,
        "refugees.view_sensitive",
        "reporting.export_pseudonymised",
        "reporting.grant",
        "reporting.record_expenses",  # the programme's own staff enter the funding table's expenses
        "core.privacy",  # access reports, erasure, consent withdrawal (Art. 15-17 GDPR)
    },
    Role.PARTNER: _STAFF_WORK,
    Role.REFERRER: frozenset({"refugees.refer", "refugees.view_own"}),
    Role.STEERING: frozenset({"reporting.view", "reporting.grant", ALL_ORGANISATIONS}),
    Role.EVALUATOR: frozenset(
        {"reporting.view", "reporting.grant", "reporting.export_pseudonymised", ALL_ORGANISATIONS}
    ),
    Role.ADMIN: frozenset({"core.admin", "core.view_history", ALL_ORGANISATIONS}),
}


def memberships(user: User) -> list[Membership]:
    """The user's memberships, read once per request object and kept on it."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_tenk_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("organisation"))
        user._tenk_memberships = cached
    return cached


def role_of(user: User) -> str | None:
    found = memberships(user)
    return found[0].role if found else None


def has_perm(*, user: User, perm: str, organisation: Organisation | None = None) -> bool:
    """May `user` do `perm` (in `organisation`, when one is given)?"""
    for membership in memberships(user):
        perms = ROLE_PERMS.get(membership.role, frozenset())
        if perm not in perms:
            continue
        if (
            organisation is None
            or ALL_ORGANISATIONS in perms
            or membership.organisation_id == organisation.pk
        ):
            return True
    return False


def organisations_with(*, user: User, perm: str) -> QuerySet[Organisation]:
    """The organisations in which `user` may do `perm`: the scope of every selector."""
    if acts_in_all_organisations(user=user, perm=perm):
        return Organisation.objects.all()
    roles = [m.role for m in memberships(user) if perm in ROLE_PERMS.get(m.role, frozenset())]
    return Organisation.objects.filter(memberships__user=user, memberships__role__in=roles)


def acts_in_all_organisations(*, user: User, perm: str) -> bool:
    """True when `user` may do `perm` in every organisation (the FWZ's coordinators, admins)."""
    return any(
        perm in ROLE_PERMS.get(m.role, frozenset()) and ALL_ORGANISATIONS in ROLE_PERMS[m.role]
        for m in memberships(user)
    )


def roles_with(perm: str) -> list[str]:
    return [role for role, perms in ROLE_PERMS.items() if perm in perms]


def users_with(*, perm: str, organisations) -> QuerySet[User]:
    """Who may do `perm` in one of `organisations` (an iterable or queryset of organisations or their ids):
    the roles that hold it in every organisation, wherever their membership is, and the members of those
    organisations whose role holds it there. Active or not: callers that offer a choice filter `is_active`."""
    everywhere = [role for role in roles_with(perm) if ALL_ORGANISATIONS in ROLE_PERMS[role]]
    local = [role for role in roles_with(perm) if ALL_ORGANISATIONS not in ROLE_PERMS[role]]
    return User.objects.filter(
        Q(memberships__role__in=everywhere)
        | Q(memberships__role__in=local, memberships__organisation__in=organisations)
    ).distinct()


def members_with(*, perm: str, organisations) -> QuerySet[User]:
    """The staff *of* `organisations`: users whose own membership there holds `perm` (a role's reach into
    every organisation does not count, so a partner's colleagues are their own organisation's)."""
    return User.objects.filter(
        memberships__role__in=roles_with(perm), memberships__organisation__in=organisations
    ).distinct()


def in_scope(queryset: QuerySet, *, user: User, perm: str, field: str = "organisation") -> QuerySet:
    """The rows of `queryset` whose organisation (`field`, never null) lies in `user`'s scope for `perm`.
    A user who acts in every organisation needs no condition at all: `organisation IN (every organisation)`
    would make the database join each row with the organisations to learn nothing (a count over 100,000
    volunteers then takes 40 ms instead of 8)."""
    if acts_in_all_organisations(user=user, perm=perm):
        return queryset
    return queryset.filter(**{f"{field}__in": organisations_with(user=user, perm=perm)})


def require(*, user: User, perm: str, organisation: Organisation | None = None) -> None:
    """403 unless `user` may do `perm` (in `organisation`)."""
    if not has_perm(user=user, perm=perm, organisation=organisation):
        raise PermissionDenied


def permission_required(perm: str) -> Callable:
    """View decorator: 403 unless the user holds `perm` in at least one organisation."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(user=request.user, perm=perm)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def own_organisation_ids(*, user: User) -> list[int]:
    """The organisations of the user's own memberships (not the wider scope of `ALL_ORGANISATIONS`): what
    the start page's "mine" means for records without a responsible person, such as volunteers."""
    return [m.organisation_id for m in memberships(user)]
