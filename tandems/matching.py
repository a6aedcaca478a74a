"""The matching engine: hard rules, weighted soft criteria and an explanation for every suggestion.

Everything is read from the database once (one query per kind of row, never one per candidate) into plain
dataclasses, then scored in memory. The scores are computed column-wise with numpy, one refugee against
all volunteers at once; the same function serves the suggestions for one person and the batch proposal.
The German words of an explanation are only built for the pairs that are shown.
"""

import datetime
import gc
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.expressions import RawSQL
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.models import (
    District,
    Gender,
    GenderPreference,
    HelpArea,
    Language,
    Organisation,
    OrganisationKind,
    User,
)
from core.permissions import acts_in_all_organisations, memberships
from refugees.models import Refugee, RefugeeStatus
from tandems.models import OPEN_STATUSES, MatchingWeights, VolunteerRelease
from volunteers.models import FamilyPreference, Volunteer, VolunteerLanguage, VolunteerStatus

AVAILABLE_STATUSES = (VolunteerStatus.TRAINED, VolunteerStatus.ACTIVE)
LEVEL_SCORE = {"native": 1.0, "fluent": 1.0, "good": 0.8, "basic": 0.4}
GERMAN_LEVEL_SCORE = {"A0": 0.0, "A1": 0.0, "A2": 0.5, "B1": 1.0, "B2": 1.0, "C1": 1.0, "C2": 1.0}
WEEKDAY_SHORT = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
NEUTRAL = 0.5  # a criterion that cannot be judged (nothing recorded) neither helps nor hurts much

CRITERIA_LABELS = {
    "language": gettext_lazy("Shared language"),
    "needs": gettext_lazy("Needs covered"),
    "distance": gettext_lazy("Distance"),
    "availability": gettext_lazy("Availability"),
    "interests": gettext_lazy("Shared interests"),
    "age": gettext_lazy("Age preference"),
    "family": gettext_lazy("Families and children"),
    "waiting": gettext_lazy("Time waited"),
}
RULES = (
    "scope",
    "unavailable",
    "no_capacity",
    "untrained",
    "clearance",
    "volunteer_gender",
    "refugee_gender",
)


@dataclass(slots=True)
class VolunteerData:
    pk: int
    name: str
    organisation_id: int
    status: str
    capacity: int
    open_count: int
    is_trained: bool  # the required basic training is done (trained_on is set)
    is_cleared: bool  # police clearance valid today
    gender: str
    pref_gender: str
    pref_families: str
    pref_age_min: int | None
    pref_age_max: int | None
    district_id: int | None
    weekdays: tuple[int, ...]
    times: tuple[str, ...]
    interests: frozenset[str]
    languages: dict[int, str]
    help_areas: frozenset[int]
    released_to: frozenset[int]

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.open_count)


@dataclass(slots=True)
class RefugeeData:
    pk: int
    name: str
    organisation_id: int
    status: str
    gender: str
    pref_volunteer_gender: str
    german_level: str
    birth_year: int | None
    children_count: int
    youngest_birth_year: int | None
    district_id: int | None
    waiting_since: datetime.date | None
    languages: frozenset[int]
    needs: frozenset[int]
    interests: frozenset[str]

    def has_minors(self, today: datetime.date) -> bool:
        return self.youngest_birth_year is not None and today.year - self.youngest_birth_year < 18


@dataclass
class Context:
    """Reference data and settings for one matching run, read once."""

    today: datetime.date
    weights: dict[str, float]
    max_distance_km: float
    waiting_full_days: float
    weights_name: str
    district_names: dict[int, str]
    district_index: dict[int, int]
    km: np.ndarray
    language_names: dict[int, str]
    help_names: dict[int, str]
    german_id: int | None
    fwz_id: int | None
    all_organisations: bool
    organisation_names: dict[int, str]


@dataclass
class Criterion:
    key: str
    label: str
    score: float
    weight: float
    text: str

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass
class Suggestion:
    refugee: RefugeeData
    volunteer: VolunteerData
    total: float
    criteria: list[Criterion] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(self.total * 100)

    @property
    def is_blocked(self) -> bool:
        return bool(self.blocked)

    def as_record(self, *, decided_by: User | None, mode: str) -> dict[str, Any]:
        """What is stored with a proposed tandem: why it was made, by whom, under which weights."""
        return {
            "total": round(self.total, 4),
            "criteria": [
                {
                    "key": c.key,
                    "label": c.label,
                    "score": round(c.score, 4),
                    "weight": c.weight,
                    "text": c.text,
                }
                for c in self.criteria
            ],
            "weights": {c.key: c.weight for c in self.criteria},
            "decided_by": str(decided_by) if decided_by else "",
            "decided_by_id": decided_by.pk if decided_by else None,
            "decided_at": timezone.now().isoformat(timespec="seconds"),
            "mode": mode,
        }


