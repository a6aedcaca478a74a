"""No function of 80 lines or more (issue #16): a function that long does several things, and each of them
wants a name of its own.

Every module of the project is parsed (ast) and every function and method measured from its `def` line
to its last line, docstring and comments included. Outside the check: migrations (generated), the demo
seeders (`demo.py`, long lists of made-up data) and `tests/`.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 80
SKIPPED_FOLDERS = {".venv", ".data", ".git", "tests", "migrations", "node_modules", "static", "build"}
EXEMPT: set[str] = set()


def project_modules() -> list[Path]:
    return [
        path
        for path in sorted(ROOT.rglob("*.py"))
        if not SKIPPED_FOLDERS & set(path.relative_to(ROOT).parts)
        and path.name != "demo.py"
        and path.relative_to(ROOT).as_posix() not in EXEMPT
    ]


def long_functions(source: str, *, limit: int = LIMIT) -> list[tuple[str, int, int]]:
    """(name, first line, length) of each function of `source` that is `limit` lines or longer."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length >= limit:
                found.append((node.name, node.lineno, length))
    return found


def test_the_measure_counts_from_def_to_the_last_line():
    body = "\n".join(f"    x{n} = {n}" for n in range(78))
    assert long_functions(f"def short():\n{body}\n") == []  # 79 lines
    assert long_functions(f"def long():\n{body}\n    return x0\n") == [("long", 1, 80)]


def test_the_walk_finds_the_apps_and_leaves_out_what_is_exempt():
    names = {path.relative_to(ROOT).as_posix() for path in project_modules()}
    assert {"core/services.py", "volunteers/importing.py", "bench/load.py"} <= names
    assert not {name for name in names if name.startswith("tests/") or "/migrations/" in name}
    assert not {name for name in names if name.endswith("/demo.py")} | (names & EXEMPT)


def test_no_function_is_80_lines_or_longer():
    too_long = [
        f"{path.relative_to(ROOT)}:{line} {name} ({length} lines)"
        for path in project_modules()
        for name, line, length in long_functions(path.read_text(encoding="utf-8"))
    ]
    assert not too_long, "Split these functions below 80 lines:\n" + "\n".join(too_long)
