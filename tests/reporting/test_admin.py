import pytest
from django.urls import reverse

from core.models import AuditEntry
from reporting.models import AnnualTarget
from tests.conftest import client_for


@pytest.mark.parametrize("model", ["annualtarget", "fundingsource", "budgetline", "fundingplan", "expense"])
def test_admins_keep_targets_and_funding_in_the_admin(admin_user, model):
    client = client_for(admin_user)
    assert client.get(reverse(f"admin:reporting_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:reporting_{model}_add")).status_code == 200


def test_an_admin_sets_a_new_target_and_it_is_audited(admin_user):
    response = client_for(admin_user).post(
        reverse("admin:reporting_annualtarget_add"), {"year": 2028, "tandems_formed": 650}
    )
    assert response.status_code == 302
    target = AnnualTarget.objects.get(year=2028)
    assert target.tandems_formed == 650
    assert AuditEntry.objects.filter(
        action="reporting.annualtarget.created", object_id=str(target.pk)
    ).exists()


def test_a_target_year_must_be_plausible(admin_user):
    response = client_for(admin_user).post(
        reverse("admin:reporting_annualtarget_add"), {"year": 1800, "tandems_formed": 10}
    )
    assert response.status_code == 200
    assert not AnnualTarget.objects.filter(year=1800).exists()