# --- loading -------------------------------------------------------------------------------------------


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    rlat1, rlat2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = rlat2 - rlat1, math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(rlat1) * math.cos(rlat2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


# matching pairs people: its scope is that of tandems.change (core.permissions decides who acts everywhere)
MATCHING_PERM = "tandems.change"


def load_context(*, user: User | None, today: datetime.date | None = None) -> Context:
    weights = MatchingWeights.objects.filter(is_active=True).first() or MatchingWeights(name="Standard")
    districts = list(District.objects.values_list("pk", "name_de", "latitude", "longitude"))
    index = {pk: i for i, (pk, *_rest) in enumerate(districts)}
    km = np.zeros((len(districts), len(districts)), dtype=np.float32)
    for i, (_a, _n, lat1, lon1) in enumerate(districts):
        for j, (_b, _m, lat2, lon2) in enumerate(districts):
            km[i, j] = _haversine_km(float(lat1), float(lon1), float(lat2), float(lon2))
    languages = dict(Language.objects.values_list("pk", "name_de"))
    german_id = next((pk for pk, code in Language.objects.values_list("pk", "code") if code == "de"), None)
    organisations = list(Organisation.objects.values_list("pk", "short_name", "kind"))
    return Context(
        today=today or timezone.localdate(),
        weights=weights.as_dict(),
        max_distance_km=float(weights.max_distance_km),
        waiting_full_days=float(weights.waiting_full_days),
        weights_name=weights.name,
        district_names={pk: name for pk, name, *_rest in districts},
        district_index=index,
        km=km,
        language_names=languages,
        help_names=dict(HelpArea.objects.values_list("pk", "name_de")),
        german_id=german_id,
        fwz_id=next((pk for pk, _s, kind in organisations if kind == OrganisationKind.FWZ), None),
        # without a user (a proposal made by the system, not by a person) no person's scope narrows the pool
        all_organisations=user is None or acts_in_all_organisations(user=user, perm=MATCHING_PERM),
        organisation_names={pk: short for pk, short, _k in organisations},
    )


def candidate_volunteers(*, user: User, organisation_ids: Iterable[int] | None = None) -> QuerySet[Volunteer]:
    """The volunteers a user may pair: those visible to them, plus the FWZ's volunteers released to the
    organisations in `organisation_ids` (a partner's own, by default)."""
    from volunteers.selectors import volunteer_list_visible

    visible = volunteer_list_visible(user=user, perm=MATCHING_PERM)
    if acts_in_all_organisations(user=user, perm=MATCHING_PERM):
        return visible
    orgs = (
        list(organisation_ids)
        if organisation_ids is not None
        else [m.organisation_id for m in memberships(user)]
    )
    released = Volunteer.objects.filter(
        anonymised_at__isnull=True,
        organisation__kind=OrganisationKind.FWZ,
        releases__organisation_id__in=orgs,
    )
    return Volunteer.objects.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=released.values("pk")))


def _fetch(queryset: QuerySet) -> list[tuple]:
    """The rows of a values_list() query as psycopg returns them: the per-row converters of the ORM cost
    more than the query itself at 10,000 rows, and these columns need none (dates and arrays arrive typed)."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@contextmanager
def _no_gc() -> Iterator[None]:
    """Building tens of thousands of small objects triggers the cyclic garbage collector again and again,
    and each run walks every object of the process; these objects hold no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_volunteers(queryset: QuerySet[Volunteer]) -> list[VolunteerData]:
    with _no_gc():
        return _load_volunteers(queryset)


def _open_tandems() -> Count:
    """The number of open tandems of each volunteer: one join with the open tandems, grouped by volunteer
    (a subquery per row would be run twice, once for the filter and once for the value)."""
    return Count("tandems", filter=Q(tandems__status__in=OPEN_STATUSES))


