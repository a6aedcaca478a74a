"""The candidate volunteers as named numpy columns: loaded in four flat queries, scored column-wise.

One row per volunteer comes back from the database as a tuple; the tuples are turned into one column per
field (`VolunteerColumns`), and the many-valued fields (languages, areas of help, releases) into flat
(volunteer index, value) arrays. Nothing is built per candidate: a `VolunteerData` is made only for the
volunteers that are shown or paired (`Pool.volunteer`).
"""

import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter

import numpy as np
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    BooleanField,
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
from django.utils import timezone

from core.models import Gender, GenderPreference
from tandems.matching.criteria.availability import availability_breadth
from tandems.matching.data import (
    AVAILABLE_STATUSES,
    DAY_TIMES,
    LEVEL_SCORE,
    Context,
    RefugeeData,
    VolunteerData,
)
from tandems.models import VolunteerRelease
from volunteers.models import FamilyPreference, Volunteer, VolunteerLanguage

GENDER_CODE = {Gender.FEMALE: 1, Gender.MALE: 2, Gender.DIVERSE: 3, Gender.UNSPECIFIED: 0}
PREF_CODE = {GenderPreference.ANY: 0, GenderPreference.FEMALE: 1, GenderPreference.MALE: 2}

# the columns a pool scores with, by name (the row tuples are unpacked into columns in this order), and the
# columns only a shown or paired volunteer needs
SCORE_FIELDS = (
    "pk",
    "organisation_id",
    "status",
    "capacity",
    "open_n",
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
    "commitment_months",
    "commitment_per_month",
)
DETAIL_FIELDS = ("first_name", "last_name")
ROW_FIELDS = SCORE_FIELDS + DETAIL_FIELDS


@dataclass(frozen=True)
class Narrow:
    """Which rows of the many-valued fields can score for one refugee: their languages (and German), their
    needs, and the releases to their organisation (none when the user pairs in every organisation)."""

    language_ids: frozenset[int]
    help_area_ids: frozenset[int]
    release_organisation_ids: frozenset[int]

    @classmethod
    def for_refugee(cls, refugee: RefugeeData, ctx: Context) -> "Narrow":
        german = {ctx.german_id} if ctx.german_id else set()
        releases = frozenset() if ctx.all_organisations else frozenset({refugee.organisation_id})
        return cls(frozenset(refugee.languages | german), frozenset(refugee.needs), releases)


def _fetch(queryset: QuerySet) -> list[tuple]:
    """The rows of a values_list() query as psycopg returns them: the per-row converters of the ORM cost
    more than the query itself at 10,000 rows, and these columns need none (dates and arrays arrive typed)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # .none(), an empty __in: nothing to ask
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _fetch_by_pk(queryset: QuerySet) -> list[tuple]:
    """The rows in the order of their first column, the id, so that ties rank by id whatever the plan. Sorted
    here, not by ORDER BY: without it PostgreSQL can leave out the volunteers in a cool-off with a hash
    instead of a merge join, and it need not sort the wide rows (about a quarter of the candidates'
    query at city scale); sorting 10,000 tuples by an int costs Python about a millisecond."""
    rows = _fetch(queryset)
    rows.sort(key=itemgetter(0))
    return rows


@contextmanager
def no_gc() -> Iterator[None]:
    """Building many small objects triggers the cyclic garbage collector again and again, and each run walks
    every object of the process; these objects hold no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _any_of(ids: Sequence[int]) -> RawSQL:
    # the ids as one array literal ('{1,2,3}'), not thousands of placeholders or ARRAY[...] elements that
    # the server parses one by one, and no repetition of the candidates' query in each follow-up query
    return RawSQL("SELECT unnest(%s::integer[])", ["{" + ",".join(map(str, ids)) + "}"])


def with_open_count(queryset: QuerySet[Volunteer]) -> QuerySet[Volunteer]:
    """`open_n`, the number of open tandems of each volunteer: the count the database keeps on the row
    (`Volunteer.open_tandems`, tandems/migrations/0011_…), no join with the tandems."""
    if "open_n" in queryset.query.annotations:
        return queryset
    return queryset.annotate(open_n=F("open_tandems"))


def _array_text(field: str, separator: str) -> Func:
    return Func(F(field), Value(separator), function="array_to_string", output_field=TextField())


