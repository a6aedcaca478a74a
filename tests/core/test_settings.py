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


def _production_settings(expression: str, **env: str) -> subprocess.CompletedProcess:
    """Imports the settings as production would (DEBUG off) and prints `expression` of them."""
    unset = {"DEBUG", "SECRET_KEY", "PSEUDONYM_KEY", "ALLOWED_HOSTS", "DB_CONN_MAX_AGE"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    production = {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PSEUDONYM_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "freunde.example",
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"from config import settings as s; v = ({expression}); print(*v if type(v) is tuple else [v])",
        ],
        cwd=settings.BASE_DIR,
        env={**base, **production, **env},
        capture_output=True,
        text=True,
    )


def test_production_refuses_a_short_pseudonym_key():
    result = _production_settings("s.PSEUDONYM_KEY", PSEUDONYM_KEY="x" * 31)
    assert result.returncode != 0
    assert "PSEUDONYM_KEY" in result.stderr and "32" in result.stderr
    assert _production_settings("len(s.PSEUDONYM_KEY)", PSEUDONYM_KEY="x" * 32).stdout.strip() == "32"


def test_production_refuses_a_short_secret_key():
    result = _production_settings("s.SECRET_KEY", SECRET_KEY="change-me-to-50-random-characters")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "50" in result.stderr


def test_development_keeps_its_short_keys():
    result = _production_settings(
        "len(s.SECRET_KEY) > 0", DEBUG="true", SECRET_KEY="short", PSEUDONYM_KEY="short"
    )
    assert result.returncode == 0, result.stderr


def test_production_keeps_database_connections_and_checks_them_before_use():
    result = _production_settings(
        "s.DATABASES['default']['CONN_MAX_AGE'], s.DATABASES['default']['CONN_HEALTH_CHECKS']"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "60 True"


def test_production_language_cookie_follows_the_tls_settings():
    expression = "s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_HTTPONLY, s.LANGUAGE_COOKIE_SAMESITE"
    assert _production_settings(expression).stdout.strip() == "True True Lax"
    assert _production_settings(expression, SESSION_COOKIE_SECURE="false").stdout.strip() == "False True Lax"


def test_every_process_shares_one_cache():
    result = _production_settings("s.CACHES['default']['BACKEND']")
    assert result.stdout.strip() == "django.core.cache.backends.db.DatabaseCache"
