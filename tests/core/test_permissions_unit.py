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


def test_in_scope_adds_no_condition_for_every_organisation_and_limits_the_others(
    coordinator, partner, steering, org, other_org
):
    from core.permissions import acts_in_all_organisations, in_scope
    from tests.factories.volunteers import VolunteerFactory
    from volunteers.models import Volunteer

    ours, theirs = VolunteerFactory(organisation=org), VolunteerFactory(organisation=other_org)
    everyone = Volunteer.objects.all()
    assert acts_in_all_organisations(user=coordinator, perm="volunteers.view")
    assert in_scope(everyone, user=coordinator, perm="volunteers.view").query.where == everyone.query.where
    assert set(in_scope(everyone, user=coordinator, perm="volunteers.view")) == {ours, theirs}
    assert not acts_in_all_organisations(user=partner, perm="volunteers.view")
    assert list(in_scope(everyone, user=partner, perm="volunteers.view")) == [ours]
    assert not acts_in_all_organisations(user=steering, perm="volunteers.view")
    assert not in_scope(everyone, user=steering, perm="volunteers.view").exists()
