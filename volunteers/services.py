import datetime

from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.models import User
from volunteers.models import StatusChange, Volunteer, VolunteerStatus


@transaction.atomic
def volunteer_status_change(
    *, volunteer: Volunteer, status: str, actor: User | None, note: str = ""
) -> Volunteer:
    """Move a volunteer along the pipeline; every step is dated on the timeline and audited."""
    row = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if row.status == status:
        return row
    before = row.status
    row.status = status
    row.status_changed_at = timezone.now()
    if status == VolunteerStatus.LEFT and row.left_on is None:
        row.left_on = timezone.localdate()
    row.full_clean()
    row.save(update_fields=["status", "status_changed_at", "left_on", "updated_at"])
    StatusChange.objects.create(volunteer=row, status=status, changed_by=actor, note=note)
    audit_record(
        actor=actor,
        action="volunteers.volunteer.status_changed",
        obj=row,
        changes={"status": [before, status]},
    )
    return row


@transaction.atomic
def volunteer_trained_record(
    *, volunteer: Volunteer, trained_on: datetime.date, actor: User | None
) -> Volunteer:
    """Attendance of the required basic training makes a volunteer trained (the earliest date counts)."""
    row = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if row.trained_on is not None and row.trained_on <= trained_on:
        return row
    before = row.trained_on
    row.trained_on = trained_on
    row.save(update_fields=["trained_on", "updated_at"])
    audit_record(
        actor=actor,
        action="volunteers.volunteer.trained",
        obj=row,
        changes={"trained_on": [before.isoformat() if before else None, trained_on.isoformat()]},
    )
    # the pipeline moves on to "trained" only from the steps before it; an active mentor stays active
    if row.status in {
        VolunteerStatus.REGISTERED,
        VolunteerStatus.EMAIL_CONFIRMED,
        VolunteerStatus.INTERVIEW_DONE,
        VolunteerStatus.CLEARED,
    }:
        row = volunteer_status_change(
            volunteer=row, status=VolunteerStatus.TRAINED, actor=actor, note="basic training attended"
        )
    return row
