from core.models import Organisation
from core.permissions import has_perm, organisations_with


def test_coordinator_acts_in_every_organisation(coordinator, org, other_org):
    assert has_perm(user=coordinator, perm="volunteers.change", organisation=other_org)
    assert set(organisations_with(user=coordinator, perm="volunteers.view")) == set(
        Organisation.objects.all()
    )


def test_partner_acts_only_in_own_organisation(partner, org, other_org):
    assert has_perm(user=partner, perm="volunteers.change", organisation=org)
    assert not has_perm(user=partner, perm="volunteers.change", organisation=other_org)
    assert list(organisations_with(user=partner, perm="volunteers.view")) == [org]


def test_steering_sees_no_personal_records(steering):
    assert not has_perm(user=steering, perm="volunteers.view")
    assert not organisations_with(user=steering, perm="refugees.view").exists()
    assert has_perm(user=steering, perm="reporting.view")


def test_referrer_may_refer_but_not_browse(referrer):
    assert has_perm(user=referrer, perm="refugees.refer")
    assert not has_perm(user=referrer, perm="refugees.view")


def test_inactive_user_has_no_rights(coordinator):
    coordinator.is_active = False
    assert not has_perm(user=coordinator, perm="volunteers.view")
