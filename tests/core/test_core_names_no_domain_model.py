"""core holds the mechanisms and names no domain model (issue #16): the apps register what they add.

Every module of `core/` except its migrations is parsed; a string literal that is a domain model's label
("tandems.Tandem", also lower case as in "tandems.tandem"), a literal `apps.get_model("tandems", "Tandem")`,
or the name of a relation between domain models ("tandem", "tandems", "checkins", ...) fails the test.
Permission codes ("volunteers.view"), URL names ("tandems:tandem_list") and action codes
("tandems.tandem.ended") are no model labels and pass.
"""

import ast
from pathlib import Path

from django.apps import apps

from core.checks import OUR_APPS

ROOT = Path(__file__).resolve().parent.parent.parent
DOMAIN_APPS = OUR_APPS - {"core"}
# relation names that are also a word of core's own: `request.session` (Django's session, not a training);
# an app's label ("tandems") names the app, not a relation (core.checks.OUR_APPS, seed_demo's order)
CORE_WORDS = {"session", *OUR_APPS}
TRANSLATED = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}


def _domain_models():
    return [model for model in apps.get_models() if model._meta.app_label in DOMAIN_APPS]


def domain_labels() -> set[str]:
    labels = set()
    for model in _domain_models():
        labels |= {model._meta.label, model._meta.label_lower}
    return labels


def domain_relation_names() -> set[str]:
    """Names by which one domain model reaches another: forward fields and reverse accessors."""
    names = set()
    for model in _domain_models():
        for field in model._meta.get_fields():
            target = field.related_model
            if target is None or target._meta.app_label not in DOMAIN_APPS:
                continue
            names.add(field.get_accessor_name() if field.auto_created and not field.concrete else field.name)
    return names - CORE_WORDS


def core_modules() -> list[Path]:
    return [path for path in sorted((ROOT / "core").rglob("*.py")) if "migrations" not in path.parts]


def _prose(tree: ast.AST) -> set[int]:
    """Docstrings and translated texts: words there are prose, not names."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in TRANSLATED:
            found |= {id(arg) for arg in node.args}
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def named_models(source: str, *, labels: set[str], relations: set[str], domain_apps: set[str]) -> list[str]:
    tree = ast.parse(source)
    prose = _prose(tree)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose:
            if node.value in labels:
                found.append((node.lineno, f"model label {node.value!r}"))
            elif node.value in relations:
                found.append((node.lineno, f"relation {node.value!r}"))
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "get_model"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and str(node.args[0].value).split(".")[0] in domain_apps
        ):
            found.append((node.lineno, f"get_model({node.args[0].value!r}, ...)"))
    return [f"{line}: {text}" for line, text in sorted(found)]


def test_core_names_no_domain_model():
    labels, relations = domain_labels(), domain_relation_names()
    wrong = [
        f"{path.relative_to(ROOT)}:{hit}"
        for path in core_modules()
        for hit in named_models(path.read_text(), labels=labels, relations=relations, domain_apps=DOMAIN_APPS)
    ]
    assert wrong == []


def test_the_lists_hold_the_domain_models_and_their_relations():
    assert {"volunteers.Volunteer", "tandems.tandem", "trainings.Registration"} <= domain_labels()
    assert {"tandem", "checkins", "members", "volunteer", "refugee"} <= domain_relation_names()
    assert not {label for label in domain_labels() if label.startswith("core.")}


def test_the_parser_finds_labels_relations_and_get_model_but_not_prose():
    source = (
        '"""Docstring naming "tandems.Tandem"."""\n'
        'T = _("tandem")\n'
        'A = "tandems.Tandem"\n'
        'B = ("tandem", "organisation")\n'
        'C = apps.get_model("refugees", "Refugee")\n'
        'D = "tandems.view", "tandems:tandem_list", "tandems.tandem.ended"\n'
    )
    hits = named_models(source, labels={"tandems.Tandem"}, relations={"tandem"}, domain_apps={"refugees"})
    assert hits == [
        "3: model label 'tandems.Tandem'",
        "4: relation 'tandem'",
        "5: get_model('refugees', ...)",
    ]
