"""The report is a list of small figure builders (`reporting.figures.figure`), in a fixed order."""

import ast
import datetime
from pathlib import Path

import pytest

from core.models import Organisation
from reporting import figures
from reporting.figures import Build, Figure, figure, report_build
from reporting.selectors import Period
from reporting.suppression import Cell

YEAR = Period.for_year(2026)
TODAY = datetime.date(2026, 11, 26)
MAX_LINES = 80  # outside migrations and demo seeders


def test_the_figures_come_in_their_registered_order(db):
    report = report_build(
        organisations=Organisation.objects.all(), period=YEAR, hide_small=False, today=TODAY
    )
    assert [(s.key, [f.key for f in s.figures]) for s in report.sections] == [
        ("tandems", ["tandems_formed", "tandems_active", "tandems_ended"]),
        (
            "volunteers",
            ["volunteers_recruited", "volunteers_interviewed", "volunteers_cleared", "volunteers_trained"],
        ),
        ("refugees", ["refugees_waiting", "waiting_until_tandem"]),
        ("trainings", ["trainings"]),
        (
            "retention",
            [
                "retention_curve",
                "retention_ended_before",
                "retention_not_started",
                "contact_last_30_days",
                "signup_to_first_tandem",
            ],
        ),
        ("impact", ["integration_outcomes"]),
        ("survey", ["survey_scores"]),
    ]
    assert [order for order, _section, _builder in figures.FIGURES] == sorted(
        order for order, _section, _builder in figures.FIGURES
    )


@pytest.fixture
def registry():
    """Registering in a test must not leak into the others."""
    saved = list(figures.FIGURES)
    yield figures.FIGURES
    figures.FIGURES[:] = saved


def test_a_new_figure_is_one_registered_function(db, registry):
    @figure(section="tandems", order=15)
    def tandems_answered(build: Build) -> Figure:
        return Figure(
            "tandems_answered", "Answered", "A test figure.", Cell(len(build.districts)), "answered"
        )

    report = report_build(organisations=Organisation.objects.all(), period=YEAR, hide_small=True, today=TODAY)
    keys = [f.key for f in report.sections[0].figures]
    assert keys == ["tandems_formed", "tandems_answered", "tandems_active", "tandems_ended"]
    assert report.figure("tandems_answered").headline.value == 13  # Hannover's districts


def test_a_figure_needs_a_known_section_and_a_free_place(registry):
    with pytest.raises(ValueError, match="section"):
        figure(section="nowhere", order=999)
    with pytest.raises(ValueError, match="order 10"):
        figure(section="tandems", order=10)(lambda build: [])


def test_no_function_in_reporting_is_longer_than_80_lines():
    root = Path(figures.__file__).parent
    too_long = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts or path.name == "demo.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length >= MAX_LINES:
                    too_long.append(
                        f"{path.relative_to(root.parent)}:{node.lineno} {node.name} ({length} lines)"
                    )
    assert too_long == []
