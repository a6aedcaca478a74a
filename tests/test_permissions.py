"""Every URL of the project, requested as every role, answers as the permission table says."""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.conftest import client_for
from tests.permissions import ROLES, Row

# URL names that stand for a whole family: the admin's own pages share one check (`admin:index`).
COVERED_BY_ADMIN_INDEX = "admin:"


def _rows_modules():
    for info in pkgutil.iter_modules(tests.__path__):
        if info.ispkg:
            try:
                yield importlib.import_module(f"tests.{info.name}.permission_rows")
            except ModuleNotFoundError as exc:
                if exc.name != f"tests.{info.name}.permission_rows":
                    raise


MODULES = list(_rows_modules())
ALL_ROWS: list[Row] = [row for module in MODULES for row in module.ROWS]


def _url_names(patterns, namespace: str = "") -> set[str]:
    names = set()
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def test_every_url_pattern_has_a_row():
    routes = {n for n in _url_names(get_resolver().url_patterns) if not n.startswith(COVERED_BY_ADMIN_INDEX)}
    tabled = {row.name for row in ALL_ROWS if not row.name.startswith(COVERED_BY_ADMIN_INDEX)}
    assert routes - tabled == set(), "views without a row in the permission table"
    assert tabled - routes == set(), "rows for URL names that do not exist"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ALL_ROWS, ids=Row.id)
def test_permission_table(row: Row, role: str, world):
    for module in MODULES:
        if hasattr(module, "populate"):
            module.populate(world)
    client = client_for(world.users.get(role))
    url = reverse(row.name, kwargs=row.kwargs(world)) + row.query
    response = getattr(client, row.method)(url, row.data(world))
    assert response.status_code == row.expect[role], f"{role} {row.id()}: {response.status_code}"
    if (
        role == "anonymous"
        and row.expect[role] == 302
        and row.name not in {"logout", "set_language", "core:favicon"}
    ):
        landed = client.get(response.url, follow=True)
        assert landed.request["PATH_INFO"] == reverse("login"), "anonymous users are sent to the login page"