def ready_with_free_place(queryset: QuerySet[Volunteer]) -> QuerySet[Volunteer]:
    """Only volunteers who can take a tandem now: available, trained, and with fewer open tandems than their
    capacity (the rules "unavailable", "untrained" and "no_capacity", checked in SQL)."""
    return (
        queryset.filter(status__in=AVAILABLE_STATUSES, trained_on__isnull=False)
        .annotate(open_n=_open_tandems())
        .filter(capacity__gt=F("open_n"))
    )


def _any_of(ids: list[int]) -> RawSQL:
    # the ids as one array literal ('{1,2,3}'), not thousands of placeholders or ARRAY[...] elements that
    # the server parses one by one, and no repetition of the candidates' query in each follow-up query
    return RawSQL("SELECT unnest(%s::integer[])", ["{" + ",".join(map(str, ids)) + "}"])


def _load_volunteers(queryset: QuerySet[Volunteer]) -> list[VolunteerData]:
    """Four flat queries, whatever the number of volunteers: the rows with their number of open tandems,
    then the languages, help areas and releases of exactly those rows (by an array of their ids)."""
    today = timezone.localdate()
    # typed in SQL what matching needs: two booleans instead of two dates, arrays as one plain string each
    # (psycopg builds a Python object per date and array element, the slowest part at 10,000 rows)
    if "open_n" not in queryset.query.annotations:
        queryset = queryset.annotate(open_n=_open_tandems())
    rows = _fetch(
        queryset.order_by()
        .annotate(
            is_trained=ExpressionWrapper(Q(trained_on__isnull=False), output_field=BooleanField()),
            is_cleared=ExpressionWrapper(Q(clearance_valid_until__gte=today), output_field=BooleanField()),
            weekdays_text=Func(
                F("available_weekdays"), Value(","), function="array_to_string", output_field=TextField()
            ),
            times_text=Func(
                F("available_times"), Value(","), function="array_to_string", output_field=TextField()
            ),
            interests_text=Func(
                Func(F("interests"), Value("|"), function="array_to_string", output_field=TextField()),
                function="lower",
                output_field=TextField(),
            ),
        )
        .values_list(
            "pk",
            "first_name",
            "last_name",
            "organisation_id",
            "status",
            "capacity",
            "is_trained",
            "is_cleared",
            "gender",
            "pref_gender",
            "pref_families",
            "pref_age_min",
            "pref_age_max",
            "district_id",
            "weekdays_text",
            "times_text",
            "interests_text",
            "open_n",
        )
    )
    if not rows:
        return []
    ids = _any_of([r[0] for r in rows])
    languages: dict[int, dict[int, str]] = defaultdict(dict)
    for volunteer_id, language_id, level in _fetch(
        VolunteerLanguage.objects.filter(volunteer_id__in=ids).values_list(
            "volunteer_id", "language_id", "level"
        )
    ):
        languages[volunteer_id][language_id] = level
    helps: dict[int, set[int]] = defaultdict(set)
    for volunteer_id, area_id in _fetch(
        Volunteer.help_areas.through.objects.filter(volunteer_id__in=ids).values_list(
            "volunteer_id", "helparea_id"
        )
    ):
        helps[volunteer_id].add(area_id)
    releases: dict[int, set[int]] = defaultdict(set)
    for volunteer_id, org_id in _fetch(
        VolunteerRelease.objects.filter(volunteer_id__in=ids).values_list("volunteer_id", "organisation_id")
    ):
        releases[volunteer_id].add(org_id)
    empty: frozenset = frozenset()
    return [
        VolunteerData(
            pk=r[0],
            name=f"{r[1]} {r[2]}".strip(),
            organisation_id=r[3],
            status=r[4],
            capacity=r[5],
            open_count=r[17],
            is_trained=bool(r[6]),
            is_cleared=bool(r[7]),
            gender=r[8],
            pref_gender=r[9],
            pref_families=r[10],
            pref_age_min=r[11],
            pref_age_max=r[12],
            district_id=r[13],
            weekdays=tuple(int(d) for d in r[14].split(",")) if r[14] else (),
            times=tuple(r[15].split(",")) if r[15] else (),
            interests=frozenset(i.strip() for i in r[16].split("|") if i.strip()) if r[16] else empty,
            languages=languages.get(r[0], {}),
            help_areas=frozenset(helps[r[0]]) if r[0] in helps else empty,
            released_to=frozenset(releases[r[0]]) if r[0] in releases else empty,
        )
        for r in rows
    ]