def _row_query(queryset: QuerySet[Volunteer], fields: Sequence[str], **extra) -> QuerySet:
    """Typed in SQL what matching needs: two booleans instead of two dates, arrays as one plain string each
    (psycopg builds a Python object per date and array element, the slowest part at 10,000 rows; counting
    the distinct weekdays in SQL costs a subplan per joined row, more than splitting the text here)."""
    today = timezone.localdate()
    return (
        with_open_count(queryset)
        .order_by()  # no ORDER BY: the rows are sorted by id in Python (see _fetch_by_pk)
        .annotate(
            is_trained=ExpressionWrapper(Q(trained_on__isnull=False), output_field=BooleanField()),
            is_cleared=ExpressionWrapper(Q(clearance_valid_until__gte=today), output_field=BooleanField()),
            weekdays_text=_array_text("available_weekdays", ","),
            times_text=_array_text("available_times", ","),
            interests_text=Func(_array_text("interests", "|"), function="lower", output_field=TextField()),
            **extra,
        )
        .values_list(*fields, *extra)
    )


def _related(model, column: str) -> ArraySubquery:
    """One volunteer's values of a many-valued field as an array, in a fixed order."""
    rows = model.objects.filter(volunteer_id=OuterRef("pk")).order_by("pk")
    return ArraySubquery(rows.values(column))


def _split_interests(text: str | None) -> frozenset[str]:
    return frozenset(i.strip() for i in text.split("|") if i.strip()) if text else frozenset()


