import datetime
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from core.management.commands.erasure_export import FORMAT
from core.models import ErasureRecord
from core.services import erasure_replay


def erasure_records_read(text: str) -> list[ErasureRecord]:
    """The records of an `erasure_export` file (unsaved); a file in any other shape is refused."""
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT or data.get("version") != 1:
            raise ValueError(f"not an export of `manage.py erasure_export` (format {FORMAT!r}, version 1)")
        records = [
            ErasureRecord(
                model_label=str(item["model_label"]),
                object_id=str(item["object_id"]),
                erased_at=_moment(item["erased_at"]),
                reason_code=str(item["reason_code"]),
                record_created_at=_moment(item.get("record_created_at")),
            )
            for item in data["records"]
        ]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CommandError(f"cannot read the erasure records: {exc}") from None
    for record in records:
        if record.erased_at is None:
            raise CommandError(f"cannot read the erasure records: {record.model_label} has no erased_at")
        for moment in (record.erased_at, record.record_created_at):
            if moment is not None and moment.tzinfo is None:
                raise CommandError(f"cannot read the erasure records: {moment} has no time zone")
    return records


def _moment(text: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(text) if text else None


class Command(BaseCommand):
    help = (
        "After restoring a backup: erase again every record the export FILE (from `erasure_export` on the "
        "live system, '-' for standard input) names that holds personal data in this database. Without FILE, "
        "the erasure records of this database are replayed. Running it twice changes nothing more."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="The JSON written by `manage.py erasure_export`.")
        parser.add_argument("--dry-run", action="store_true", help="List what would change; change nothing.")

    def handle(self, *args, file: str | None = None, dry_run: bool = False, **options):
        if file is None:
            records = list(ErasureRecord.objects.order_by("erased_at", "pk"))
        elif file == "-":
            records = erasure_records_read(sys.stdin.read())
        else:
            try:
                with open(file, encoding="utf-8") as handle:
                    records = erasure_records_read(handle.read())
            except OSError as exc:
                raise CommandError(f"cannot read {file}: {exc}") from None
        findings = erasure_replay(records=records, dry_run=dry_run)
        for finding in findings:
            if finding.state != "already":
                self.stdout.write(finding.line())
        done = sum(1 for f in findings if f.state in {"erased", "would erase"})
        verb = "would be erased again" if dry_run else "erased again"
        already = sum(1 for f in findings if f.state == "already")
        self.stdout.write(f"{done} record(s) {verb}, {already} already erased, {len(findings)} in the list")
