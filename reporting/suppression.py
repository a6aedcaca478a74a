"""Small counts are hidden from readers who may not see the people behind them (statistical disclosure
control). Everything that shows a count to steering or evaluators goes through `suppress`."""

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from django.utils.formats import number_format

THRESHOLD = 5
HIDDEN = "<5"

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Cell:
    """One figure as a reader sees it: the value, or `<5` when it is hidden."""

    value: int | float | None
    hidden: bool = False

    def __str__(self) -> str:
        if self.hidden:
            return HIDDEN
        if self.value is None:
            return "–"
        if isinstance(self.value, float):
            return number_format(self.value, 1, force_grouping=True)
        return number_format(self.value, 0, force_grouping=True)

    @property
    def shown(self) -> int | float | None:
        """The value when it may be shown, else None (for charts and spreadsheets)."""
        return None if self.hidden else self.value


def suppress(
    counts: Mapping[K, int], total: int | None = None, *, threshold: int = THRESHOLD, enabled: bool = True
) -> tuple[dict[K, Cell], Cell]:
    """Hide the cells of one breakdown that count fewer than `threshold` people, and the cells that would
    let a hidden one be worked back from the total.

    - primary: every cell (and the total) below `threshold` is hidden, zero included;
    - secondary: when the total is shown and exactly one cell is hidden, that cell equals the total minus
      the others, so the smallest shown cell is hidden as well (the first in order on a tie);
    - a hidden total hides nothing more: every cell is at most the total, so all are hidden already.

    `total` defaults to the sum of the cells. With `enabled=False` (readers who may see the people anyway)
    every cell is shown as it is.
    """
    total_value = sum(counts.values()) if total is None else total
    if not enabled:
        return {key: Cell(value) for key, value in counts.items()}, Cell(total_value)
    hidden = {key for key, value in counts.items() if value < threshold}
    total_hidden = total_value < threshold
    if not total_hidden and len(hidden) == 1:
        shown = [
            (value, index, key) for index, (key, value) in enumerate(counts.items()) if key not in hidden
        ]
        if shown:
            hidden.add(min(shown, key=lambda item: (item[0], item[1]))[2])
    cells = {key: Cell(value, hidden=key in hidden) for key, value in counts.items()}
    return cells, Cell(total_value, hidden=total_hidden)


def suppress_one(value: int, *, threshold: int = THRESHOLD, enabled: bool = True) -> Cell:
    """A single count on its own (a headline figure)."""
    return Cell(value, hidden=enabled and value < threshold)


def suppress_median(
    value: float | None, people: int, *, threshold: int = THRESHOLD, enabled: bool = True
) -> Cell:
    """A median over fewer than `threshold` people would be (nearly) one person's own value."""
    if value is None:
        return Cell(None)
    return Cell(float(value), hidden=enabled and people < threshold)