class VolunteerColumns:
    """The loaded volunteers, one named column per field (numpy where it is scored, a tuple otherwise), and
    their many-valued fields as flat arrays: `lang_row[k]` is the index of the volunteer who speaks
    `lang_id[k]` at `lang_level[k]`, likewise `help_row`/`help_id` and `release_row`/`release_org`."""

    def __init__(
        self,
        rows: list[tuple],
        languages: list[tuple],
        helps: list[tuple],
        releases: list[tuple],
        *,
        fields: Sequence[str] = ROW_FIELDS,
        complete: bool = True,
    ):
        self.n = len(rows)
        # complete: every field and every related row; otherwise a shown volunteer is read again in full
        self.complete = complete
        # one tuple per field: zip(*rows) transposes the rows in C, not one Python step per cell
        columns = list(zip(*rows, strict=True)) if rows else [()] * len(fields)
        self.text: dict[str, Sequence] = dict(zip(fields, columns, strict=True))
        self.pk = np.array(self.text["pk"], dtype=np.int64)
        order = np.argsort(self.pk, kind="stable")
        self.lang_row, (self.lang_id, self.lang_level) = self._rows_of(languages, order, 2)
        self.help_row, (self.help_id,) = self._rows_of(helps, order, 1)
        self.release_row, (self.release_org,) = self._rows_of(releases, order, 1)

    def _rows_of(self, pairs: list[tuple], order: np.ndarray, width: int) -> tuple[np.ndarray, list]:
        """(volunteer pk, value, ...) rows as the volunteers' indices and one sequence per value."""
        if not pairs:
            return np.zeros(0, dtype=np.int64), [()] * width
        pks = np.fromiter((pair[0] for pair in pairs), dtype=np.int64, count=len(pairs))
        rows = order[np.searchsorted(self.pk[order], pks)]
        return rows, list(zip(*pairs, strict=True))[1:]

    @classmethod
    def load(cls, queryset: QuerySet[Volunteer], narrow: Narrow | None = None) -> "VolunteerColumns":
        """Up to four flat queries, whatever the number of volunteers: the rows with their number of open
        tandems, then the languages, help areas and releases of exactly those rows (by an array of their
        ids). With `narrow`, only the columns that score and only the related rows that can score. The
        garbage collector waits meanwhile: the fetched rows (tuples of plain values, no cycles) would
        otherwise outlive a collection or two, move to the oldest generation and set off a full
        collection of the process every few requests."""
        with no_gc():
            return cls._load(queryset, narrow)

    @classmethod
    def _load(cls, queryset: QuerySet[Volunteer], narrow: Narrow | None) -> "VolunteerColumns":
        rows = _fetch_by_pk(_row_query(queryset, SCORE_FIELDS if narrow else ROW_FIELDS))
        if not rows:
            return cls([], [], [], [])
        ids = _any_of([r[0] for r in rows])
        languages = VolunteerLanguage.objects.filter(volunteer_id__in=ids)
        helps = Volunteer.help_areas.through.objects.filter(volunteer_id__in=ids)
        releases = VolunteerRelease.objects.filter(volunteer_id__in=ids)
        if narrow:
            languages = languages.filter(language_id__in=narrow.language_ids)
            helps = helps.filter(helparea_id__in=narrow.help_area_ids)
            releases = releases.filter(organisation_id__in=narrow.release_organisation_ids)
        return cls(
            rows,
            _fetch(languages.values_list("volunteer_id", "language_id", "level")),
            _fetch(helps.values_list("volunteer_id", "helparea_id")),
            _fetch(releases.values_list("volunteer_id", "organisation_id")),
            fields=SCORE_FIELDS if narrow else ROW_FIELDS,
            complete=not narrow,
        )

    @classmethod
    def load_details(cls, pks: Sequence[int]) -> list[VolunteerData]:
        """A few volunteers in full, in one query (their related rows as arrays), in the order of `pks`."""
        rows = _fetch_by_pk(
            _row_query(
                Volunteer.objects.filter(pk__in=list(pks)),
                ROW_FIELDS,
                lang_ids=_related(VolunteerLanguage, "language_id"),
                lang_levels=_related(VolunteerLanguage, "level"),
                help_ids=_related(Volunteer.help_areas.through, "helparea_id"),
                release_orgs=_related(VolunteerRelease, "organisation_id"),
            )
        )
        width = len(ROW_FIELDS)
        columns = cls(
            [row[:width] for row in rows],
            [
                (row[0], lang, level)
                for row in rows
                for lang, level in zip(row[width], row[width + 1], strict=True)
            ],
            [(row[0], area) for row in rows for area in row[width + 2]],
            [(row[0], org) for row in rows for org in row[width + 3]],
        )
        by_pk = {v.pk: v for v in columns.volunteers()}
        return [by_pk[pk] for pk in pks]

    @classmethod
    def of(cls, volunteers: Sequence[VolunteerData]) -> "VolunteerColumns":
        """The same columns for volunteers already in memory (the batch, tests)."""
        with no_gc():
            return cls._of(volunteers)

    @classmethod
    def _of(cls, volunteers: Sequence[VolunteerData]) -> "VolunteerColumns":
        rows = [
            (
                *(v.pk, v.organisation_id, v.status, v.capacity, v.open_count, v.is_trained, v.is_cleared),
                *(v.gender, v.pref_gender, v.pref_families, v.pref_age_min, v.pref_age_max, v.district_id),
                *(",".join(map(str, v.weekdays)), ",".join(v.times), "|".join(v.interests)),
                *(v.commitment_months, v.commitment_per_month, v.name, ""),
            )
            for v in volunteers
        ]
        languages = [(v.pk, lang, level) for v in volunteers for lang, level in v.languages.items()]
        helps = [(v.pk, h) for v in volunteers for h in v.help_areas]
        releases = [(v.pk, org) for v in volunteers for org in v.released_to]
        return cls(rows, languages, helps, releases)

    def _grouped(self, rows: np.ndarray, values: Sequence, wanted: np.ndarray | None) -> dict[int, list]:
        """The values of a flat relation by volunteer index, for the `wanted` indices (None: all)."""
        picked = np.arange(len(rows)) if wanted is None else np.flatnonzero(np.isin(rows, wanted))
        grouped: dict[int, list] = defaultdict(list)
        for k, row in zip(picked.tolist(), rows[picked].tolist(), strict=True):
            grouped[row].append(values[k])
        return grouped

    def volunteers(self, indices: Sequence[int] | None = None) -> list[VolunteerData]:
        """The volunteers of the given rows (all by default) as dataclasses: made only for those shown or
        paired, never for every candidate of a suggestion."""
        if not self.complete:
            return self.load_details(self.pk[list(indices)].tolist())
        wanted = None if indices is None else np.asarray(indices, dtype=np.int64)
        pairs = list(zip(self.lang_id, self.lang_level, strict=True))
        languages = self._grouped(self.lang_row, pairs, wanted)
        helps = self._grouped(self.help_row, self.help_id, wanted)
        releases = self._grouped(self.release_row, self.release_org, wanted)
        with no_gc():
            return [
                self._volunteer(i, dict(languages.get(i, ())), helps.get(i, ()), releases.get(i, ()))
                for i in (range(self.n) if indices is None else indices)
            ]

    def _volunteer(
        self, i: int, languages: dict[int, str], helps: Sequence, releases: Sequence
    ) -> VolunteerData:
        t = {name: column[i] for name, column in self.text.items()}
        weekdays, times = t["weekdays_text"], t["times_text"]
        return VolunteerData(
            pk=t["pk"],
            name=f"{t['first_name']} {t['last_name']}".strip(),
            organisation_id=t["organisation_id"],
            status=t["status"],
            capacity=t["capacity"],
            open_count=t["open_n"],
            is_trained=bool(t["is_trained"]),
            is_cleared=bool(t["is_cleared"]),
            gender=t["gender"],
            pref_gender=t["pref_gender"],
            pref_families=t["pref_families"],
            pref_age_min=t["pref_age_min"],
            pref_age_max=t["pref_age_max"],
            district_id=t["district_id"],
            weekdays=tuple(int(d) for d in weekdays.split(",")) if weekdays else (),
            times=tuple(times.split(",")) if times else (),
            interests=_split_interests(t["interests_text"]),
            languages=languages,
            help_areas=frozenset(helps),
            released_to=frozenset(releases),
            commitment_months=t["commitment_months"],
            commitment_per_month=t["commitment_per_month"],
        )


