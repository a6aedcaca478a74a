from core import demo as core_demo
from volunteers import demo
from volunteers.models import Interview, PoliceClearance, StatusChange, Volunteer, VolunteerStatus


def test_small_demo_covers_every_status_and_organisation_and_is_idempotent(db):
    core_demo.seed(size="small")
    made = demo.seed(size="small")
    assert 200 <= made == Volunteer.objects.count() < 220
    assert set(Volunteer.objects.values_list("status", flat=True)) == set(VolunteerStatus.values)
    assert Volunteer.objects.values("organisation").distinct().count() >= 4
    assert Interview.objects.exists() and PoliceClearance.objects.exists()
    assert Volunteer.objects.filter(possible_duplicate_of__isnull=False).exists()
    active = Volunteer.objects.filter(status=VolunteerStatus.ACTIVE).first()
    steps = list(active.status_changes.order_by("changed_at").values_list("status", flat=True))
    assert steps == ["registered", "email_confirmed", "interview_done", "cleared", "trained", "active"]
    assert StatusChange.objects.filter(changed_at__year__lt=2026).exists(), "the timeline is backdated"
    assert all(v.email_key and v.name_key for v in Volunteer.objects.all()[:20])
    assert demo.seed(size="small") == 0
    assert Volunteer.objects.count() == made


def test_the_demo_fills_the_commitment_and_leaves_some_unstated(db):
    core_demo.seed(size="small")
    demo.seed(size="small")
    months = list(Volunteer.objects.values_list("commitment_months", flat=True))
    assert {3, 12} <= set(months), "a share plans only 3 months: mismatched against a year"
    assert months.count(None) > 0 and months.count(None) < len(months) / 2
    assert Volunteer.objects.exclude(commitment_per_month=None).exists()
