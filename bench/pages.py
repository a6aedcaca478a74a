"""What `make bench` measures: the main staff pages (each with how to find the object or filter value it
shows) and the matching engine (suggestions for one refugee, the batch proposal)."""

import dataclasses
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

# the demo data's most frequent surnames (Faker de_DE) and a first name of the refugees' demo data
VOLUNTEER_SEARCH = "Müller"
REFUGEE_SEARCH = "Ahmad"


def _median_pk(label: str, **filters) -> Callable[[], dict[str, Any]]:
    """A row from the middle of the table: neither the newest nor the oldest."""

    def find() -> dict[str, Any]:
        model = apps.get_model(label)
        rows = model._default_manager.filter(**filters)
        count = rows.count()
        if not count:
            raise LookupError(f"no {label} rows")
        return {"pk": rows.order_by("pk").values_list("pk", flat=True)[count // 2]}

    return find


def _district_query(template: str) -> Callable[[], str]:
    """A filter on the district with the most volunteers (the worst case of a district filter)."""

    def build() -> str:
        from django.db.models import Count

        district = (
            apps.get_model("volunteers.Volunteer")
            .objects.exclude(district=None)
            .values("district")
            .annotate(n=Count("pk"))
            .order_by("-n", "district")
            .values_list("district", flat=True)
            .first()
        )
        return template.format(district=district)

    return build


@dataclass(frozen=True)
class Page:
    label: str
    url_name: str
    kwargs: Callable[[], dict[str, Any]] = field(default=lambda: {})
    query: str | Callable[[], str] = ""
    kind: str = "page"  # "export": a download of all rows (target 3 s, streamed)

    def query_string(self) -> str:
        return self.query() if callable(self.query) else self.query


PAGES = [
    # the coordinator's work queues (core/home.py): "mine" by default, everything in scope with ?scope=all
    Page("start page", "core:home"),
    Page("start page, all", "core:home", query="?scope=all"),
    Page("volunteer list", "volunteers:volunteer_list"),
    Page(
        "volunteer list, filtered",
        "volunteers:volunteer_list",
        query=_district_query("?status=active&district={district}&sort=clearance"),
    ),
    Page("volunteer list, search", "volunteers:volunteer_list", query=f"?q={VOLUNTEER_SEARCH}"),
    Page("volunteer list, last page", "volunteers:volunteer_list", query="?page=999999"),
    Page("volunteer detail", "volunteers:volunteer_detail", _median_pk("volunteers.Volunteer")),
    Page("probable duplicates", "volunteers:volunteer_duplicates"),
    Page("refugee list", "refugees:refugee_list"),
    Page(
        "refugee list, filtered", "refugees:refugee_list", query="?status=waiting&german_level=A1&sort=name"
    ),
    Page("refugee list, search", "refugees:refugee_list", query=f"?q={REFUGEE_SEARCH}"),
    Page("refugee detail", "refugees:refugee_detail", _median_pk("refugees.Refugee")),
    Page("waiting list", "refugees:refugee_waiting_list"),
    Page("tandem list", "tandems:tandem_list"),
    Page("tandem list, filtered", "tandems:tandem_list", query="?status=active&sort=-started"),
    Page("tandem list, search", "tandems:tandem_list", query=f"?q={VOLUNTEER_SEARCH}"),
    Page("tandem detail", "tandems:tandem_detail", _median_pk("tandems.Tandem")),
    Page("caseload", "tandems:caseload"),
    Page("training sessions", "trainings:session_list", query="?when=coming"),
    Page("training sessions, past", "trainings:session_list", query="?when=past"),
    Page("training session detail", "trainings:session_detail", _median_pk("trainings.Session")),
    Page("waiting for the basic training", "trainings:basic_waiting_list"),
    Page("dashboard", "reporting:dashboard"),
    Page("grant report", "reporting:grant_report", lambda: {"year": timezone.localdate().year}),
    # every volunteer: 10,000 rows at city scale (100,000 at ten times, judged per row)
    Page("volunteer export CSV (all rows)", "volunteers:volunteer_list", query="?format=csv", kind="export"),
    Page(
        "volunteer export XLSX (all rows)", "volunteers:volunteer_list", query="?format=xlsx", kind="export"
    ),
]

# the pages a simulated coordinator browses in the load run (bench/load.py): lists, filters, details
LOAD_PAGES = [p for p in PAGES if p.kind == "page" and p.url_name not in {"reporting:grant_report"}]


def _timed(function: Callable[[], Any], repeat: int) -> tuple[list[float], int, Any]:
    """Milliseconds of each run, the number of queries of the last run and its result."""
    times, result, queries = [], None, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = function()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    return times, queries, result


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[max(0, -(-len(ordered) * 95 // 100) - 1)], 1),
    }


BATCH_CELLS_LIMIT = 20_000_000  # the target case is 2,000 × 5,000 = 10 million pairs


def batch_target_data(user) -> tuple[list, list, Any]:
    """The refugees, the volunteers (each given one free place) and the context of the target case: the
    first 2,000 refugees and the first 5,000 trained volunteers (see `matching_figures`)."""
    from refugees.models import Refugee
    from tandems.matching import AVAILABLE_STATUSES, load_context, load_refugees, load_volunteers
    from volunteers.models import Volunteer

    ctx = load_context(user=user)
    first = (
        Refugee.objects.filter(anonymised_at__isnull=True).order_by("pk").values_list("pk", flat=True)[:2000]
    )
    refugees = load_refugees(Refugee.objects.filter(pk__in=list(first)))
    trained = Volunteer.objects.filter(
        anonymised_at__isnull=True, status__in=AVAILABLE_STATUSES, trained_on__isnull=False
    )
    volunteers = [
        dataclasses.replace(v, capacity=1, open_count=0)
        for v in load_volunteers(
            Volunteer.objects.filter(pk__in=list(trained.order_by("pk").values_list("pk", flat=True)[:5000]))
        )
    ]
    return refugees, volunteers, ctx


def _batch_target_case(user) -> Any:
    """`tandems.batch.compute` over `batch_target_data`, loading included."""
    from tandems.batch import compute

    return compute(*batch_target_data(user))


def _batch_page_figure(user, figures: dict[str, Any], repeat: int) -> None:
    """The batch page as a coordinator sees it (issue #21): the proposal computed once by the job's code
    (`tandems.services.batch_run_compute`, run here in-process), then each view reads the stored run."""
    from django.test import Client
    from django.urls import reverse

    from tandems import batch_runs, services

    run, _new = services.batch_run_start(user=user, scope=batch_runs.batch_scope(user=user), language="de")
    job_times, _queries, _detail = _timed(lambda: services.batch_run_compute(run_id=run.pk), 1)
    client = Client()
    client.force_login(user)
    url = reverse("tandems:tandem_batch")
    client.get(url), client.get(url)  # warm-up
    times, queries, _response = _timed(lambda: client.get(url), repeat)
    figures["batch page, stored run"] = {
        **_summary(times),
        "queries": queries,
        "note": f"the job that stored it: {round(job_times[0] / 1000, 2)} s",
    }


def matching_figures(*, username: str = "coordinator", repeat: int = 20) -> dict[str, Any]:
    """The matching engine through its real API (tandems.matching, tandems.batch), as the coordinator:

    - suggestions for one waiting refugee (the page's call: hard rules in SQL, the rest in memory);
    - the batch proposal over the seeded data as it is (everybody waiting, every free place);
    - the batch target case, 2,000 waiting by 5,000 free places: the first 2,000 refugees and the first
      5,000 trained volunteers of the database, each volunteer given one free place (the seeded city has
      fewer free places than that), scored and assigned by `tandems.batch.compute`.
    """
    from core.models import User
    from tandems.batch import batch_proposal
    from tandems.matching import (
        AVAILABLE_STATUSES,
        suggest_volunteers,
        waiting_refugees,
    )
    from volunteers.models import Volunteer

    user = User.objects.get(username=username)
    figures: dict[str, Any] = {}
    refugee = waiting_refugees(user=user).order_by("pk").first()
    if refugee is None:
        raise LookupError("nobody is waiting")
    suggest_volunteers(refugee=refugee, user=user)  # warm-up
    times, queries, found = _timed(lambda: suggest_volunteers(refugee=refugee, user=user), repeat)
    figures["suggestions for one refugee"] = {
        **_summary(times),
        "queries": queries,
        "note": f"{len(found)} shown",
    }
    times, queries, found = _timed(
        lambda: suggest_volunteers(refugee=refugee, user=user, show_blocked=True), repeat
    )
    figures["suggestions with the blocked ones"] = {**_summary(times), "queries": queries}

    # the whole seeded data only while its score matrix is of the order of the target case: at ten times
    # the city (18,000 waiting × 57,000 places) it would need gigabytes, and nobody pairs a city at once
    waiting = waiting_refugees(user=user).count()
    places = Volunteer.objects.filter(
        anonymised_at__isnull=True, status__in=AVAILABLE_STATUSES, trained_on__isnull=False
    ).count()
    if waiting * places <= BATCH_CELLS_LIMIT:
        times, queries, result = _timed(lambda: batch_proposal(user=user), 1)
        figures["batch proposal, seeded data"] = {
            "seconds": round(times[0] / 1000, 2),
            "queries": queries,
            "note": f"{result.refugee_count} waiting × {result.place_count} free places, {len(result.pairs)} pairs",
        }

    if waiting * places <= BATCH_CELLS_LIMIT:
        _batch_page_figure(user, figures, repeat)

    times, queries, result = _timed(lambda: _batch_target_case(user), 1)
    figures["batch 2,000 × 5,000"] = {
        "seconds": round(times[0] / 1000, 2),
        "queries": queries,
        "note": f"{result.refugee_count} refugees × {result.place_count} places, {len(result.pairs)} pairs",
    }
    return figures
