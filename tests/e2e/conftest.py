"""Browser tests: Playwright drives Debian's Chromium headless against pytest-django's live server.

Every page a test visits is checked with axe-core (vendored in tests/e2e/vendor): a WCAG 2.1 A or AA
violation fails the test. Use `visit(page, url)` to navigate and `axe_check(page)` after an action that
leads to a new page. `axe_check` also fails when the browser reported a Content-Security-Policy violation
(an inline script, handler or style the policy blocked) since the test began.
"""

import os
import shutil
from functools import cache
from pathlib import Path
from weakref import WeakKeyDictionary

import pytest
from django.conf import settings
from django.core.cache import caches

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _chromium() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("Chromium is not installed: `make test` installs it (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": _chromium(),
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "de-DE", "timezone_id": "Europe/Berlin"}


@pytest.fixture(autouse=True)
def _e2e(reference_data, live_server, page):
    """A live server on a transactional database with the reference data in place, and an empty shared cache:
    the database cache is not rolled back between tests, so one test's requests would count against the next
    test's rate limits (the participants' links allow so many requests a minute per address)."""
    for name in settings.CACHES:
        caches[name].clear()
    page.set_default_timeout(10_000)
    csp_violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_violations.append(f"{page.url}: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    _CSP_VIOLATIONS[page] = csp_violations
    yield
    assert not csp_violations, "Content-Security-Policy violations:\n" + "\n".join(csp_violations)


_CSP_VIOLATIONS: "WeakKeyDictionary[object, list[str]]" = WeakKeyDictionary()


def axe_check(page) -> None:
    """Fail on any WCAG 2.1 A/AA violation on the page as it is now, and on any CSP violation so far."""
    page.wait_for_load_state("load")
    violations = _CSP_VIOLATIONS.get(page, [])
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's CSP does not govern (a <script> tag
        # with the file's content, as add_script_tag makes, would be blocked as inline script).
        page.evaluate(_axe_source())
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
    ]
    assert not problems, f"axe-core on {page.url}:\n" + "\n".join(problems)


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def visit(page, url: str) -> None:
    page.goto(url)
    axe_check(page)


def login(page, live_server, username: str, password: str = "demo") -> None:
    visit(page, f"{live_server.url}/accounts/login/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    axe_check(page)
