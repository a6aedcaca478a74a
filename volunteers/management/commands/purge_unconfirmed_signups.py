from django.core.management.base import BaseCommand

from volunteers.services import UNCONFIRMED_SIGNUP_DAYS, volunteer_unconfirmed_purge


class Command(BaseCommand):
    help = (
        "Delete public sign-ups whose e-mail address was not confirmed within 30 days (each deletion is "
        "audited). The job worker runs it daily (volunteers/tasks.py); this command runs it by hand."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=UNCONFIRMED_SIGNUP_DAYS,
            help="Age in days after which an unconfirmed sign-up is deleted (default 30).",
        )

    def handle(self, *args, days: int, **options):
        count = volunteer_unconfirmed_purge(days=days)
        self.stdout.write(f"{count} unconfirmed sign-up(s) deleted.")
