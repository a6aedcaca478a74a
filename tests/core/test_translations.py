"""German and English catalogues are complete: every string in the code has a translation, none fuzzy."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIP_DIRS = {".venv", ".data", ".git", "node_modules", "static", "tests", "bench", "docs", "__pycache__"}


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory) -> Path:
    """The catalogues as `makemessages` would make them from the code now, in a copy of the tree."""
    copy = tmp_path_factory.mktemp("tree")
    for entry in ROOT.iterdir():
        if entry.name in SKIP_DIRS or entry.name.startswith("."):
            continue
        if entry.is_dir():
            shutil.copytree(entry, copy / entry.name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy2(entry, copy / entry.name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "de", "-l", "en", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={**os.environ, "DEBUG": "true"},
    )
    return copy / "locale"


def _entries(po: Path, flag: str) -> str:
    return subprocess.run(
        ["msgattrib", flag, "--no-wrap", str(po)], check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.parametrize("language", ["de", "en"])
def test_catalogue_is_complete(fresh_catalogues, language):
    po = fresh_catalogues / language / "LC_MESSAGES" / "django.po"
    untranslated = [line for line in _entries(po, "--untranslated").splitlines() if line.startswith("msgid ")]
    assert untranslated in ([], ['msgid ""']), (
        f"untranslated in {language} (run `make messages`):\n" + "\n".join(untranslated)
    )


@pytest.mark.parametrize("language", ["de", "en"])
def test_catalogue_has_no_fuzzy_entries(language):
    po = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    fuzzy = [line for line in _entries(po, "--only-fuzzy").splitlines() if line.startswith("msgid ")]
    assert fuzzy in ([], ['msgid ""']), f"fuzzy entries in {language}:\n" + "\n".join(fuzzy)
