from django.core.management.base import BaseCommand

from core.services import retention_apply


class Command(BaseCommand):
    help = (
        "Anonymise the records whose retention period (core.RetentionRule) has passed, through the one "
        "anonymisation function. The job worker runs it daily (core/tasks.py); --dry-run lists what would "
        "change (model, id, rule)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would change; change nothing.")

    def handle(self, *args, dry_run: bool = False, **options):
        findings = retention_apply(dry_run=dry_run)
        for finding in findings:
            if finding.blocked:
                self.stdout.write(f"blocked {finding.line()}: {finding.blocked}")
            else:
                self.stdout.write(f"{'would anonymise' if dry_run else 'anonymised'} {finding.line()}")
        done = sum(1 for f in findings if not f.blocked)
        blocked = len(findings) - done
        verb = "would be anonymised" if dry_run else "anonymised"
        self.stdout.write(f"{done} record(s) {verb}, {blocked} blocked")
