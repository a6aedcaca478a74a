"""The sign-up limit (5 per address and hour) holds across processes: every gunicorn worker counts in the
one cache all processes share (the database cache), not in its own memory (issue #14)."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from tests.faultproxy import database_url

ADDRESS = "203.0.113.9"

# a second process: the same application, the same database, its own memory
OTHER_PROCESS = f"""
import django
django.setup()
from django.test import Client
client = Client()
print(*[client.post("/signup/", {{"first_name": "Eva"}}, REMOTE_ADDR="{ADDRESS}").status_code for _ in range(3)])
"""


def test_the_sixth_sign_up_from_one_address_is_refused_whichever_process_answers(client, reference_data):
    cache.clear()
    url = reverse("signup:signup_form")
    here = [client.post(url, {"first_name": "Eva"}, REMOTE_ADDR=ADDRESS).status_code for _ in range(3)]
    assert here == [200, 200, 200]  # counted, shown with the form's errors
    env = {
        **{k: v for k, v in os.environ.items() if k != "TEST_DATABASE_NAME"},
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "ALLOWED_HOSTS": "testserver",
    }
    other = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert other.returncode == 0, other.stderr
    assert other.stdout.split() == ["200", "200", "429"]
    assert client.post(url, {"first_name": "Eva"}, REMOTE_ADDR=ADDRESS).status_code == 429
    cache.clear()


def test_an_empty_sign_up_over_the_limit_is_refused_not_a_server_error(client, db):
    url = reverse("signup:signup_form")
    codes = [client.post(url, {}, REMOTE_ADDR=ADDRESS).status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
