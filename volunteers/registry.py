"""What the apps built on volunteers tell it, so that volunteers imports none of them.

`tandems` and `trainings` build on volunteers (tests/test_import_graph.py keeps it so). Where a volunteer's
rules need their data (the capacity may not drop below the open tandems; a record in an open tandem is not
merged away; training registrations follow a merge), volunteers asks here, and those
apps answer from their `apps.py` `ready()`. While nobody has answered, a volunteer has no open tandems and
a merge moves nothing more.
"""

from collections.abc import Callable

from django.db.models import QuerySet

_open_tandems: list[Callable[[], QuerySet]] = []  # at most one: the tandems app's
MERGE_STEPS: dict[str, Callable[..., int]] = {}


def open_tandems_register(query: Callable[[], QuerySet]) -> None:
    """`query()` returns every open tandem, unscoped; its rows have a `volunteer` foreign key."""
    _open_tandems[:] = [query]


def volunteer_merge_step_register(name: str, step: Callable[..., int]) -> None:
    """`step(gone=..., kept=...)` moves what the app holds of the merged-away volunteer `gone` to `kept`,
    inside `volunteer_merge`'s transaction, and returns how many rows it moved; the merge's audit entry
    records the count as `moved_<name>`."""
    MERGE_STEPS[name] = step


def open_tandems(*, volunteer) -> QuerySet | None:
    """The volunteer's open tandems, or None while no app keeps tandems."""
    return _open_tandems[0]().filter(volunteer=volunteer) if _open_tandems else None
