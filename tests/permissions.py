"""The permission table's vocabulary. Each app lists its rows in `tests/<app>/permission_rows.py`:

    ROWS = [Row("volunteers:volunteer_list", expect(anonymous=302, coordinator=200, partner=200, referrer=403,
                                                    steering=403, evaluator=403, admin=403)), ...]
    def populate(world): world.volunteer = VolunteerFactory(organisation=world.org)   # optional

`tests/test_permissions.py` requests every row as every role and fails when a URL pattern of the project
has no row, so a new view cannot ship without its expected answers.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

ROLES = ("anonymous", "coordinator", "partner", "referrer", "steering", "evaluator", "admin")
LOGIN = 302  # an anonymous request is sent to the login page


def expect(**codes: int) -> dict[str, int]:
    """The status code for every role; leaving a role out is an error, not a default."""
    missing = set(ROLES) - set(codes)
    unknown = set(codes) - set(ROLES)
    if missing or unknown:
        raise ValueError(f"permission row: missing roles {sorted(missing)}, unknown roles {sorted(unknown)}")
    return codes


def staff_only(ok: int = 200) -> dict[str, int]:
    """Coordinators and partner coordinators may; everybody else signed in is refused."""
    return expect(
        anonymous=LOGIN, coordinator=ok, partner=ok, referrer=403, steering=403, evaluator=403, admin=403
    )


@dataclass(frozen=True)
class Row:
    name: str
    expect: dict[str, int]
    kwargs: Callable[[SimpleNamespace], dict[str, Any]] = field(default=lambda w: {})
    method: str = "get"
    data: Callable[[SimpleNamespace], dict[str, Any]] = field(default=lambda w: {})
    query: str = ""
    note: str = ""

    def id(self) -> str:
        return f"{self.method.upper()} {self.name}{self.query}{' ' + self.note if self.note else ''}"
