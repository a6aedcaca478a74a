from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.models import User
from refugees.models import Refugee, RefugeeStatus


@transaction.atomic
def refugee_status_change(
    *, refugee: Refugee, status: str, actor: User | None, close_reason: str = ""
) -> Refugee:
    """Move a referral along referred -> intake done -> waiting -> in a tandem -> closed, audited.

    Back to waiting (a tandem ended and the person still needs one) restarts the waiting time."""
    row = Refugee.objects.select_for_update().get(pk=refugee.pk)
    if row.status == status:
        return row
    before = row.status
    row.status = status
    row.status_changed_at = timezone.now()
    if status == RefugeeStatus.WAITING:
        row.waiting_since = timezone.localdate()
    if status == RefugeeStatus.CLOSED:
        row.closed_at = timezone.now()
        row.close_reason = close_reason
    row.full_clean()
    row.save()
    audit_record(
        actor=actor, action="refugees.refugee.status_changed", obj=row, changes={"status": [before, status]}
    )
    return row
