"""The start page's sections: a registry, so that core knows no domain app (style guide § 14).

Each app registers its work queues in its `apps.py` `ready()` with `home_section_register(HomeSection(...))`.
A section names a selector `rows(user=..., mine=...)` from the app's `selectors.py` that returns the rows
(a queryset or a list) in the order they should be worked off; the start page shows their number and the
first `HOME_ROWS` of them, and a daily digest can call the same selectors outside a request.

"Mine" means what the user is responsible for; each selector documents its own meaning (tandems: where
the user is the responsible coordinator). "All" means everything in the user's scope, as in every list.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
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


def home_queues(*, user: User, mine: bool, limit: int = HOME_ROWS) -> list[HomeQueue]:
    """The user's queues: per section one count and, when something is waiting, one read of the first
    rows; so the page runs at most two queries per section, whatever the number of rows."""
    queues = []
    for section in home_sections():
        if not has_perm(user=user, perm=section.perm):
            continue
        found = section.rows(user=user, mine=mine)
        if isinstance(found, QuerySet):
            count = found.order_by().count()
            rows = list(found[:limit]) if count else []
        else:
            count, rows = len(found), list(found[:limit])
        queues.append(
            HomeQueue(
                section=section,
                count=count,
                rows=rows,
                list_url=section.list_url() if section.list_url else None,
            )
        )
    return queues