def load_refugees(queryset: QuerySet[Refugee]) -> list[RefugeeData]:
    """One query: the rows with their languages and needs as arrays."""
    languages = Refugee.languages.through
    needs = Refugee.needs.through
    rows = (
        queryset.order_by()
        .annotate(
            lang_ids=ArraySubquery(languages.objects.filter(refugee_id=OuterRef("pk")).values("language_id")),
            need_ids=ArraySubquery(needs.objects.filter(refugee_id=OuterRef("pk")).values("helparea_id")),
        )
        .values_list(
            "pk",
            "first_name",
            "last_name",
            "organisation_id",
            "status",
            "gender",
            "pref_volunteer_gender",
            "german_level",
            "birth_year",
            "children_count",
            "youngest_birth_year",
            "district_id",
            "waiting_since",
            "lang_ids",
            "need_ids",
            "interests",
        )
    )
    return [
        RefugeeData(
            pk=r[0],
            name=f"{r[1]} {r[2]}".strip(),
            organisation_id=r[3],
            status=r[4],
            gender=r[5],
            pref_volunteer_gender=r[6],
            german_level=r[7],
            birth_year=r[8],
            children_count=r[9],
            youngest_birth_year=r[10],
            district_id=r[11],
            waiting_since=r[12],
            languages=frozenset(r[13] or ()),
            needs=frozenset(r[14] or ()),
            interests=frozenset(i.strip().lower() for i in (r[15] or ()) if i.strip()),
        )
        for r in rows
    ]


# --- scoring -------------------------------------------------------------------------------------------

_GENDER_CODE = {Gender.FEMALE: 1, Gender.MALE: 2, Gender.DIVERSE: 3, Gender.UNSPECIFIED: 0}
_PREF_CODE = {GenderPreference.ANY: 0, GenderPreference.FEMALE: 1, GenderPreference.MALE: 2}


class Pool:
    """The volunteers as columns of numpy arrays, built once per run."""

    def __init__(self, volunteers: Sequence[VolunteerData], ctx: Context) -> None:
        with _no_gc():
            self._build(volunteers, ctx)

    def _build(self, volunteers: Sequence[VolunteerData], ctx: Context) -> None:
        self.volunteers = list(volunteers)
        self.ctx = ctx
        n = len(self.volunteers)
        self.index = {v.pk: i for i, v in enumerate(self.volunteers)}
        self.org = np.fromiter((v.organisation_id for v in volunteers), dtype=np.int64, count=n)
        self.is_fwz = self.org == (ctx.fwz_id if ctx.fwz_id is not None else -1)
        self.available = np.fromiter(
            (v.status in AVAILABLE_STATUSES for v in volunteers), dtype=bool, count=n
        )
        self.free = np.fromiter((v.capacity - v.open_count for v in volunteers), dtype=np.int64, count=n)
        self.trained = np.fromiter((v.is_trained for v in volunteers), dtype=bool, count=n)
        self.cleared = np.fromiter((v.is_cleared for v in volunteers), dtype=bool, count=n)
        self.gender = np.fromiter((_GENDER_CODE.get(v.gender, 0) for v in volunteers), dtype=np.int8, count=n)
        self.pref_gender = np.fromiter(
            (_PREF_CODE.get(v.pref_gender, 0) for v in volunteers), dtype=np.int8, count=n
        )
        self.family_yes = np.fromiter(
            (v.pref_families == FamilyPreference.YES for v in volunteers), dtype=bool, count=n
        )
        self.family_no = np.fromiter(
            (v.pref_families == FamilyPreference.NO for v in volunteers), dtype=bool, count=n
        )
        nan = float("nan")
        self.age_min = np.fromiter(
            (v.pref_age_min if v.pref_age_min is not None else nan for v in volunteers),
            dtype=np.float32,
            count=n,
        )
        self.age_max = np.fromiter(
            (v.pref_age_max if v.pref_age_max is not None else nan for v in volunteers),
            dtype=np.float32,
            count=n,
        )
        self.district = np.fromiter(
            (ctx.district_index.get(v.district_id, -1) if v.district_id else -1 for v in volunteers),
            dtype=np.int64,
            count=n,
        )
        self.availability = np.fromiter((_availability(v) for v in volunteers), dtype=np.float32, count=n)
        # languages: one column per language, the level as a score; German apart
        self.lang_columns: dict[int, np.ndarray] = {}
        for i, v in enumerate(volunteers):
            for lang_id, level in v.languages.items():
                column = self.lang_columns.get(lang_id)
                if column is None:
                    column = self.lang_columns[lang_id] = np.zeros(n, dtype=np.float32)
                column[i] = LEVEL_SCORE.get(level, 0.5)
        zeros = np.zeros(n, dtype=np.float32)
        self.german = self.lang_columns.get(ctx.german_id, zeros) if ctx.german_id else zeros
        self.help_columns = _columns(((i, h) for i, v in enumerate(volunteers) for h in v.help_areas), n)
        self.interest_columns = _columns(((i, t) for i, v in enumerate(volunteers) for t in v.interests), n)
        self._scope_cache: dict[int, np.ndarray] = {}
        self._zeros = zeros

    def __len__(self) -> int:
        return len(self.volunteers)

    def scope_ok(self, organisation_id: int) -> np.ndarray:
        """Same organisation, or an FWZ volunteer (for a partner coordinator: released to the partner)."""
        cached = self._scope_cache.get(organisation_id)
        if cached is None:
            same = self.org == organisation_id
            if self.ctx.all_organisations:
                cached = same | self.is_fwz
            else:
                released = np.fromiter(
                    (organisation_id in v.released_to for v in self.volunteers), dtype=bool, count=len(self)
                )
                cached = same | (self.is_fwz & released)
            self._scope_cache[organisation_id] = cached
        return cached


