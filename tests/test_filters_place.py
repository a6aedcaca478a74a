"""Every app's list filters live in `<app>/filters.py` (issue #16): a FilterSet defined anywhere else in an
app is one more place to look for what a list can be filtered by."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("core", "volunteers", "refugees", "tandems", "trainings", "reporting")


def filtersets_outside_filters_py() -> list[str]:
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if path.name == "filters.py" or "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef) and any(
                    getattr(base, "attr", getattr(base, "id", "")) == "FilterSet" for base in node.bases
                ):
                    found.append(f"{path.relative_to(ROOT)}: {node.name}")
    return found


def test_list_filters_live_in_filters_py():
    assert filtersets_outside_filters_py() == []
