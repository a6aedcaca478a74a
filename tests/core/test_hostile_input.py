"""Every form listed in a `tests/<app>/hostile_rows.py` survives random and hostile input (tests/hostile.py)."""

import importlib
import pkgutil

import pytest
from django.urls import reverse

import tests
from tests.conftest import client_for
from tests.hostile import HostileRow, assert_survives_hostile_input, form_body, row_counts


def _rows_modules():
    for info in pkgutil.iter_modules(tests.__path__):
        if info.ispkg:
            try:
                yield importlib.import_module(f"tests.{info.name}.hostile_rows")
            except ModuleNotFoundError as exc:
                if exc.name != f"tests.{info.name}.hostile_rows":
                    raise


MODULES = list(_rows_modules())
ALL_ROWS: list[HostileRow] = [row for module in MODULES for row in module.ROWS]


@pytest.mark.parametrize("row", ALL_ROWS, ids=HostileRow.id)
def test_form_survives_hostile_input(row: HostileRow, world, settings):
    settings.AXES_FAILURE_LIMIT = 10_000  # keep testing the login form, not the lock-out page
    for module in MODULES:
        if hasattr(module, "populate"):
            module.populate(world)
    user = row.user(world) if row.user else world.users.get(row.role)
    client = client_for(user)
    fixed = row.fixed(world) if callable(row.fixed) else row.fixed
    assert_survives_hostile_input(
        client=client,
        url=reverse(row.name, kwargs=row.kwargs(world)),
        fields=row.fields,
        fixed=fixed,
        max_examples=row.max_examples,
    )


def test_the_body_carries_what_browsers_never_send():
    body = form_body({"a": "\ud800", "b": b"\xff", "c": "<&=>"})
    assert body == "a=%ED%A0%80&b=%FF&c=%3C%26%3D%3E"


def test_row_counts_see_a_write(org):
    from tests.factories.volunteers import VolunteerFactory

    before = row_counts()
    VolunteerFactory(organisation=org)
    assert row_counts() != before
