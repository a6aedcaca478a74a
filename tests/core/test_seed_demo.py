from django.core.management import call_command

from core.models import AuditEntry, Membership, Role, User


def test_seed_demo_creates_one_login_per_role_and_is_idempotent(db, settings):
    settings.DEMO_PASSWORD = "demo"
    call_command("seed_demo", "--size", "small")
    counts = {model: model.objects.count() for model in (User, Membership, AuditEntry)}
    call_command("seed_demo", "--size", "small")
    assert {model: model.objects.count() for model in counts} == counts
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    for username in ("coordinator", "partner", "referrer", "steering", "evaluator", "admin"):
        assert User.objects.get(username=username).check_password("demo")


def test_personal_fields_check_is_registered():
    from django.core.checks import run_checks

    assert not [e for e in run_checks() if e.id and e.id.startswith("core.")]
