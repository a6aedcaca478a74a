"""The batch proposal as a stored run: a job computes it once (`tandems.batch.batch_proposal`) and keeps the
pairs as ids and scores in a `BatchRun`; the page shows the latest run of the user and scope without computing
anything, and says when the data changed since ("veraltet").

Reads only; the writes (starting a run, the job's progress and result) are in `tandems.services`."""

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.urls import reverse
from django.utils import timezone

from core.models import User
from core.permissions import acts_in_all_organisations, organisations_with
from refugees.selectors import refugee_list_visible
from tandems.batch import ScoredPair
from tandems.matching import MATCHING_PERM, candidate_volunteers, ready_with_free_place, waiting_refugees
from tandems.models import BatchRun, Tandem
from volunteers.selectors import volunteer_list_visible

# pairs on one page of a run (all 1,800 pairs of the city's run took 0.5 s to render and 1.5 MB to send)
BATCH_PAGE_SIZE = 100
# people left without a pair that the page names (the run keeps all refugees and 200 volunteers by id)
UNMATCHED_SHOWN = 200


def batch_scope(*, user: User) -> str:
    """The organisations a run covers: "all", or the ids of the organisations the user pairs in."""
    if acts_in_all_organisations(user=user, perm=MATCHING_PERM):
        return "all"
    ids = sorted(organisations_with(user=user, perm=MATCHING_PERM).values_list("pk", flat=True))
    return ",".join(map(str, ids)) or "none"


def batch_run_latest(*, user: User) -> BatchRun | None:
    """The latest run of this user in their current scope."""
    return (
        BatchRun.objects.filter(created_by=user, scope=batch_scope(user=user)).order_by("-created_at").first()
    )


def batch_run_is_stale(*, run: BatchRun, user: User) -> bool:
    """True when a refugee, volunteer or tandem the user can see changed after the run read the data."""
    since = run.started_at or run.created_at
    return (
        refugee_list_visible(user=user).filter(updated_at__gt=since).exists()
        or volunteer_list_visible(user=user).filter(updated_at__gt=since).exists()
        or Tandem.objects.filter(updated_at__gt=since).exists()
    )


def estimated_progress(run: BatchRun, *, now: datetime.datetime | None = None) -> int:
    """The stored progress, moved on by the time passed against the last run's duration (the run itself
    only reports its phases: read, computed, stored)."""
    if not run.is_pending or not run.started_at:
        return run.progress
    expected = float(run.result.get("expected_seconds") or 0)
    if expected <= 0:
        return run.progress
    elapsed = ((now or timezone.now()) - run.started_at).total_seconds()
    return max(run.progress, min(95, round(100 * elapsed / expected)))


@dataclass(frozen=True)
class Person:
    pk: int
    name: str
    url: str = ""


_PK_MARK = "987654321"


def _url_maker(name: str):
    """`pk -> URL of name`, reversed once: a hundred rows with two links each took 30 ms of `reverse`."""
    pattern = reverse(name, args=[int(_PK_MARK)])
    return lambda pk: pattern.replace(_PK_MARK, str(pk))


@dataclass(frozen=True)
class StoredPair(ScoredPair):
    refugee: Person
    volunteer: Person
    score: float


@dataclass
class StoredResult:
    """A done run as the page shows it: the names of the people the user still sees (others are left out)."""

    pairs: list[StoredPair] = field(default_factory=list)  # the pairs of the page shown
    page: Page | None = None
    pair_count: int = 0  # every pair of the run
    optimal_total: float = 0.0
    greedy_total: float = 0.0
    greedy_count: int = 0
    refugee_count: int = 0
    place_count: int = 0
    waiting_total: int = 0
    seconds: float = 0.0
    unmatched_refugees: list[tuple[Person, str]] = field(default_factory=list)
    unmatched_volunteers: list[tuple[Person, str]] = field(default_factory=list)
    unmatched_volunteer_count: int = 0
    unmatched_refugee_count: int = 0

    @property
    def is_partial(self) -> bool:
        return self.waiting_total > self.refugee_count

    @property
    def optimal_average(self) -> int:
        return round(100 * self.optimal_total / self.pair_count) if self.pair_count else 0

    @property
    def greedy_average(self) -> int:
        return round(100 * self.greedy_total / self.greedy_count) if self.greedy_count else 0

    @property
    def unmatched_volunteers_more(self) -> int:
        return max(0, self.unmatched_volunteer_count - len(self.unmatched_volunteers))

    @property
    def unmatched_refugees_more(self) -> int:
        return max(0, self.unmatched_refugee_count - len(self.unmatched_refugees))


