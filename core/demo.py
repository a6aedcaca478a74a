"""Demo logins, one per role. Created only by `manage.py seed_demo`, never by a migration.

Also the helpers the apps' demo seeders share: `backdating` and `DemoHistory`, which writes the audit entries
of the seeded records (sign-up, screening, training, tandem steps) with their historic dates in bulk, so that
a record's "Verlauf" looks as it will in daily use; `copy_insert` and `copy_rows`, which write the big tables
with COPY (issue #21: the city from empty in well under 30 s).
"""

import contextlib
import datetime
import enum
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models.expressions import DatabaseDefault
from django.utils import timezone
from psycopg.types.json import Jsonb

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


def reserve_ids(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Give the instances without a primary key the next ids of the table's sequence, in their order (the
    ids bulk_create would have given them), so that rows pointing at them can be built before they are
    written."""
    missing = [obj for obj in objs if obj.pk is None]
    if missing:
        for pk, obj in enumerate(missing, start=_id_block(model, len(missing))):
            obj.pk = pk


def _id_block(model: type[models.Model], count: int) -> int:
    """Take `count` ids of the table's sequence in one step (what `count` calls of nextval would give);
    the first of them. The lock (until the seed's transaction ends) keeps other writers from drawing ids
    in between."""
    opts = model._meta
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {connection.ops.quote_name(opts.db_table)} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(
            "SELECT setval(seq::regclass, nextval(seq::regclass) + %s - 1)"
            " FROM pg_get_serial_sequence(%s, %s) AS seq",
            [count, opts.db_table, opts.pk.column],
        )
        return cursor.fetchone()[0] - count + 1


def _copy(model: type[models.Model], fields: list[models.Field], rows) -> None:
    """COPY the value lists `rows` (in the order of `fields`) into the model's table: JSON as jsonb, choices
    as their values, a database default as its constant."""
    is_json = [isinstance(f, models.JSONField) for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                for i, json in enumerate(is_json):
                    if isinstance(row[i], DatabaseDefault):
                        default = fields[i].db_default
                        row[i] = getattr(default, "value", default)  # a constant, or Value(constant)
                    if json:
                        row[i] = Jsonb(row[i])
                    elif isinstance(row[i], enum.Enum):
                        row[i] = row[i].value
                copy.write_row(row)


def copy_rows(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> list[int]:
    """Like `copy_insert` for plain rows (field attname -> value), so that no model instance is built for
    them. A field a row does not give gets its default as `model()` would; auto_now fields get now, as does
    an auto_now_add field that is not given. Returns the new ids, in order."""
    if not rows:
        return []
    opts = model._meta
    given = set().union(*rows)
    now = timezone.now()
    fields, fallback = [], {}
    for f in opts.concrete_fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            fallback[f.attname] = now
        elif f.db_default is models.NOT_PROVIDED or f.has_default():
            fallback[f.attname] = f.get_default()
        elif f.attname in given:
            fallback[f.attname] = getattr(f.db_default, "value", f.db_default)
        else:
            continue  # left to its database default in every row, as INSERT ... DEFAULT would do
        fields.append(f)
    first = _id_block(model, len(rows))
    ids = list(range(first, first + len(rows)))
    pk = opts.pk.attname
    _copy(
        model,
        fields,
        (
            [pk_value if f.attname == pk else row.get(f.attname, fallback[f.attname]) for f in fields]
            for pk_value, row in zip(ids, rows, strict=True)
        ),
    )
    return ids


def copy_insert(model: type[models.Model], objs: Sequence[models.Model]) -> Sequence[models.Model]:
    """Write `objs` as bulk_create would (the same columns and values, the same ids in the same order, every
    trigger fires), but with one `COPY ... FROM STDIN` instead of INSERT statements that carry every value
    as a parameter: at city scale building and parsing those statements cost more than storing the rows.
    Instances without a primary key get their ids from `reserve_ids` first.

    Only for the demo seeders: no signals, no `full_clean`, like bulk_create.
    """
    if not objs:
        return objs
    opts = model._meta
    reserve_ids(model, objs)
    # a column every row leaves to its database default is left out, as INSERT ... DEFAULT would do
    fields = [
        f
        for f in opts.concrete_fields
        if f.db_default is models.NOT_PROVIDED
        or not all(isinstance(getattr(obj, f.attname), DatabaseDefault) for obj in objs)
    ]
    # pre_save fills auto_now(_add) as bulk_create does
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    attnames = [f.attname for f in fields]

    def values(obj: models.Model) -> list:
        for f in stamped:
            f.pre_save(obj, add=True)
        return [getattr(obj, attname) for attname in attnames]

    _copy(model, fields, (values(obj) for obj in objs))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


class DemoHistory:
    """Audit entries for seeded rows, written in bulk: the same action codes the services write."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []  # AuditEntry fields, written by copy_rows
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
            {
                "at": at,
                "actor_id": actor.pk if actor is not None else None,
                "actor_repr": str(actor) if actor is not None else "",
                "action": action,
                "content_type_id": self._types[model],
                "object_id": str(obj.pk),
                "object_repr": (name if name is not None else str(obj))[:200],
                "changes": changes or {},
            }
        )

    def write(self) -> int:
        copy_rows(AuditEntry, self.rows)
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
    """Create the demo users that are missing; an existing user is left as it is. They share one password,
    so it is hashed once (a slow hash by design, seconds for eight) and the hash given to each of them."""
    created = []
    hashed = None
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
            hashed = hashed or make_password(settings.DEMO_PASSWORD)
            user.password = hashed
            user.save(update_fields=["password"])
            Membership.objects.create(
                user=user, organisation=Organisation.objects.get(short_name=org_short), role=role
            )
        created.append((username, role))
    return created
