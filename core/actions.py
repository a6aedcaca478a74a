"""What a page offers to do with a record: each app's selectors list the possible actions (from the same
rules its services check) and the template `core/_actions.html` shows them; templates decide nothing."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Action:
    label: Any  # a (lazy) translated text
    url: str
    style: str = "btn-outline-primary"  # the Bootstrap button class
    post: bool = False  # a form with a button (a change without a page of its own), else a link
