from django.core.management.base import BaseCommand

from core.privacy_doc import DOC_PATH, render_record, splice


class Command(BaseCommand):
    help = "Write the record of processing activities (docs/privacy.md) from the registry in core/privacy.py."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only check that the file is up to date.")

    def handle(self, *args, check: bool = False, **options):
        current = DOC_PATH.read_text(encoding="utf-8") if DOC_PATH.exists() else "# Data protection\n"
        updated = splice(current, render_record())
        if check:
            if updated != current:
                raise SystemExit("docs/privacy.md is out of date: run `manage.py privacy_doc`")
            self.stdout.write("docs/privacy.md is up to date")
            return
        DOC_PATH.write_text(updated, encoding="utf-8")
        self.stdout.write(f"wrote {DOC_PATH}")
