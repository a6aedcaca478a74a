"""Demo logins, one per role. Created only by `manage.py seed_demo`, never by a migration."""

from django.conf import settings
from django.db import transaction

from core.models import Membership, Organisation, Role, User

# `seed_demo --size`: small (a few hundred rows), city (the brief's scale), city10 (ten times the city,
# for the benchmark: `make bench`).
SIZE_FACTORS = {"city": 1, "city10": 10}


def count_for(size: str, *, small: int, city: int) -> int:
    """How many rows of a kind a demo size has: `small` for small, `city` at city scale, ten times `city`
    for city10."""
    if size == "small":
        return small
    try:
        return city * SIZE_FACTORS[size]
    except KeyError:
        raise ValueError(f"unknown demo size {size!r}") from None


def is_city_scale(size: str) -> bool:
    """City and larger: the sizes with city-like settings (course capacities, months of history)."""
    return size in SIZE_FACTORS


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
