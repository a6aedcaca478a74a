from django.db.models import QuerySet

from core.models import User
from core.permissions import organisations_with
from volunteers.models import Volunteer


def volunteer_list_visible(*, user: User, perm: str = "volunteers.view") -> QuerySet[Volunteer]:
    """The volunteers `user` may see: every read of volunteers starts here."""
    return Volunteer.objects.filter(
        organisation__in=organisations_with(user=user, perm=perm), anonymised_at__isnull=True
    ).select_related("organisation", "district")


def volunteer_get_visible(*, user: User, pk: int) -> Volunteer:
    return volunteer_list_visible(user=user).get(pk=pk)
