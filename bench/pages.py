"""The pages `make bench` measures, each with how to find the object it shows."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.utils import timezone


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


@dataclass(frozen=True)
class Page:
    label: str
    url_name: str
    kwargs: Callable[[], dict[str, Any]] = field(default=lambda: {})
    query: str = ""
    kind: str = "page"


PAGES = [
    Page("volunteer list", "volunteers:volunteer_list"),
    Page("volunteer list, filtered", "volunteers:volunteer_list", query="?status=active&district=1"),
    Page("volunteer list, search", "volunteers:volunteer_list", query="?q=Müller"),
    Page("volunteer list, last page", "volunteers:volunteer_list", query="?page=999999"),
    Page("volunteer detail", "volunteers:volunteer_detail", _median_pk("volunteers.Volunteer")),
    Page("volunteer export CSV (all rows)", "volunteers:volunteer_list", query="?format=csv", kind="export"),
    Page("refugee list", "refugees:refugee_list"),
    Page("refugee list, filtered", "refugees:refugee_list", query="?status=waiting&german_level=A1"),
    Page("refugee list, search", "refugees:refugee_list", query="?q=Ahmad"),
    Page("refugee detail", "refugees:refugee_detail", _median_pk("refugees.Refugee")),
    Page("waiting list", "refugees:refugee_waiting_list"),
    Page("tandem list", "tandems:tandem_list"),
    Page("tandem list, filtered", "tandems:tandem_list", query="?status=active"),
    Page("tandem detail", "tandems:tandem_detail", _median_pk("tandems.Tandem")),
    Page("caseload", "tandems:caseload"),
    Page("training sessions", "trainings:session_list"),
    Page("training session detail", "trainings:session_detail", _median_pk("trainings.Session")),
    Page("dashboard", "reporting:dashboard"),
    Page("grant report", "reporting:grant_report", lambda: {"year": timezone.localdate().year}),
]


def matching_figures() -> dict[str, float]:
    """Suggestions for one waiting refugee over all volunteers, and the batch proposal, when available."""
    try:
        from tandems import matching
    except ImportError:
        return {}
    figures: dict[str, float] = {}
    refugee_model = apps.get_model("refugees.Refugee")
    refugee = refugee_model.objects.filter(status="waiting").order_by("pk").first()
    suggest = getattr(matching, "suggest_volunteers", None)
    if refugee is not None and suggest is not None:
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            suggest(refugee=refugee, user=None)
            runs.append((time.perf_counter() - started) * 1000)
        figures["suggest_ms"] = round(sorted(runs)[len(runs) // 2], 1)
    return figures