def load_volunteers(queryset: QuerySet[Volunteer]) -> list[VolunteerData]:
    return VolunteerColumns.load(queryset).volunteers()


class Pool:
    """The volunteers of one run as scoring columns: what the criteria and rules read (`pool.available`,
    `pool.language_column(id)`, ...), built column-wise from `VolunteerColumns`."""

    def __init__(
        self, columns: VolunteerColumns, ctx: Context, volunteers: Sequence[VolunteerData] | None = None
    ) -> None:
        self.columns, self.ctx, n = columns, ctx, columns.n
        self._volunteers = list(volunteers) if volunteers is not None else None
        text = columns.text
        self.zeros = np.zeros(n, dtype=np.float32)
        self.org = np.array(text["organisation_id"], dtype=np.int64)
        self.is_fwz = self.org == (ctx.fwz_id if ctx.fwz_id is not None else -1)
        self.available = _coded(text["status"], lambda status: status in AVAILABLE_STATUSES, bool)
        self.free = np.array(text["capacity"], dtype=np.int64) - np.array(text["open_n"], dtype=np.int64)
        self.trained = np.array(text["is_trained"], dtype=bool)
        self.cleared = np.array(text["is_cleared"], dtype=bool)
        self.gender = _coded(text["gender"], lambda g: GENDER_CODE.get(g, 0), np.int8)
        self.pref_gender = _coded(text["pref_gender"], lambda g: PREF_CODE.get(g, 0), np.int8)
        self.family_yes = _coded(text["pref_families"], lambda f: f == FamilyPreference.YES.value, bool)
        self.family_no = _coded(text["pref_families"], lambda f: f == FamilyPreference.NO.value, bool)
        self.age_min = np.array(text["pref_age_min"], dtype=np.float64).astype(np.float32)  # None: nan
        self.age_max = np.array(text["pref_age_max"], dtype=np.float64).astype(np.float32)
        # what each volunteer can commit to (months, meetings a month); nan: not stated
        self.commitment_months = np.array(text["commitment_months"], dtype=np.float64).astype(np.float32)
        self.commitment_per_month = np.array(text["commitment_per_month"], dtype=np.float64).astype(
            np.float32
        )
        index = ctx.district_index
        self.district = _coded(text["district_id"], lambda d: index.get(d, -1) if d else -1, np.int64)
        self.availability = availability_breadth(
            _distinct_counts(text["weekdays_text"], n), _distinct_counts(text["times_text"], n)
        ).astype(np.float32)
        self._language_columns = self._language_columns_of(columns)
        self.german = self._language_columns.get(ctx.german_id, self.zeros) if ctx.german_id else self.zeros
        self._help_columns = _columns(columns.help_row, columns.help_id, n)
        self._interest_columns: dict[str, np.ndarray] | None = None
        self._day_grid: np.ndarray | None = None
        self._time_grid: np.ndarray | None = None
        self._weeks: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._scope_cache: dict[int, np.ndarray] = {}
        self._scores: dict[tuple, np.ndarray | float] = {}
        self._kept_ids: set[int] = set()

    @classmethod
    def of(cls, volunteers: Sequence[VolunteerData], ctx: Context) -> "Pool":
        """A pool of volunteers already in memory (the batch); `volunteer(i)` gives back the same objects."""
        return cls(VolunteerColumns.of(volunteers), ctx, volunteers)

    @classmethod
    def load(cls, queryset: QuerySet[Volunteer], ctx: Context, refugee: RefugeeData | None = None) -> "Pool":
        """The volunteers of `queryset`; for one `refugee`, only what can score for them is read (the
        volunteers shown are then read again in full, a few rows)."""
        return cls(
            VolunteerColumns.load(queryset, Narrow.for_refugee(refugee, ctx) if refugee else None), ctx
        )

    def __len__(self) -> int:
        return self.columns.n

    def volunteers(self, indices: Sequence[int]) -> list[VolunteerData]:
        """The volunteers of the given rows, as dataclasses (for the explanation and the page)."""
        if self._volunteers is not None:
            return [self._volunteers[i] for i in indices]
        return self.columns.volunteers(indices)

    @staticmethod
    def _language_columns_of(columns: VolunteerColumns) -> dict[int, np.ndarray]:
        """One column per language: the volunteer's level as a score (0 where they do not speak it)."""
        scores = _coded(columns.lang_level, lambda level: LEVEL_SCORE.get(level, 0.5), np.float32)
        ids = np.array(columns.lang_id, dtype=np.int64)
        result = {}
        for lang_id in np.unique(ids).tolist():
            picked = ids == lang_id
            column = np.zeros(columns.n, dtype=np.float32)
            column[columns.lang_row[picked]] = scores[picked]
            result[lang_id] = column
        return result

    def cached(self, key: tuple, compute: Callable[[], np.ndarray | float]) -> np.ndarray | float:
        """A criterion's scores for every volunteer that depend on the refugee only through `key` (their
        district, age, week, ...), computed once per pool: the batch scores thousands of households
        against the same pool, and many share these. The array is read-only (it is shared)."""
        value = self._scores.get(key)
        if value is None:
            value = compute()
            if isinstance(value, np.ndarray):
                value.setflags(write=False)
                self._kept_ids.add(id(value))
            self._scores[key] = value
        return value

    def is_kept(self, value: object) -> bool:
        """True for an array kept by `cached`: it lives as long as the pool, so its id names it."""
        return id(value) in self._kept_ids

    def weighted(self, value: np.ndarray | float, weight: float) -> np.ndarray | float:
        """`weight * value`, kept once per pool for a score the pool keeps (shared by many households)."""
        if not self.is_kept(value):
            return weight * value
        return self.cached(("weighted", id(value), weight), lambda: weight * value)

    def language_column(self, lang_id: int) -> np.ndarray | None:
        return self._language_columns.get(lang_id)

    def help_column(self, area_id: int) -> np.ndarray | None:
        return self._help_columns.get(area_id)

    def count_of(self, columns: Iterable[np.ndarray | None]) -> np.ndarray:
        """Per volunteer, how many of the given 0/1 columns hold a 1 (a missing column, None, adds nothing)."""
        total = self.zeros
        for column in columns:
            if column is not None:
                total = total + column
        return total

    def interest_column(self, interest: str) -> np.ndarray | None:
        """1 where the volunteer shares the (lower-case) interest; the free texts are split on first use."""
        if self._interest_columns is None:
            text = self.columns.text["interests_text"]
            with no_gc():
                pairs = [(i, key) for i, value in enumerate(text) if value for key in _split_interests(value)]
            rows = np.array([i for i, _key in pairs], dtype=np.int64)
            self._interest_columns = _columns(rows, [key for _i, key in pairs], len(self))
        return self._interest_columns.get(interest)

    @property
    def day_grid(self) -> np.ndarray:
        """The volunteers' weekdays as a boolean (volunteers × 7) matrix, Monday first; built on first use,
        once per pool (the batch scores every household against the same pool)."""
        if self._day_grid is None:
            self._day_grid = _grid(self.columns.text["weekdays_text"], [str(d) for d in range(7)], len(self))
        return self._day_grid

    @property
    def time_grid(self) -> np.ndarray:
        """The volunteers' parts of day as a boolean (volunteers × 3) matrix in the order of DAY_TIMES."""
        if self._time_grid is None:
            self._time_grid = _grid(self.columns.text["times_text"], DAY_TIMES, len(self))
        return self._time_grid

    @property
    def weeks(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The volunteers' distinct weeks: a (weeks × 7) and a (weeks × 3) boolean matrix like `day_grid` and
        `time_grid`, and for each volunteer the row of its week. Volunteers share few weeks: a score that
        depends on the week alone is computed once per week and spread (`scores[inverse]`), the same numbers."""
        if self._weeks is None:
            text = self.columns.text
            unique, inverse = _distinct_texts(
                list(zip(text["weekdays_text"], text["times_text"], strict=True))
            )
            days = _grid([d for d, _t in unique], [str(d) for d in range(7)], len(unique))
            times = _grid([t for _d, t in unique], DAY_TIMES, len(unique))
            self._weeks = (days, times, inverse)
        return self._weeks

    def scope_ok(self, organisation_id: int) -> np.ndarray:
        """Same organisation, or an FWZ volunteer (for a partner coordinator: released to the partner)."""
        cached = self._scope_cache.get(organisation_id)
        if cached is None:
            same = self.org == organisation_id
            if self.ctx.all_organisations:
                cached = same | self.is_fwz
            else:
                released = np.zeros(len(self), dtype=bool)
                orgs = np.array(self.columns.release_org, dtype=np.int64)
                released[self.columns.release_row[orgs == organisation_id]] = True
                cached = same | (self.is_fwz & released)
            self._scope_cache[organisation_id] = cached
        return cached


def _distinct_texts(texts: Sequence) -> tuple[list, np.ndarray]:
    """The distinct texts and, for each row, the index of its text: volunteers share few weekday and time
    combinations, so each is parsed once instead of once per volunteer."""
    unique = list(dict.fromkeys(texts))
    position = {t: i for i, t in enumerate(unique)}
    return unique, np.fromiter(map(position.__getitem__, texts), dtype=np.int64, count=len(texts))


def _coded(values: Sequence, code: Callable[[object], int], dtype) -> np.ndarray:
    """`code(value)` for each value, computed once per distinct value (genders, districts: a few dozen)."""
    unique, inverse = _distinct_texts(values)
    return np.array([code(v) for v in unique], dtype=dtype)[inverse]


def _distinct_counts(texts: Sequence[str | None], n: int) -> np.ndarray:
    """The number of distinct values in each comma-separated text (a volunteer's weekdays, times of day)."""
    unique, inverse = _distinct_texts(texts)
    counts = np.fromiter(
        (len(set(t.split(","))) if t else 0 for t in unique), dtype=np.float64, count=len(unique)
    )
    return counts[inverse]


def _grid(texts: Sequence[str | None], keys: Sequence[str], n: int) -> np.ndarray:
    """A boolean (n × len(keys)) matrix: True where the comma-separated text of a row names the key."""
    index = {key: j for j, key in enumerate(keys)}
    unique, inverse = _distinct_texts(texts)
    grid = np.zeros((len(unique), len(keys)), dtype=bool)
    for i, text in enumerate(unique):
        if text:
            for value in text.split(","):
                j = index.get(value)
                if j is not None:
                    grid[i, j] = True
    return grid[inverse]


def _columns(rows: np.ndarray, keys: Sequence, n: int) -> dict:
    """One 0/1 column per key (an area of help, an interest) over the volunteers, from flat (row, key) pairs."""
    indices: dict = defaultdict(list)
    for row, key in zip(rows.tolist(), keys, strict=True):
        indices[key].append(row)
    columns = {}
    for key, picked in indices.items():
        column = np.zeros(n, dtype=np.float32)
        column[picked] = 1.0
        columns[key] = column
    return columns
