import json

from django.core.management.base import BaseCommand

from core.models import ErasureRecord

FORMAT = "tenk-erasure-records"


def erasure_records_json() -> str:
    records = [
        {
            "model_label": r.model_label,
            "object_id": r.object_id,
            "erased_at": r.erased_at.isoformat(),
            "reason_code": r.reason_code,
            "record_created_at": r.record_created_at.isoformat() if r.record_created_at else None,
        }
        for r in ErasureRecord.objects.order_by("erased_at", "pk")
    ]
    return json.dumps({"format": FORMAT, "version": 1, "records": records}, indent=1)


class Command(BaseCommand):
    help = (
        "Print the erasure records (which records were erased when; no personal data) as JSON. Run it on the "
        "live system before restoring a backup, then `erasure_replay FILE` on the restored database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="Write to this file instead of standard output.")

    def handle(self, *args, output: str | None = None, **options):
        text = erasure_records_json()
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            self.stderr.write(f"wrote {ErasureRecord.objects.count()} erasure record(s) to {output}")
        else:
            self.stdout.write(text)