def _columns(pairs: Iterable[tuple[int, Any]], n: int) -> dict[Any, np.ndarray]:
    """One 0/1 column per key (a help area, an interest) over the volunteers, filled in one pass each."""
    rows: dict[Any, list[int]] = defaultdict(list)
    for i, key in pairs:
        rows[key].append(i)
    columns = {}
    for key, indices in rows.items():
        column = np.zeros(n, dtype=np.float32)
        column[indices] = 1.0
        columns[key] = column
    return columns


def _availability(v: VolunteerData) -> float:
    # refugees have no availability recorded: a volunteer free on more days and at more times is easier to
    # fit with whatever the household's week looks like
    if not v.weekdays and not v.times:
        return 0.3
    return min(1.0, len(set(v.weekdays)) / 4) * 0.6 + min(1.0, len(set(v.times)) / 2) * 0.4


@dataclass
class Scores:
    total: np.ndarray
    allowed: np.ndarray
    parts: dict[str, np.ndarray]
    blocks: dict[str, np.ndarray]


def prefiltered(
    queryset: QuerySet[Volunteer], refugee: RefugeeData, today: datetime.date
) -> QuerySet[Volunteer]:
    """The volunteers who can pass the hard rules for `refugee`, narrowed in SQL before anything is loaded
    (at city scale this halves what is read). `score_refugee` still applies every rule to what is loaded:
    this is only a cheaper way to leave out the volunteers it would block."""
    queryset = ready_with_free_place(queryset)
    queryset = queryset.filter(Q(pref_gender=GenderPreference.ANY) | Q(pref_gender=refugee.gender))
    if refugee.pref_volunteer_gender != GenderPreference.ANY:
        queryset = queryset.filter(gender=refugee.pref_volunteer_gender)
    if refugee.has_minors(today):
        queryset = queryset.filter(clearance_valid_until__gte=today)
    return queryset


