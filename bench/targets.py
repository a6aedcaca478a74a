"""The targets of issue #21 judged on a results dict of bench/run.py (bench/results.json).

`targets(results)` gives one row per target and page: the measure, the figure, the target and whether it
is met (None when the figure was not measured in the results). `misses(results)` names each target
missed with its figure, and every page that could not be measured.
"""

from typing import Any

WORKER_CPU_MS = 20  # per list/detail page at city, through gunicorn
LIST_QUERIES = 8  # per list page, the same at every size
POSTGRES_CPU_MS = 8  # per page, all of its queries
LOAD_RPS = 60
LOAD_P95_MS = 300
SUGGEST_MS = 50  # p95 at city
SUGGEST_GROWTH = 1.3  # median city10 ÷ city
SEARCH_GROWTH = 1.2  # caseload and tandem search, median city10 ÷ city
BATCH_PAGE_MS = 100  # median, the batch page showing a stored run
BATCH_S = 1.0  # 2,000 × 5,000
XLSX_FIRST_BYTE_MS = 300
XLSX_ALL_MS = 2000
MEMORY_GROWTH = 1.5  # "memory flat": peak Python memory city10 ÷ city
REPORT_P95_MS = 60  # dashboard and grant report, repeated, through gunicorn
SEED_S = 30  # city from empty

# the list pages of the query target (tests/perf/test_scaling.py LIST_PAGES, as the bench shows them)
LIST_URL_NAMES = {
    "volunteers:volunteer_list",
    "volunteers:volunteer_inbox",
    "refugees:refugee_list",
    "refugees:refugee_waiting_list",
    "tandems:tandem_list",
    "trainings:session_list",
    "trainings:basic_waiting_list",
}
REPORT_PAGES = {"dashboard", "grant report"}
GROWTH_PAGES = ("caseload", "tandem list, search")
XLSX_PAGE = "volunteer export XLSX (all rows)"


def _row(measure: str, figure: Any, target: str, met: bool | None) -> dict[str, Any]:
    return {"measure": measure, "figure": figure, "target": target, "met": met}


def _ok(page: dict | None) -> bool:
    return bool(page) and not page.get("error")


def _pages(results: dict, size: str) -> dict[str, dict]:
    return results["sizes"].get(size, {}).get("pages", {})


def _served(results: dict, size: str) -> dict[str, dict]:
    return results["sizes"].get(size, {}).get("served", {}).get("pages", {})


def _page_rows(results: dict) -> list[dict]:
    rows = []
    for label, page in _served(results, "city").items():
        if not _ok(page) or page.get("kind") == "export":
            continue
        if label in REPORT_PAGES:
            rows.append(
                _row(
                    f"{label}, repeated, p95 through gunicorn at city",
                    f"{page['p95_ms']} ms",
                    f"≤ {REPORT_P95_MS} ms",
                    page["p95_ms"] <= REPORT_P95_MS,
                )
            )
        else:
            cpu = page["worker_cpu_ms"]
            rows.append(
                _row(
                    f"{label}: worker CPU per request at city",
                    f"{cpu} ms",
                    f"≤ {WORKER_CPU_MS} ms",
                    cpu <= WORKER_CPU_MS,
                )
            )
        pg = page.get("postgres_cpu_ms")
        if pg is not None:
            rows.append(
                _row(
                    f"{label}: PostgreSQL CPU per request at city",
                    f"{pg} ms",
                    f"≤ {POSTGRES_CPU_MS} ms",
                    pg <= POSTGRES_CPU_MS,
                )
            )
    return rows


def _query_rows(results: dict) -> list[dict]:
    rows = []
    city, big = _pages(results, "city"), _pages(results, "city10")
    for label, page in city.items():
        if not _ok(page) or page.get("kind") == "export":
            continue
        name = page.get("url_name")
        if name not in LIST_URL_NAMES:
            continue
        other = big.get(label)
        figure = f"{page['queries']}" + (
            f" at city, {other['queries']} at city10" if _ok(other) else " at city"
        )
        met = page["queries"] <= LIST_QUERIES and (not _ok(other) or other["queries"] == page["queries"])
        rows.append(_row(f"{label}: queries", figure, f"≤ {LIST_QUERIES}, the same at every size", met))
    return rows


def _growth(city: dict | None, big: dict | None) -> float | None:
    if not city or not big or "median_ms" not in city or "median_ms" not in big:
        return None
    return round(big["median_ms"] / max(city["median_ms"], 0.1), 2)


def _matching_rows(results: dict) -> list[dict]:
    rows = []
    city = results["sizes"].get("city", {}).get("matching", {})
    big = results["sizes"].get("city10", {}).get("matching", {})
    suggest = city.get("suggestions for one refugee")
    if suggest:
        rows.append(
            _row(
                "suggestions for one refugee at city, p95",
                f"{suggest['p95_ms']} ms",
                f"≤ {SUGGEST_MS} ms",
                suggest["p95_ms"] <= SUGGEST_MS,
            )
        )
    ratio = _growth(suggest, big.get("suggestions for one refugee"))
    if ratio is not None:
        rows.append(
            _row(
                "suggestions, median city10 ÷ city",
                f"{ratio}×",
                f"≤ {SUGGEST_GROWTH}×",
                ratio <= SUGGEST_GROWTH,
            )
        )
    page = city.get("batch page, stored run")
    if page:
        rows.append(
            _row(
                "batch page view (GET), median at city",
                f"{page['median_ms']} ms",
                f"≤ {BATCH_PAGE_MS} ms",
                page["median_ms"] <= BATCH_PAGE_MS,
            )
        )
    for size in ("city", "city10"):
        run = results["sizes"].get(size, {}).get("matching", {}).get("batch 2,000 × 5,000")
        if run:
            rows.append(
                _row(
                    f"batch run 2,000 × 5,000 at {size}",
                    f"{run['seconds']} s",
                    f"≤ {BATCH_S} s",
                    run["seconds"] <= BATCH_S,
                )
            )
    return rows


