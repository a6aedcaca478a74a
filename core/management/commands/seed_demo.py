import importlib
import importlib.util
import time

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from core.demo import DEMO_USERS

# The order in which the apps' demo data is built: later apps use the rows of earlier ones.
APP_ORDER = ["core", "volunteers", "refugees", "trainings", "tandems", "reporting"]
SIZES = ("small", "city", "city10")


class Command(BaseCommand):
    help = "Create demo users (one per role) and demo data. Idempotent: a second run changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            choices=SIZES,
            default="small",
            help="small: a few hundred rows; city: the brief's scale (10,000 volunteers, ...); city10: ten times",
        )

    def handle(self, *args, size: str, **options):
        installed = {config.name for config in apps.get_app_configs()}
        # demo data can be seeded again: its commits need not wait for the disk (this session only)
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")
        try:
            for app in APP_ORDER:
                if app not in installed or importlib.util.find_spec(f"{app}.demo") is None:
                    continue
                started = time.monotonic()
                importlib.import_module(f"{app}.demo").seed(size=size, stdout=self.stdout)
                self.stdout.write(f"  {app}: {time.monotonic() - started:.1f} s")
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        self.stdout.write(
            self.style.SUCCESS(
                "Demo logins (password: %s):"
                % ("demo" if settings.DEMO_PASSWORD == "demo" else "$DEMO_PASSWORD")
            )
        )
        for username, _first, _last, org_short, role in DEMO_USERS:
            self.stdout.write(f"  {username:<12} {role.label} ({org_short})")
