"""No upward imports: an app imports only the apps below it (docs/architecture.md, "Apps").

Every module of every app is parsed (ast), imports inside functions included, and so are literal
`importlib.import_module("...")` calls. Migrations and demo seeders (`demo.py`) are checked like any other
module: none of them needs an exception today. Outside the check: `config/` (the project: settings and URLs
name every app), `tests/` and `bench/` (they exercise the whole application).

core names no domain model by string either (tests/core/test_core_names_no_domain_model.py). `core`'s
`seed_demo` and privacy views find `<app>.demo`/`<app>.selectors` by the installed apps' names, which is
not a literal import either.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# app -> the apps it may import. volunteers and refugees do not import each other; nothing imports reporting.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "volunteers": {"core"},
    "refugees": {"core"},
    "trainings": {"core", "volunteers"},
    "tandems": {"core", "volunteers", "refugees", "trainings"},
    "reporting": {"core", "volunteers", "refugees", "trainings", "tandems"},
}


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def upward_imports(app: str) -> list[str]:
    wrong = []
    for path in sorted((ROOT / app).rglob("*.py")):
        for line, module in imported_modules(ast.parse(path.read_text(), str(path))):
            target = module.split(".")[0]
            if target in ALLOWED and target != app and target not in ALLOWED[app]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return wrong


def test_no_app_imports_a_higher_one():
    wrong = [entry for app in ALLOWED for entry in upward_imports(app)]
    assert wrong == []


def test_the_graph_names_every_app():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps == set(ALLOWED)


def test_the_parser_sees_imports_inside_functions():
    tree = ast.parse(
        "def f():\n    from tandems.models import Tandem\n    import trainings.services\n"
        "    importlib.import_module('reporting.figures')\n"
    )
    assert [module for _line, module in imported_modules(tree)] == [
        "tandems.models",
        "trainings.services",
        "reporting.figures",
    ]
