"""The kept figures, rendered: the dashboard's and the grant report's parts that show only the figures are
kept as HTML beside the figures themselves (`figures.report_cached`), under the same key plus the page's
name, so a repeated view renders none of the charts and tables again.

The key of the figures holds everything that decides what they show (scope, period, suppression, language,
today, the data's version), so the HTML kept under it can never show one scope's figures to another, nor
figures older than the kept ones. What depends on the reader beyond that (links they may follow, the
period form, the funding table) stays outside these parts and is rendered on every view. The key also
holds a digest of the app's fragment templates and of the translation catalogues, so a deployment that
changes either never serves HTML rendered by the previous one.
"""

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from core.models import Organisation
from reporting.figures import Report, headlines, report_build, report_cached, report_key
from reporting.selectors import Period

TEMPLATE_DIR = Path(settings.BASE_DIR) / "templates" / "reporting"


@dataclass(frozen=True)
class Fragments:
    """The parts of one page rendered from the figures alone: name -> (template, its context)."""

    name: str
    parts: dict[str, tuple[str, Callable[[Report], dict]]]


DASHBOARD = Fragments(
    "dashboard",
    {
        "scope": ("reporting/_report_scope.html", lambda report: {"report": report}),
        "headlines": ("reporting/_headlines.html", lambda report: {"headlines": headlines(report)}),
        "sections": (
            "reporting/_report_sections.html",
            lambda report: {"folded": True, "sections": report.sections},
        ),
    },
)
GRANT_REPORT = Fragments(
    "grant_report",
    {
        "summary": (
            "reporting/_grant_report_summary.html",
            lambda report: {"report": report, "headlines": headlines(report), "year": report.period.year},
        ),
        "sections": ("reporting/_report_sections.html", lambda report: {"sections": report.grant_sections}),
    },
)


@functools.cache
def templates_version() -> str:
    """A digest of the app's fragment templates (`templates/reporting/_*.html`) and of the compiled
    translations, read once per process."""
    digest = hashlib.sha256()
    files = sorted(TEMPLATE_DIR.glob("_*.html")) + sorted(
        path for folder in settings.LOCALE_PATHS for path in Path(folder).glob("*/LC_MESSAGES/*.mo")
    )
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class KeptReport:
    """The figures of one scope, period and suppression, fetched (or built) only when a page needs them."""

    organisations: QuerySet[Organisation]
    period: Period
    hide_small: bool
    key: str | None = None  # None when nothing is kept (REPORT_CACHE_SECONDS = 0)
    _report: Report | None = field(default=None, repr=False)

    @classmethod
    def of(cls, *, organisations: QuerySet[Organisation], period: Period, hide_small: bool) -> "KeptReport":
        kept = settings.REPORT_CACHE_SECONDS > 0
        key = report_key(organisations=organisations, period=period, hide_small=hide_small) if kept else None
        return cls(organisations, period, hide_small, key)

    def report(self) -> Report:
        if self._report is None:
            scope = {
                "organisations": self.organisations,
                "period": self.period,
                "hide_small": self.hide_small,
            }
            self._report = report_cached(**scope, key=self.key) if self.key else report_build(**scope)
        return self._report

    def html(self, fragments: Fragments) -> dict[str, SafeString]:
        """The page's parts rendered from the figures, kept under the figures' key."""
        if self.key is None:
            return self._render(fragments)
        key = f"{self.key}:html:{fragments.name}:{templates_version()}"
        parts = cache.get(key)
        if parts is None:
            parts = self._render(fragments)
            cache.set(key, parts, settings.REPORT_CACHE_SECONDS)
        # our own template output, escaped when it was rendered
        return {name: mark_safe(text) for name, text in parts.items()}

    def _render(self, fragments: Fragments) -> dict[str, SafeString]:
        report = self.report()
        return {
            name: render_to_string(template, context(report))
            for name, (template, context) in fragments.parts.items()
        }
