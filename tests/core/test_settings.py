import os
import secrets
import subprocess
import sys

from django.conf import settings


def _check_deploy(**env: str) -> subprocess.CompletedProcess:
    unset = {
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }  # the last one: browser tests
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _check_deploy(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        PSEUDONYM_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="freunde.example",
        ADMINS="IT FWZ <it@freunde.example>",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_errors_would_reach_nobody():
    result = _check_deploy(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        PSEUDONYM_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="freunde.example",
        ADMINS="",
    )
    assert result.returncode != 0
    assert "core.W001" in result.stderr and "server errors reach nobody" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _check_deploy(DEBUG="false", ALLOWED_HOSTS="freunde.example")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_a_wrong_boolean_is_refused_loudly():
    result = _check_deploy(DEBUG="yes")
    assert result.returncode != 0
    assert "DEBUG must be 'true' or 'false'" in result.stderr
