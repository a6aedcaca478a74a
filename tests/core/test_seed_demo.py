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


def test_demo_records_have_a_readable_history(db, settings, client):
    from django.urls import reverse
    from django.utils.html import strip_tags

    from tandems.models import Tandem, TandemStatus
    from volunteers.models import Volunteer, VolunteerStatus

    settings.DEMO_PASSWORD = "demo"
    call_command("seed_demo", "--size", "small")
    volunteer = Volunteer.objects.filter(status=VolunteerStatus.ACTIVE).first()
    tandem = Tandem.objects.filter(status=TandemStatus.ENDED).first()
    client.force_login(User.objects.get(username="coordinator"))
    page = " ".join(
        strip_tags(client.get(reverse("volunteers:volunteer_detail", args=[volunteer.pk])).text).split()
    )
    assert "Ehrenamtliche*r registriert" in page
    assert "Status geändert: E-Mail bestätigt → Erstgespräch geführt" in page
    assert "Grundschulung erfasst" in page
    page = " ".join(strip_tags(client.get(reverse("tandems:tandem_detail", args=[tandem.pk])).text).split())
    assert "Tandem vorgeschlagen" in page and "Tandem beendet" in page


def test_demo_has_two_coordinators_in_each_organisation_that_runs_tandems(db, settings):
    import io

    from tandems.models import Tandem

    settings.DEMO_PASSWORD = "demo"
    out = io.StringIO()
    call_command("seed_demo", "--size", "small", stdout=out)
    assert "coordinator2" in out.getvalue() and "partner2" in out.getvalue()
    for short_name, role, usernames in (
        ("FWZ", Role.COORDINATOR, {"coordinator", "coordinator2"}),
        ("gEMiDe", Role.PARTNER, {"partner", "partner2"}),
    ):
        staff = set(
            Membership.objects.filter(organisation__short_name=short_name, role=role).values_list(
                "user__username", flat=True
            )
        )
        assert usernames <= staff
        for username in usernames:
            assert User.objects.get(username=username).check_password("demo")
            assert Tandem.objects.filter(coordinator__username=username).exists(), username


def test_demo_shows_the_participants_side_on_the_coordinators_start_page(db, settings, client):
    """Answers by link from both sides, one of them red (at risk), hours logged by volunteers, and one open
    "I need help", first on the demo coordinator's start page."""
    from django.urls import reverse
    from django.utils.html import strip_tags

    from tandems.models import CheckIn, CheckInBy, HelpRequest, HoursLog

    settings.DEMO_PASSWORD = "demo"
    call_command("seed_demo", "--size", "small")
    coordinator = User.objects.get(username="coordinator")
    answers = CheckIn.objects.filter(tandem__coordinator=coordinator, channel="link")
    assert {CheckInBy.VOLUNTEER, CheckInBy.HOUSEHOLD} <= set(answers.values_list("by", flat=True))
    assert answers.filter(mood="red", met="stopped").exists()
    assert HoursLog.objects.filter(tandem__coordinator=coordinator).exists()
    help_request = HelpRequest.objects.get(handled_at__isnull=True)
    client.force_login(coordinator)
    page = " ".join(strip_tags(client.get(reverse("core:home")).text).split())
    assert page.index("Ich brauche Hilfe") < page.index("Gefährdete Tandems")
    assert str(help_request.tandem.volunteer) in page
