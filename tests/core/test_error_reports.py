"""Errors reach someone (the admins' e-mail, optionally Sentry), and the personal data stay behind."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from config.env import env_admins
from config.errors import FILTERED, personal_field_names, sentry_before_send

PERSONAL = {
    "first_name": "Amira",
    "last_name": "Haddad",
    "health_notes": "Diabetes Typ 2, Insulin",
    "email": "amira.haddad@example.org",
}


def test_admins_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("ADMINS", "Ops Team <ops@fwz.example>, Lea Berg <lea.berg@fwz.example>")
    assert env_admins("ADMINS") == [("Ops Team", "ops@fwz.example"), ("Lea Berg", "lea.berg@fwz.example")]
    monkeypatch.setenv("ADMINS", "")
    assert env_admins("ADMINS") == []


@pytest.mark.parametrize(
    "raw",
    ["ops@fwz.example", "Ops <ops@fwz.example>,", "<ops@fwz.example>", "Ops <ops>", "Ops ops@fwz.example"],
)
def test_a_wrong_admins_value_is_refused_loudly(monkeypatch, raw):
    monkeypatch.setenv("ADMINS", raw)
    with pytest.raises(ImproperlyConfigured, match="ADMINS must read 'Name <address>"):
        env_admins("ADMINS")


def test_the_settings_refuse_a_wrong_admins_value():
    env = {**os.environ, "ADMINS": "ops@fwz.example"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "ADMINS must read" in result.stderr


@pytest.mark.urls("tests.core.error_urls")
def test_a_server_error_mails_the_admins_once_without_the_posted_personal_data(settings, db):
    settings.DEBUG = False
    settings.ADMINS = [("Ops Team", "ops@fwz.example")]
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "cookie-value-7f3a"
    response = client.post("/failing/?q=Haddad&page=2", PERSONAL, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 500
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ops@fwz.example"]
    text = message.subject + message.body + "".join(str(a[1]) for a in message.alternatives)
    assert "ViewFailed" in text and "could not save the intake" in text  # says what broke and where
    assert "Key (email_key)=([Filtered])" in text
    assert "first_name" in text and "health_notes" in text  # the names of what was posted stay
    for value in [*PERSONAL.values(), "Haddad", "cookie-value-7f3a", "203.0.113.9"]:
        assert value not in text


@pytest.mark.urls("tests.core.error_urls")
def test_no_mail_while_debugging(settings, db):
    settings.DEBUG = True
    settings.ADMINS = [("Ops Team", "ops@fwz.example")]
    Client(raise_request_exception=False).post("/failing/", PERSONAL)
    assert mail.outbox == []


def _event() -> dict:
    """An event as Sentry's Django integration builds it for a failed intake form."""
    return {
        "level": "error",
        "request": {
            "url": "https://freunde.example/refugees/new/",
            "method": "POST",
            "query_string": "q=Haddad&page=2",
            "data": {"first_name": "Amira", "health_notes": "Diabetes Typ 2"},
            "cookies": {"sessionid": "cookie-value-7f3a", "csrftoken": "abc"},
            "headers": {
                "Cookie": "sessionid=cookie-value-7f3a",
                "User-Agent": "Firefox",
                "Referer": "x?q=Haddad",
            },
            "env": {"REMOTE_ADDR": "203.0.113.9", "SERVER_NAME": "web1"},
        },
        "user": {
            "id": "17",
            "email": "lea.berg@fwz.example",
            "ip_address": "203.0.113.9",
            "username": "lberg",
        },
        "exception": {
            "values": [
                {
                    "type": "IntegrityError",
                    "value": 'duplicate key value violates unique constraint "x"\n'
                    "DETAIL:  Key (email_key)=(amira@example.org) already exists.",
                    "stacktrace": {
                        "frames": [
                            {
                                "function": "refugee_intake_create",
                                "vars": {
                                    "first_name": "'Amira'",
                                    "health_notes": "'Diabetes Typ 2'",
                                    "data": {"last_name": "'Haddad'", "district": "'Linden-Limmer'"},
                                    "refugee": "<Refugee: Amira Haddad>",
                                    "organisation": "<Organisation: gEMiDe>",
                                    "page": "2",
                                },
                            }
                        ]
                    },
                }
            ]
        },
        "extra": {
            "phone": "+49 511 123456",
            "attempt": 3,
            "details": {"email": "amira@example.org", "step": "intake"},
        },
        "breadcrumbs": {"values": [{"category": "query", "data": {"address": "Limmerstr. 1", "ms": 3}}]},
    }