def score_refugee(refugee: RefugeeData, pool: Pool, *, keep_parts: bool = True) -> Scores:
    """Score one refugee against every volunteer of the pool: totals 0..1, the hard rules as masks."""
    ctx, n = pool.ctx, len(pool)
    today = ctx.today
    parts: dict[str, np.ndarray | float] = {}

    # shared language: the best level among the languages both speak; German by the refugee's level
    language = pool._zeros
    for lang_id in refugee.languages:
        if lang_id == ctx.german_id:
            continue
        column = pool.lang_columns.get(lang_id)
        if column is not None:
            language = np.maximum(language, column)
    german_factor = GERMAN_LEVEL_SCORE.get(refugee.german_level, 0.0)
    if german_factor:
        language = np.maximum(language, pool.german * german_factor)
    parts["language"] = language

    if refugee.needs:
        covered = pool._zeros
        for need in refugee.needs:
            column = pool.help_columns.get(need)
            if column is not None:
                covered = covered + column
        parts["needs"] = covered / len(refugee.needs)
    else:
        parts["needs"] = NEUTRAL

    r_district = ctx.district_index.get(refugee.district_id, -1) if refugee.district_id else -1
    if r_district < 0:
        parts["distance"] = NEUTRAL
    else:
        km = ctx.km[r_district][np.maximum(pool.district, 0)]
        parts["distance"] = np.where(pool.district < 0, NEUTRAL, np.clip(1 - km / ctx.max_distance_km, 0, 1))

    parts["availability"] = pool.availability

    if refugee.interests:
        shared = pool._zeros
        for interest in refugee.interests:
            column = pool.interest_columns.get(interest)
            if column is not None:
                shared = shared + column
        parts["interests"] = np.minimum(1.0, shared / min(3, len(refugee.interests)))
    else:
        parts["interests"] = NEUTRAL

    if refugee.birth_year:
        age = today.year - refugee.birth_year
        gap = np.nan_to_num(np.maximum(pool.age_min - age, 0)) + np.nan_to_num(
            np.maximum(age - pool.age_max, 0)
        )
        parts["age"] = np.clip(1 - gap / 10, 0, 1)
    else:
        parts["age"] = NEUTRAL

    if refugee.children_count > 0:
        parts["family"] = np.where(pool.family_yes, 1.0, np.where(pool.family_no, 0.1, 0.7))
    else:
        parts["family"] = np.where(pool.family_yes, 0.7, 1.0)

    waited = (today - refugee.waiting_since).days if refugee.waiting_since else 0
    parts["waiting"] = min(1.0, max(0, waited) / ctx.waiting_full_days)

    weight_sum = sum(ctx.weights.values()) or 1.0
    total = np.zeros(n, dtype=np.float32)
    for key, value in parts.items():
        weight = ctx.weights.get(key, 0.0)
        if weight:
            total = total + weight * value
    total = total / weight_sum

    r_gender = _GENDER_CODE.get(refugee.gender, 0)
    r_pref = _PREF_CODE.get(refugee.pref_volunteer_gender, 0)
    blocks = {
        "scope": ~pool.scope_ok(refugee.organisation_id),
        "unavailable": ~pool.available,
        "no_capacity": pool.free <= 0,
        "untrained": ~pool.trained,
        "clearance": (~pool.cleared) if refugee.has_minors(today) else np.zeros(n, dtype=bool),
        "volunteer_gender": (pool.pref_gender != 0) & (pool.pref_gender != r_gender),
        "refugee_gender": (pool.gender != r_pref) if r_pref else np.zeros(n, dtype=bool),
    }
    allowed = ~np.logical_or.reduce(list(blocks.values())) if n else np.zeros(0, dtype=bool)
    full_parts = {}
    if keep_parts:
        full_parts = {k: np.broadcast_to(np.asarray(v, dtype=np.float32), (n,)) for k, v in parts.items()}
    return Scores(total=total, allowed=allowed, parts=full_parts, blocks=blocks)


# --- explaining ----------------------------------------------------------------------------------------


def _km(value: float) -> str:
    return formats.number_format(round(value, 1), 1)


def _names(ids: Iterable[int], names: dict[int, str]) -> str:
    return ", ".join(sorted(names.get(i, "?") for i in ids))