def _growth_rows(results: dict) -> list[dict]:
    rows = []
    city, big = _pages(results, "city"), _pages(results, "city10")
    for label in GROWTH_PAGES:
        if _ok(city.get(label)) and _ok(big.get(label)):
            ratio = _growth(city[label], big[label])
            rows.append(
                _row(
                    f"{label}, median city10 ÷ city",
                    f"{ratio}×",
                    f"≤ {SEARCH_GROWTH}×",
                    ratio <= SEARCH_GROWTH,
                )
            )
    return rows


def _export_rows(results: dict) -> list[dict]:
    rows = []
    served = _served(results, "city").get(XLSX_PAGE)
    if _ok(served):
        rows.append(
            _row(
                "XLSX export at city: first byte, median through gunicorn",
                f"{served['first_byte_median_ms']} ms",
                f"≤ {XLSX_FIRST_BYTE_MS} ms",
                served["first_byte_median_ms"] <= XLSX_FIRST_BYTE_MS,
            )
        )
        rows.append(
            _row(
                "XLSX export at city: all of it, median through gunicorn",
                f"{served['median_ms']} ms",
                f"≤ {XLSX_ALL_MS} ms",
                served["median_ms"] <= XLSX_ALL_MS,
            )
        )
    city, big = _pages(results, "city").get(XLSX_PAGE), _pages(results, "city10").get(XLSX_PAGE)
    if _ok(city) and _ok(big) and city.get("peak_python_mb"):
        ratio = round(big["peak_python_mb"] / city["peak_python_mb"], 2)
        rows.append(
            _row(
                "XLSX export: peak Python memory city10 ÷ city (flat)",
                f"{big['peak_python_mb']} / {city['peak_python_mb']} MB = {ratio}×",
                f"≤ {MEMORY_GROWTH}×",
                ratio <= MEMORY_GROWTH,
            )
        )
    return rows


def _load_rows(load: dict, *, judge_throughput: bool) -> list[dict]:
    """The 50 coordinators of #21 wait 1 s on average between pages, so they cannot ask for 60 requests/s
    (bench/load.py offered_at_most): their throughput is shown, not judged; the 60 requests/s are judged on
    the capacity run, whose coordinators can ask for more."""
    offered = load.get("offered_at_most_rps")
    users = f"load, {load['users']} coordinators"
    if judge_throughput or offered is None or offered >= LOAD_RPS:
        throughput = _row(
            f"{users}: throughput",
            f"{load['throughput_rps']} req/s",
            f"≥ {LOAD_RPS} req/s",
            load["throughput_rps"] >= LOAD_RPS,
        )
    else:
        throughput = _row(
            f"{users}: throughput (they can ask for at most {offered} req/s)",
            f"{load['throughput_rps']} req/s",
            f"≥ {LOAD_RPS} req/s, judged on the capacity run",
            None,
        )
    return [
        throughput,
        _row(f"{users}: p95", f"{load['p95_ms']} ms", f"≤ {LOAD_P95_MS} ms", load["p95_ms"] <= LOAD_P95_MS),
        _row(
            f"{users}: errors",
            f"{load['errors']} {load['error_kinds']}" if load["errors"] else "0",
            "0",
            load["errors"] == 0,
        ),
    ]


def _other_rows(results: dict) -> list[dict]:
    rows = []
    city = results["sizes"].get("city", {})
    load = city.get("load")
    if load:
        rows += _load_rows(load, judge_throughput=False)
    capacity = city.get("capacity")
    if capacity:
        rows += _load_rows(capacity, judge_throughput=True)
    if "seed_s" in city:
        reused = city.get("reused")
        rows.append(
            _row(
                "seeding city from empty",
                "reused database" if reused else f"{city['seed_s']} s",
                f"≤ {SEED_S} s",
                None if reused else city["seed_s"] <= SEED_S,
            )
        )
    return rows


def targets(results: dict) -> list[dict]:
    return [
        *_page_rows(results),
        *_query_rows(results),
        *_other_rows(results),
        *_matching_rows(results),
        *_growth_rows(results),
        *_export_rows(results),
    ]


def misses(results: dict) -> list[str]:
    found = []
    for size, data in results["sizes"].items():
        for part, pages in (
            ("", data.get("pages", {})),
            ("through gunicorn, ", data.get("served", {}).get("pages", {})),
        ):
            for label, page in pages.items():
                if page.get("error"):
                    found.append(f"{size}, {part}{label}: {page['error']}")
    for row in targets(results):
        if row["met"] is False:
            found.append(f"{row['measure']}: {row['figure']} (target {row['target']})")
    return found
