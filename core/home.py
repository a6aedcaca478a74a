"""The start page's sections: a registry, so that core knows no domain app (style guide § 14).

Each app registers its work queues in its `apps.py` `ready()` with `home_section_register(HomeSection(...))`.
A section names a selector `rows(user=..., mine=...)` from the app's `selectors.py` that returns the rows
(a queryset or a list) in the order they should be worked off; the start page shows their number and the
first `HOME_ROWS` of them, and a daily digest can call the same selectors outside a request.

A queryset section costs one query: its first rows carry the number of all rows (a count subquery that
PostgreSQL runs once), so no second query counts them. Sections that share work (the tandems'
queues read the same cadence and the same tandems) may name a `group`: one function that answers all of its
sections at once; `home_queues` calls it once per page.

"Mine" means what the user is responsible for; each selector documents its own meaning (tandems: where
the user is the responsible coordinator). "All" means everything in the user's scope, as in every list.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet, Subquery, Value
from django.utils.functional import Promise

from core.models import User
from core.permissions import has_perm

HOME_ROWS = 5


@dataclass(frozen=True)
class HomeSection:
    key: str  # unique; also the HTML id of the section
    order: int  # sections are shown by this number, lowest first
    title: str | Promise
    empty: str | Promise  # what the section says when nothing is waiting
    perm: str  # the section is shown to users holding this permission (in any organisation)
    rows: Callable[..., QuerySet | list]  # rows(user=..., mine=...) in the order they should be worked off
    template: str  # renders `rows` (a table); gets `section`, `rows`, `count`, `mine`
    list_url: Callable[[], str] | None = None  # the full list behind the section
    # group(user=..., mine=..., limit=...) -> {key: (count, first rows)} for this section and the others that
    # name the same function, read together (then `rows` is what a digest or a test reads alone)
    group: Callable[..., dict[str, tuple[int, list]]] | None = None


_SECTIONS: dict[str, HomeSection] = {}


def home_section_register(section: HomeSection) -> None:
    """Called from an app's `ready()`; registering a key again replaces it (autoreload, tests)."""
    _SECTIONS[section.key] = section


def home_sections() -> list[HomeSection]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


@dataclass
class HomeQueue:
    section: HomeSection
    count: int
    rows: list[Any]
    list_url: str | None


COUNT_ALIAS = "home_rows_total"


def _count_and_rows(found: QuerySet | list, limit: int) -> tuple[int, list[Any]]:
    """The number of rows and the first `limit` of them; for a queryset in one query: the count is a
    subquery of its own (planned apart, so it reads only what counting needs, often an index alone), and
    the rows are read up to the LIMIT only."""
    if not isinstance(found, QuerySet):
        return len(found), list(found[:limit])
    counted = found.order_by().values(_one=Value(1)).annotate(n=Count("*")).values("n")
    rows = list(found.annotate(**{COUNT_ALIAS: Subquery(counted)})[:limit])
    return (getattr(rows[0], COUNT_ALIAS) if rows else 0), rows


def home_queues(*, user: User, mine: bool, limit: int = HOME_ROWS) -> list[HomeQueue]:
    """The user's queues: one query per section (`_count_and_rows`), or one call of its group for all the
    sections of a group, whatever the number of rows."""
    queues = []
    answered: dict[Callable, dict[str, tuple[int, list]]] = {}
    for section in home_sections():
        if not has_perm(user=user, perm=section.perm):
            continue
        if section.group is not None:
            if section.group not in answered:
                answered[section.group] = section.group(user=user, mine=mine, limit=limit)
            count, rows = answered[section.group][section.key]
        else:
            count, rows = _count_and_rows(section.rows(user=user, mine=mine), limit)
        queues.append(
            HomeQueue(
                section=section,
                count=count,
                rows=rows,
                list_url=section.list_url() if section.list_url else None,
            )
        )
    return queues
