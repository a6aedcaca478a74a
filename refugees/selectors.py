from django.db.models import Q, QuerySet

from core.models import User
from core.permissions import has_perm, organisations_with
from refugees.models import Refugee


def refugee_list_visible(*, user: User) -> QuerySet[Refugee]:
    """The referrals `user` may see: staff by organisation, referrers only the ones they referred."""
    staff_orgs = organisations_with(user=user, perm="refugees.view")
    scope = Q(organisation__in=staff_orgs)
    if has_perm(user=user, perm="refugees.view_own"):
        scope |= Q(referred_by=user)
    return Refugee.objects.filter(scope, anonymised_at__isnull=True).select_related(
        "organisation", "district"
    )


def refugee_get_visible(*, user: User, pk: int) -> Refugee:
    return refugee_list_visible(user=user).get(pk=pk)