def explain(
    refugee: RefugeeData, volunteer: VolunteerData, scores: Scores, i: int, ctx: Context
) -> list[Criterion]:
    """The per-criterion scores of one pair in words a coordinator understands."""
    texts: dict[str, str] = {}
    level_names = {
        "native": _("native speaker"),
        "fluent": _("fluent"),
        "good": _("good"),
        "basic": _("basic"),
    }
    shared = [
        (LEVEL_SCORE.get(volunteer.languages[lang], 0), lang)
        for lang in refugee.languages
        if lang in volunteer.languages and lang != ctx.german_id
    ]
    german_factor = GERMAN_LEVEL_SCORE.get(refugee.german_level, 0.0)
    bits = [
        _("speaks %(language)s (%(level)s)")
        % {
            "language": ctx.language_names.get(lang, "?"),
            "level": level_names.get(volunteer.languages[lang], ""),
        }
        for _score, lang in sorted(shared, reverse=True)
    ]
    if german_factor and ctx.german_id in volunteer.languages:
        if german_factor >= 1:
            bits.append(_("German works (German level %(level)s)") % {"level": refugee.german_level})
        else:
            bits.append(_("partly in German (German level %(level)s)") % {"level": refugee.german_level})
    texts["language"] = "; ".join(bits) if bits else _("no shared language")

    if refugee.needs:
        covered = refugee.needs & volunteer.help_areas
        text = ngettext(
            "covers %(covered)d of %(count)d need",
            "covers %(covered)d of %(count)d needs",
            len(refugee.needs),
        ) % {"covered": len(covered), "count": len(refugee.needs)}
        if covered:
            text += f" ({_names(covered, ctx.help_names)})"
        texts["needs"] = text
    else:
        texts["needs"] = _("no needs recorded")

    if refugee.district_id and volunteer.district_id:
        if refugee.district_id == volunteer.district_id:
            texts["distance"] = _("same city district (%(district)s)") % {
                "district": ctx.district_names.get(refugee.district_id, "?")
            }
        else:
            km = float(
                ctx.km[ctx.district_index[refugee.district_id], ctx.district_index[volunteer.district_id]]
            )
            texts["distance"] = _("%(km)s km apart (%(from)s – %(to)s)") % {
                "km": _km(km),
                "from": ctx.district_names.get(volunteer.district_id, "?"),
                "to": ctx.district_names.get(refugee.district_id, "?"),
            }
    else:
        texts["distance"] = _("city district not known")

    if volunteer.weekdays or volunteer.times:
        days = ", ".join(WEEKDAY_SHORT[d] for d in sorted(set(volunteer.weekdays)) if 0 <= d < 7)
        time_names = {"morning": _("mornings"), "afternoon": _("afternoons"), "evening": _("evenings")}
        times = ", ".join(time_names.get(t, t) for t in volunteer.times)
        texts["availability"] = _(
            "available on %(days)s (%(times)s); the household's times are not recorded"
        ) % {
            "days": days or "–",
            "times": times or "–",
        }
    else:
        texts["availability"] = _("no availability recorded")

    if refugee.interests:
        common = sorted(refugee.interests & volunteer.interests)
        texts["interests"] = (
            _("shared interests: %(interests)s") % {"interests": ", ".join(common)}
            if common
            else _("no shared interests")
        )
    else:
        texts["interests"] = _("no interests recorded")

    if refugee.birth_year:
        age = ctx.today.year - refugee.birth_year
        low, high = volunteer.pref_age_min, volunteer.pref_age_max
        if low is None and high is None:
            texts["age"] = _("no age preference (age %(age)d)") % {"age": age}
        else:
            span = f"{low if low is not None else '…'}–{high if high is not None else '…'}"
            if (low is None or age >= low) and (high is None or age <= high):
                texts["age"] = _("age %(age)d is within the preferred %(span)s") % {"age": age, "span": span}
            else:
                texts["age"] = _("age %(age)d is outside the preferred %(span)s") % {"age": age, "span": span}
    else:
        texts["age"] = _("year of birth not known")

    family_pref = {
        FamilyPreference.YES: _("welcomes families with children"),
        FamilyPreference.NO: _("would rather not mentor families with children"),
        FamilyPreference.EITHER: _("no preference about children"),
    }.get(volunteer.pref_families, "")
    if refugee.children_count:
        texts["family"] = (
            ngettext("household with %(n)d child", "household with %(n)d children", refugee.children_count)
            % {"n": refugee.children_count}
            + "; "
            + family_pref
        )
    else:
        texts["family"] = _("no children in the household") + "; " + family_pref

    if refugee.waiting_since:
        days = max(0, (ctx.today - refugee.waiting_since).days)
        texts["waiting"] = ngettext("waiting for %(days)d day", "waiting for %(days)d days", days) % {
            "days": days
        }
    else:
        texts["waiting"] = _("not on the waiting list")

    return [
        Criterion(
            key=key,
            label=str(CRITERIA_LABELS[key]),
            score=float(scores.parts[key][i]),
            weight=ctx.weights.get(key, 0.0),
            text=texts[key],
        )
        for key in MatchingWeights.CRITERIA
    ]


