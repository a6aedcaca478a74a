"""Refresh the participant catalogues (locale_participant/<lang>/LC_MESSAGES/django.po) from the files in
core.languages.PARTICIPANT_SOURCES: new strings arrive empty, to be translated by hand (docs/languages.md)."""

import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import to_locale
from django.utils.translation.template import templatize

from core.languages import PARTICIPANT_CATALOGUES, PARTICIPANT_SOURCES

KEYWORDS = ["_", "gettext", "gettext_lazy", "pgettext:1c,2", "pgettext_lazy:1c,2", "ngettext:1,2"]
KEYWORDS += ["ngettext_lazy:1,2", "npgettext:1c,2,3", "npgettext_lazy:1c,2,3", "gettext_noop"]


def _files() -> list[Path]:
    root = Path(settings.BASE_DIR)
    found = []
    for source in PARTICIPANT_SOURCES:
        path = root / source
        found += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    return found


def participant_pot(target: Path) -> Path:
    """Write the template catalogue of every participant string to `target` and return it."""
    root = Path(settings.BASE_DIR)
    with tempfile.TemporaryDirectory() as work:
        inputs = []
        for path in _files():
            relative = path.relative_to(root)
            if path.suffix == ".py":
                inputs.append(str(relative))
                continue
            # templates become Python source for xgettext, as makemessages does
            copy = Path(work) / f"{relative}.py"
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(
                templatize(path.read_text(encoding="utf-8"), origin=str(relative)), encoding="utf-8"
            )
            inputs.append(str(copy))
        subprocess.run(
            [
                "xgettext",
                "--language=Python",
                "--from-code=UTF-8",
                "--no-wrap",
                "--no-location",
                "--sort-output",
                "-o",
                str(target),
            ]
            + [f"--keyword={k}" for k in KEYWORDS]
            + ["--add-comments=Translators"]
            + inputs,
            cwd=root,
            check=True,
        )
    return target


def catalogue(code: str) -> Path:
    return Path(settings.BASE_DIR) / "locale_participant" / to_locale(code) / "LC_MESSAGES" / "django.po"


class Command(BaseCommand):
    help = "Refresh locale_participant/ from the participant pages' strings."

    def handle(self, *args, **options) -> None:
        with tempfile.TemporaryDirectory() as work:
            pot = participant_pot(Path(work) / "participant.pot")
            for code in PARTICIPANT_CATALOGUES:
                po = catalogue(code)
                if not po.exists():
                    po.parent.mkdir(parents=True, exist_ok=True)
                    subprocess.run(
                        [
                            "msginit",
                            "--no-translator",
                            "--no-wrap",
                            "-l",
                            to_locale(code),
                            "-i",
                            str(pot),
                            "-o",
                            str(po),
                        ],
                        check=True,
                    )
                subprocess.run(
                    [
                        "msgmerge",
                        "--quiet",
                        "--update",
                        "--backup=none",
                        "--no-wrap",
                        "--no-location",
                        "--no-fuzzy-matching",
                        str(po),
                        str(pot),
                    ],
                    check=True,
                )
                self.stdout.write(f"{po.relative_to(settings.BASE_DIR)}")
