"""Content-Security-Policy (issue #9): every response carries a strict policy, and no page needs inline code.

The policy (config/settings.py, django-csp) allows scripts and styles only from our own origin, so an inline
<script>, an event handler attribute (onclick=...), a style= attribute or a <style> block would be blocked by
the browser. Three layers prove the pages comply: the template sources are walked here, every page of the
permission table is rendered and its HTML checked here, and the browser tests fail on any CSP violation the
browser reports (tests/e2e/conftest.py).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import client_for
from tests.permissions import ROLES, Row
from tests.test_permissions import ALL_ROWS, MODULES

INLINE_CODE = {
    "inline <script> (use <script src=...> with a file in static/js)": re.compile(
        r"<script\b(?![^>]*\bsrc\s*=)(?![^>]*\btype\s*=\s*[\"']application/(?:ld\+)?json)[^>]*>", re.I
    ),
    "style= attribute (use a class in static/css/app.css)": re.compile(r"\sstyle\s*=", re.I),
    "<style> block (use static/css/app.css)": re.compile(r"<style\b", re.I),
    "event handler attribute (add a listener in static/js)": re.compile(r"\son[a-z]+\s*=", re.I),
    "hx-on (htmx would need eval)": re.compile(r"\bhx-on\b", re.I),
    "hx-vals with js: (htmx would need eval)": re.compile(r"hx-vals\s*=\s*[\"']\s*js:", re.I),
    "javascript: URL": re.compile(r"[\"']\s*javascript:", re.I),
}


def inline_code(html: str) -> list[str]:
    """What in `html` a strict CSP would block, as 'line N: problem: excerpt'."""
    found = []
    for problem, pattern in INLINE_CODE.items():
        for match in pattern.finditer(html):
            line = html.count("\n", 0, match.start()) + 1
            found.append(f"line {line}: {problem}: {match.group(0).strip()[:60]}")
    return found


APPS = ("core", "volunteers", "refugees", "trainings", "tandems", "reporting")


def _template_files() -> list[Path]:
    folders = [Path(folder) for engine in settings.TEMPLATES for folder in engine["DIRS"]]
    folders += [Path(settings.BASE_DIR) / app / "templates" for app in APPS]
    return sorted(path for folder in folders if folder.is_dir() for path in folder.rglob("*.html"))


# -- the policy ---------------------------------------------------------------------------------------


def _directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def test_every_response_carries_the_enforced_policy(client, coordinator):
    anonymous = client.get(reverse("login"))
    assert "Content-Security-Policy-Report-Only" not in anonymous, "enforced, not only reported"
    client.force_login(coordinator)
    for response in (anonymous, client.get(reverse("core:home"))):
        directives = _directives(response)
        assert directives["script-src"] == ["'self'"], "script-src 'self' only: no 'unsafe-inline'"
        assert directives["style-src"] == ["'self'"]
        assert directives["default-src"] == ["'self'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["object-src"] == ["'none'"]
        assert directives["base-uri"] == ["'self'"]
        assert directives["form-action"] == ["'self'"]
        header = response["Content-Security-Policy"]
        assert "unsafe-inline" not in header and "unsafe-eval" not in header


def test_htmx_fragments_and_errors_carry_the_policy_too(client, coordinator):
    client.force_login(coordinator)
    not_found = client.get("/no-such-page/")
    assert not_found.status_code == 404
    assert "script-src 'self'" in not_found["Content-Security-Policy"]
    fragment = client.get(reverse("core:home"), headers={"HX-Request": "true"})
    assert "script-src 'self'" in fragment["Content-Security-Policy"]


# -- the templates --------------------------------------------------------------------------------------


def test_the_walk_finds_the_templates():
    names = {path.name for path in _template_files()}
    assert {"base.html", "session_detail.html", "tandem_introduce.html", "_household_script.html"} <= names


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<div style="max-width: 40rem">',
        "<style>p { color: red }</style>",
        '<form onsubmit="return confirm(1)">',
        '<button hx-on::click="x()">',
        '<a href="javascript:print()">',
    ],
)
def test_the_check_recognises_inline_code(html):
    assert inline_code(html)


@pytest.mark.parametrize(
    "html",
    [
        '<script src="/static/js/household.js"></script>',
        '<script id="data" type="application/json">{"a": 1}</script>',
        '<rect x="0" y="4" width="120" height="16" fill="#1d4f73"></rect>',
        '<form method="post" data-confirm="Wirklich löschen?">',
        '<button type="button" data-print>Drucken</button>',
        "<p>The session ends on 3 May.</p>",
    ],
)
def test_the_check_lets_csp_safe_markup_pass(html):
    assert not inline_code(html)


def test_no_template_contains_inline_code():
    problems = [
        f"{path.relative_to(settings.BASE_DIR)} {problem}"
        for path in _template_files()
        for problem in inline_code(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "a strict CSP blocks these:\n" + "\n".join(problems)


# -- every rendered page ----------------------------------------------------------------------------

PAGES = [row for row in ALL_ROWS if row.method == "get" and 200 in row.expect.values()]


@pytest.mark.parametrize("row", PAGES, ids=Row.id)
def test_every_page_renders_without_inline_code(row: Row, world):
    """Markup from Python (widgets, crispy forms, template tags) is checked too, as the first role allowed
    to see the page sees it."""
    for module in MODULES:
        if hasattr(module, "populate"):
            module.populate(world)
    role = next(role for role in ROLES if row.expect[role] == 200)
    url = reverse(row.name, kwargs=row.kwargs(world)) + row.query
    response = client_for(world.users.get(role)).get(url, row.data(world))  # a GET row's data: its query
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    if response["Content-Type"].startswith("text/html"):
        problems = inline_code(response.content.decode())
        assert not problems, f"{role} {row.id()}:\n" + "\n".join(problems)