def block_reasons(
    refugee: RefugeeData, volunteer: VolunteerData, scores: Scores, i: int, ctx: Context
) -> list[str]:
    """Why a pair is not allowed, one German sentence per broken hard rule."""
    gender_words = {
        GenderPreference.FEMALE: _("women only"),
        GenderPreference.MALE: _("men only"),
    }
    reasons = []
    for rule in RULES:
        if not scores.blocks[rule][i]:
            continue
        if rule == "scope":
            reasons.append(
                _("belongs to %(organisation)s and is not released for %(other)s")
                % {
                    "organisation": ctx.organisation_names.get(volunteer.organisation_id, "?"),
                    "other": ctx.organisation_names.get(refugee.organisation_id, "?"),
                }
            )
        elif rule == "unavailable":
            reasons.append(
                _("not available (status: %(status)s)") % {"status": VolunteerStatus(volunteer.status).label}
            )
        elif rule == "no_capacity":
            reasons.append(
                _("no free place (%(taken)d of %(capacity)d taken)")
                % {"taken": volunteer.open_count, "capacity": volunteer.capacity}
            )
        elif rule == "untrained":
            reasons.append(_("basic training not done yet"))
        elif rule == "clearance":
            reasons.append(_("no valid police clearance, and the household has minors"))
        elif rule == "volunteer_gender":
            reasons.append(
                _("would mentor %(preference)s") % {"preference": gender_words.get(volunteer.pref_gender, "")}
            )
        elif rule == "refugee_gender":
            reasons.append(
                _("the household wishes a volunteer: %(preference)s")
                % {"preference": gender_words.get(refugee.pref_volunteer_gender, "")}
            )
    return reasons


# --- suggestions ---------------------------------------------------------------------------------------


def suggest_volunteers(
    *, refugee: Refugee, user: User, limit: int = 10, show_blocked: bool = False
) -> list[Suggestion]:
    """The best volunteers for one refugee (and, when asked, the blocked ones with their reasons)."""
    ctx = load_context(user=user)
    r = load_refugees(Refugee.objects.filter(pk=refugee.pk))[0]
    queryset = candidate_volunteers(user=user, organisation_ids=[r.organisation_id])
    if not show_blocked:
        queryset = prefiltered(queryset, r, ctx.today)
    pool = Pool(load_volunteers(queryset), ctx)
    if not len(pool):
        return []
    scores = score_refugee(r, pool)
    order = np.argsort(-scores.total, kind="stable")
    allowed = order[scores.allowed[order]][:limit]
    picked = list(allowed)
    if show_blocked:
        picked += list(order[~scores.allowed[order]][:limit])
    result = []
    for i in picked:
        v = pool.volunteers[i]
        result.append(
            Suggestion(
                refugee=r,
                volunteer=v,
                total=float(scores.total[i]),
                criteria=explain(r, v, scores, i, ctx),
                blocked=block_reasons(r, v, scores, i, ctx),
            )
        )
    return result


def waiting_refugees(*, user: User) -> QuerySet[Refugee]:
    from core.permissions import organisations_with
    from refugees.selectors import refugee_list_visible

    # a proposed pair keeps the refugee on the waiting list (their waiting time counts) but out of the pool
    return (
        refugee_list_visible(user=user)
        .filter(
            status=RefugeeStatus.WAITING,
            organisation__in=organisations_with(user=user, perm="tandems.change"),
        )
        .exclude(tandems__status__in=OPEN_STATUSES)
    )


def suggest_refugees(
    *, volunteer: Volunteer, user: User, limit: int = 10, show_blocked: bool = False
) -> list[Suggestion]:
    """The best waiting refugees for one volunteer."""
    ctx = load_context(user=user)
    pool = Pool(load_volunteers(Volunteer.objects.filter(pk=volunteer.pk)), ctx)
    refugees = load_refugees(waiting_refugees(user=user))
    scored = []
    for r in refugees:
        scores = score_refugee(r, pool)
        scored.append((float(scores.total[0]), bool(scores.allowed[0]), r, scores))
    scored.sort(key=lambda item: -item[0])
    picked = [s for s in scored if s[1]][:limit]
    if show_blocked:
        picked += [s for s in scored if not s[1]][:limit]
    v = pool.volunteers[0]
    return [
        Suggestion(
            refugee=r,
            volunteer=v,
            total=total,
            criteria=explain(r, v, scores, 0, ctx),
            blocked=block_reasons(r, v, scores, 0, ctx),
        )
        for total, _ok, r, scores in picked
    ]


def explain_pair(*, refugee: Refugee, volunteer: Volunteer, user: User | None) -> Suggestion:
    """Score and explain one pair, as the service stores it with a proposed tandem."""
    ctx = load_context(user=user)
    r = load_refugees(Refugee.objects.filter(pk=refugee.pk))[0]
    pool = Pool(load_volunteers(Volunteer.objects.filter(pk=volunteer.pk)), ctx)
    scores = score_refugee(r, pool)
    v = pool.volunteers[0]
    return Suggestion(
        refugee=r,
        volunteer=v,
        total=float(scores.total[0]),
        criteria=explain(r, v, scores, 0, ctx),
        blocked=block_reasons(r, v, scores, 0, ctx),
    )