def test_the_sentry_scrubber_drops_request_user_and_personal_values(db):
    event = sentry_before_send(_event(), {})
    request = event["request"]
    assert "data" not in request and "cookies" not in request
    assert request["query_string"] == f"q={FILTERED}&page={FILTERED}"
    assert request["headers"] == {"User-Agent": "Firefox"}
    assert request["env"] == {"SERVER_NAME": "web1"}
    assert request["method"] == "POST" and request["url"] == "https://freunde.example/refugees/new/"
    assert event["user"] == {"id": "17"}
    exception = event["exception"]["values"][0]
    frame_vars = exception["stacktrace"]["frames"][0]["vars"]
    assert frame_vars["first_name"] == FILTERED and frame_vars["health_notes"] == FILTERED
    assert frame_vars["data"] == {"last_name": FILTERED, "district": "'Linden-Limmer'"}
    assert frame_vars["refugee"] == f"<Refugee: {FILTERED}>"
    assert frame_vars["organisation"] == "<Organisation: gEMiDe>" and frame_vars["page"] == "2"
    assert "amira@example.org" not in exception["value"] and "Key (email_key)" in exception["value"]
    assert event["extra"] == {
        "phone": FILTERED,
        "attempt": 3,
        "details": {"email": FILTERED, "step": "intake"},
    }
    assert event["breadcrumbs"]["values"][0]["data"] == {"address": FILTERED, "ms": 3}
    for value in ("Amira", "Haddad", "Diabetes", "203.0.113.9", "lea.berg", "cookie-value", "Limmerstr"):
        assert value not in json.dumps(event)


@pytest.mark.parametrize(
    "message",
    [
        "DETAIL:  Key (phone_key)=((0511) 123456) already exists.",
        'DETAIL:  Key (email_key)=(amira@example.org) is not present in table "x".',
        "DETAIL:  Key (first_name, last_name)=(Amira, Haddad (geb. Saleh)",
    ],
)
def test_the_values_postgresql_names_in_a_constraint_error_are_dropped(db, message):
    event = {"exception": {"values": [{"type": "IntegrityError", "value": message}]}}
    value = sentry_before_send(event)["exception"]["values"][0]["value"]
    assert value.startswith("DETAIL:  Key (") and f"=({FILTERED}" in value
    for personal in ("0511", "123456", "amira", "Haddad", "Saleh"):
        assert personal not in value


def test_the_personal_names_come_from_the_models_and_the_registry(db):
    names = personal_field_names()
    assert {"first_name", "health_notes", "residence_status", "intake_notes", "email", "phone"} <= names
    assert {"id", "status", "district", "organisation"}.isdisjoint(names)


SENTRY_PROBE = """
import json, django, sentry_sdk
django.setup()
if not sentry_sdk.is_initialized():
    print(json.dumps({"initialised": False}))
    raise SystemExit
from sentry_sdk.transport import Transport
class Recorder(Transport):
    def __init__(self):
        super().__init__()
        self.sent = []
    def capture_envelope(self, envelope):
        self.sent.append(envelope.serialize().decode())
    def flush(self, *args, **kwargs):
        pass
    def kill(self):
        pass
client = sentry_sdk.get_client()
client.transport = Recorder()
def intake(first_name, health_notes):
    raise ValueError("intake failed")
try:
    intake("Amira", "Diabetes Typ 2")
except ValueError:
    sentry_sdk.capture_exception()
print(json.dumps({
    "initialised": True,
    "send_default_pii": client.options["send_default_pii"],
    "before_send": client.options["before_send"].__qualname__,
    "sent": client.transport.sent,
}))
"""


def _probe_sentry(**env: str) -> dict:
    base = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")}
    result = subprocess.run(
        [sys.executable, "-c", SENTRY_PROBE],
        cwd=settings.BASE_DIR,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_sentry_is_not_started_without_a_dsn():
    assert _probe_sentry() == {"initialised": False}


def test_sentry_with_a_dsn_sends_scrubbed_events_only():
    # 127.0.0.1 and a transport that only records: nothing leaves the machine
    found = _probe_sentry(SENTRY_DSN="http://public@127.0.0.1:9/1")
    assert found["initialised"] is True
    assert found["send_default_pii"] is False
    assert found["before_send"] == "sentry_before_send"
    sent = "".join(found["sent"])
    assert "intake failed" in sent
    assert "Amira" not in sent and "Diabetes" not in sent
