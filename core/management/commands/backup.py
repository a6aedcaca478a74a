from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, backup_rotate, backup_write


class Command(BaseCommand):
    help = (
        "Write a compressed dump of the database (pg_dump -Fc, UTC time in the name) to BACKUP_DIR, then "
        "delete the dumps there older than BACKUP_KEEP_DAYS days. Run nightly (docs/privacy.md § backups)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", type=Path, default=None, help="Folder of the dumps (default BACKUP_DIR)."
        )
        parser.add_argument("--keep-days", type=int, default=None, help="Default BACKUP_KEEP_DAYS.")

    def handle(self, *args, dir: Path | None = None, keep_days: int | None = None, **options):
        directory = Path(dir or settings.BACKUP_DIR)
        keep = settings.BACKUP_KEEP_DAYS if keep_days is None else keep_days
        try:
            if keep < 1:
                raise BackupError("BACKUP_KEEP_DAYS must be at least 1")
            path = backup_write(directory=directory)
            # only after a good dump: a failing pg_dump never costs the last backups that worked
            removed = backup_rotate(directory=directory, keep_days=keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"wrote {path} ({path.stat().st_size} bytes)")
        for old in removed:
            self.stdout.write(f"deleted {old} (older than {keep} days)")
