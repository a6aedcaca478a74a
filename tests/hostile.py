"""Hostile input for every form: random and malicious values must never cause a 500 or a stray write.

Each app lists its forms in `tests/<app>/hostile_rows.py`, collected by `tests/core/test_hostile_input.py`:

    ROWS = [HostileRow("volunteers:volunteer_create", {"first_name": "text", "birth_date": "date"}),
            HostileRow("volunteers:volunteer_edit", {...}, kwargs=lambda w: {"pk": w.volunteers_own.pk},
                       fixed={"gender": "female"})]
    def populate(world): ...   # optional, like the permission rows

Field kinds: "text", "email", "date", "datetime", "int", "decimal", "bool", "choice", "file-free" (any
other name is treated as "text"). `fixed` (a dict, or a function of the world returning one) holds valid
values sent along with the hostile ones. `role` is a key of `world.users` (or "anonymous"); `user` overrides it.
The helper `assert_survives_hostile_input` can also be called directly from a test.
"""

import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.checks import OUR_APPS

HOSTILE_STRINGS = [
    "",
    " ",
    "a" * 10_000,
    "\x00",
    "Anna\x00Berg",
    "\x07\x08\x1b[31m",
    "\r\n\r\nSet-Cookie: x=1",
    "<script>alert(1)</script>",
    "\"'><img src=x onerror=alert(1)>",
    "{{ 7*7 }}{% debug %}",
    "'; DROP TABLE core_user; --",
    "../../../../etc/passwd",
    "${jndi:ldap://127.0.0.1/a}",
    "\u202eevil\u202c",
    "\ufeff\u200b",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👩‍👩‍👧‍👦",
    "\ud800",
    "a\udfffb",
    "%00%ff",
    "-1",
    "0",
    "²",  # "²".isdigit() is true, int("²") fails
    "١٢",  # Arabic-Indic digits: int() reads them
    "volunteers:volunteer_list",  # a URL name, for redirect(next)
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "-Infinity",
    "null",
    "[]",
    "{}",
]
IMPOSSIBLE_DATES = [
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-0001-01-01",
    "31.02.2026",
    "2026-01-01T25:61",
    "1900-01-01",
    "2026-02-29",
]
INVALID_BYTES = [b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"caf\xe9"]

_text = st.one_of(
    st.sampled_from(HOSTILE_STRINGS),
    st.text(max_size=300),
    st.text(alphabet=st.characters(categories=["Cc", "Cs", "Zl", "Zp", "Co"]), max_size=50),
    st.sampled_from(INVALID_BYTES),
)
KINDS: dict[str, st.SearchStrategy] = {
    "text": _text,
    "email": st.one_of(_text, st.emails(), st.just("a@b"), st.just("@" * 300)),
    "date": st.one_of(_text, st.sampled_from(IMPOSSIBLE_DATES), st.dates().map(str)),
    "datetime": st.one_of(_text, st.sampled_from(IMPOSSIBLE_DATES), st.datetimes().map(str)),
    "int": st.one_of(_text, st.integers().map(str)),
    "decimal": st.one_of(_text, st.decimals(allow_nan=True).map(str)),
    "bool": st.one_of(_text, st.sampled_from(["on", "off", "true", "false", "1", "0"])),
    "choice": _text,
}


def _encode(value: str | bytes) -> str:
    raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
    return urllib.parse.quote_from_bytes(raw, safe="")


def form_body(values: dict[str, str | bytes]) -> str:
    """An urlencoded body that may hold what a browser never sends (lone surrogates, invalid UTF-8)."""
    return "&".join(f"{_encode(name)}={_encode(value)}" for name, value in values.items())


def _tables() -> list[str]:
    tables = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in OUR_APPS and model._meta.managed and not model._meta.proxy:
            tables.append(model._meta.db_table)
    return sorted(set(tables))


def row_counts() -> tuple[int, ...]:
    """The number of rows of every table of our apps, in one query."""
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in _tables())
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def assert_survives_hostile_input(
    *,
    client: Client,
    url: str,
    fields: dict[str, str],
    fixed: dict[str, str] | None = None,
    max_examples: int = 25,
) -> None:
    """POST random and hostile values for `fields` to `url`: never a 500, and no row added or removed
    in our tables unless the view answered with a redirect (a successful submission)."""
    strategy = st.fixed_dictionaries({name: KINDS.get(kind, _text) for name, kind in fields.items()})

    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(values=strategy)
    def attempt(values: dict[str, str | bytes]) -> None:
        before = row_counts()
        body = form_body({**(fixed or {}), **values})
        response = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
        assert response.status_code < 500, (url, values, response.status_code)
        if response.status_code not in (301, 302, 303):
            assert row_counts() == before, f"{url} wrote rows without succeeding: {values!r}"

    attempt()


@dataclass(frozen=True)
class HostileRow:
    name: str
    fields: dict[str, str]
    role: str = "coordinator"
    kwargs: Callable[[SimpleNamespace], dict[str, Any]] = field(default=lambda w: {})
    # valid values sent along; a callable gets the world (for the primary keys of reference rows)
    fixed: dict[str, str] | Callable[[SimpleNamespace], dict[str, str]] = field(default_factory=dict)
    user: Callable[[SimpleNamespace], Any] | None = None
    note: str = ""
    max_examples: int = 20  # 15 for big pages: the whole module (about 65 forms) stays within a minute

    def id(self) -> str:
        return f"{self.name}{' ' + self.note if self.note else ''}"
