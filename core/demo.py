"""Demo logins, one per role. Created only by `manage.py seed_demo`, never by a migration.

Also the helpers the apps' demo seeders share: `backdating` and `DemoHistory`, which writes the audit entries
of the seeded records (sign-up, screening, training, tandem steps) with their historic dates in bulk, so that
a record's "Verlauf" looks as it will in daily use.
"""

import contextlib
import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from core.models import AuditEntry, Membership, Organisation, Role, User

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


@contextlib.contextmanager
def backdating(*fields):
    """Let bulk_create store the historic dates we give instead of `now` (auto_now_add fields)."""
    saved = [(f, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f, value in saved:
            f.auto_now_add = value


class DemoHistory:
    """Audit entries for seeded rows, written in bulk: the same action codes the services write."""

    BATCH = 5_000

    def __init__(self) -> None:
        self.rows: list[AuditEntry] = []
        self._types: dict[type, int] = {}

    def add(
        self,
        obj: models.Model,
        action: str,
        at: datetime.datetime,
        *,
        actor: User | None = None,
        changes: dict[str, list[Any]] | None = None,
        name: str | None = None,
    ) -> None:
        """One entry on `obj`; `name` stands in for `str(obj)` where that would query its relations."""
        model = type(obj)
        if model not in self._types:
            self._types[model] = ContentType.objects.get_for_model(model, for_concrete_model=False).pk
        self.rows.append(
            AuditEntry(
                at=at,
                actor=actor,
                actor_repr=str(actor) if actor is not None else "",
                action=action,
                content_type_id=self._types[model],
                object_id=str(obj.pk),
                object_repr=(name if name is not None else str(obj))[:200],
                changes=changes or {},
            )
        )

    def write(self) -> int:
        with backdating(AuditEntry._meta.get_field("at")):
            AuditEntry.objects.bulk_create(self.rows, batch_size=self.BATCH)
        written, self.rows = len(self.rows), []
        return written


DEMO_USERS = [
    # (username, first name, last name, organisation short name, role)
    ("coordinator", "Anna", "Becker", "FWZ", Role.COORDINATOR),
    ("partner", "Mehmet", "Yılmaz", "gEMiDe", Role.PARTNER),
    ("referrer", "Julia", "Schröder", "Integrationsmanagement", Role.REFERRER),
    ("steering", "Thomas", "Hoffmann", "Steuerungsgruppe", Role.STEERING),
    ("evaluator", "Sabine", "Krüger", "HsH Fakultät V", Role.EVALUATOR),
    ("admin", "Lars", "Meyer", "FWZ", Role.ADMIN),
    # a colleague in each organisation that runs tandems (the FWZ and the demo partner), so that a caseload
    # can be handed over; the demo data shares the responsibility between the two
    ("coordinator2", "Jonas", "Wagner", "FWZ", Role.COORDINATOR),
    ("partner2", "Leyla", "Demir", "gEMiDe", Role.PARTNER),
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
