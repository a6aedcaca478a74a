"""Demo logins, one per role. Created only by `manage.py seed_demo`, never by a migration."""

from django.conf import settings
from django.db import transaction

from core.models import Membership, Organisation, Role, User

DEMO_USERS = [
    # (username, first name, last name, organisation short name, role)
    ("coordinator", "Anna", "Becker", "FWZ", Role.COORDINATOR),
    ("partner", "Mehmet", "Yılmaz", "gEMiDe", Role.PARTNER),
    ("referrer", "Julia", "Schröder", "Integrationsmanagement", Role.REFERRER),
    ("steering", "Thomas", "Hoffmann", "Steuerungsgruppe", Role.STEERING),
    ("evaluator", "Sabine", "Krüger", "HsH Fakultät V", Role.EVALUATOR),
    ("admin", "Lars", "Meyer", "FWZ", Role.ADMIN),
]


@transaction.atomic
def seed(*, size: str, stdout=None) -> list[tuple[str, str]]:
    """Create the demo users that are missing; an existing user is left as it is."""
    created = []
    for username, first, last, org_short, role in DEMO_USERS:
        user, is_new = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.10000freunde.example",
            },
        )
        if is_new:
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
            Membership.objects.create(
                user=user, organisation=Organisation.objects.get(short_name=org_short), role=role
            )
        created.append((username, role))
    return created