def _names(queryset, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = queryset.order_by().filter(pk__in=ids).values_list("pk", "first_name", "last_name")
    return {pk: f"{first} {last}".strip() for pk, first, last in rows}


def stored_result(*, run: BatchRun, user: User, page_number: str | int | None = 1) -> StoredResult:
    """One page of the run's pairs with names, and the first people left without a pair: two queries
    (refugees, volunteers) whatever the run's size. A pair of someone the user no longer sees (anonymised,
    or moved out of their scope) is left out."""
    data = run.result
    page = Paginator(data.get("pairs", []), BATCH_PAGE_SIZE).get_page(page_number)
    left_refugees = data.get("unmatched_refugees", [])
    left_volunteers = data.get("unmatched_volunteers", [])[:UNMATCHED_SHOWN]
    shown_left_refugees = left_refugees[:UNMATCHED_SHOWN]
    refugee_names = _names(
        refugee_list_visible(user=user), [p[0] for p in page] + [r[0] for r in shown_left_refugees]
    )
    volunteer_names = _names(
        candidate_volunteers(user=user), [p[1] for p in page] + [v[0] for v in left_volunteers]
    )
    result = StoredResult(
        page=page,
        pair_count=page.paginator.count,
        optimal_total=data.get("optimal_total", 0.0),
        greedy_total=data.get("greedy_total", 0.0),
        greedy_count=data.get("greedy_count", 0),
        refugee_count=data.get("refugee_count", 0),
        place_count=data.get("place_count", 0),
        waiting_total=data.get("waiting_total", 0),
        seconds=data.get("seconds", 0.0),
        unmatched_volunteer_count=data.get("unmatched_volunteer_count", len(left_volunteers)),
        unmatched_refugee_count=len(left_refugees),
    )
    refugee_url = _url_maker("refugees:refugee_detail")
    volunteer_url = _url_maker("volunteers:volunteer_detail")
    result.pairs = [
        StoredPair(
            Person(r, refugee_names[r], refugee_url(r)),
            Person(v, volunteer_names[v], volunteer_url(v)),
            score,
        )
        for r, v, score in page
        if r in refugee_names and v in volunteer_names
    ]
    result.unmatched_refugees = [
        (Person(r, refugee_names[r]), why) for r, why in shown_left_refugees if r in refugee_names
    ]
    result.unmatched_volunteers = [
        (Person(v, volunteer_names[v]), why) for v, why in left_volunteers if v in volunteer_names
    ]
    return result


def pair_keys(run: BatchRun) -> list[str]:
    return [f"{r}-{v}" for r, v, _score in run.result.get("pairs", [])]


@dataclass
class PairCheck:
    """The ticked pairs split into those that can still be proposed and those that cannot."""

    valid: list[tuple] = field(default_factory=list)  # (refugee, volunteer) model instances
    invalid: list[tuple[Person, Person]] = field(default_factory=list)


def pairs_check(*, pairs: list[tuple[int, int]], user: User) -> PairCheck:
    """Which of `pairs` can still be proposed now: the refugee still waiting without an open tandem and
    visible, the volunteer still one the user may pair, available, trained, with a free place (with
    several pairs for one volunteer, as many as the free places, in the given order)."""
    refugees = {r.pk: r for r in waiting_refugees(user=user).filter(pk__in=[r for r, _v in pairs])}
    volunteers = {
        v.pk: v
        for v in ready_with_free_place(
            candidate_volunteers(user=user, organisation_ids={r.organisation_id for r in refugees.values()})
        )
        .filter(pk__in=[v for _r, v in pairs])
        .select_related("organisation")
    }
    free = {pk: v.capacity - v.open_tandems for pk, v in volunteers.items()}
    check = PairCheck()
    gone_r = _names(refugee_list_visible(user=user), [r for r, _v in pairs if r not in refugees])
    gone_v = _names(candidate_volunteers(user=user), [v for _r, v in pairs if v not in volunteers])
    for r, v in pairs:
        if r in refugees and v in volunteers and free[v] > 0:
            free[v] -= 1
            check.valid.append((refugees[r], volunteers[v]))
        else:
            refugee = refugees.get(r)
            volunteer = volunteers.get(v)
            check.invalid.append(
                (
                    Person(r, str(refugee) if refugee else gone_r.get(r, "–")),
                    Person(v, str(volunteer) if volunteer else gone_v.get(v, "–")),
                )
            )
    return check
