"""Errors reach someone, personal data do not: the admins' error e-mail and the optional Sentry reports.

An error report is read outside the application (a mailbox, an error tracker), so it must not carry the
personal data of refugees and volunteers. Both channels drop what a request brought (form bodies, query
values, cookies, the client's address, the user's e-mail) and the value of every variable or key named
like a declared personal field (`PERSONAL_FIELDS` of our models and `core.privacy.REGISTRY`).

This module is imported by the settings: it imports Django's models and `core` only inside functions. The
e-mail's reporter is in `config/error_mail.py`.
"""

from __future__ import annotations

import functools
import re
from typing import Any

FILTERED = "[Filtered]"

# not model fields, but where personal values travel all the same
EXTRA_NAMES = frozenset(
    {
        "password",
        "cleaned_data",
        "initial",
        "row",
        "rows",
        "body",
        "cookies",
        "name",
        "full_name",
        "value",
        "q",
    }
)


@functools.cache
def personal_field_names() -> frozenset[str]:
    """Every name declared personal by a model of ours or by the privacy registry (built once)."""
    from django.apps import apps

    from core.checks import OUR_APPS
    from core.privacy import REGISTRY

    names = set(EXTRA_NAMES)
    for model in apps.get_models():
        if model._meta.app_label in OUR_APPS:
            names.update(getattr(model, "PERSONAL_FIELDS", ()))
    for entry in REGISTRY.values():
        names.update(entry.fields)
    return frozenset(names)


@functools.cache
def _personal_reprs() -> re.Pattern:
    """`<Refugee: Amira Haddad>`, the repr of a row whose `__str__` shows personal data."""
    from core.privacy import REGISTRY

    classes = sorted({label.split(".")[1] for label in REGISTRY})
    return re.compile(rf"<({'|'.join(classes)}): .*>", re.DOTALL)


@functools.cache
def _registry_labels() -> frozenset[str]:
    from core.privacy import REGISTRY

    return frozenset(REGISTRY)


# PostgreSQL names the offending values in a constraint error: "Key (email_key)=(a@b.de) already exists."
# (a value may hold parentheses itself, so the value runs up to PostgreSQL's wording or the end of the line)
_KEY_DETAIL = re.compile(
    r"(Key \([^)]*\)=\()(?:.*?)(\) (?:already exists|is not present|is still referenced|conflicts with)|$)",
    re.MULTILINE,
)


def scrub_value(value: Any, depth: int = 0) -> Any:
    """`value` with every personal key's value replaced, in dicts and lists at any depth."""
    if depth > 20:
        return FILTERED
    if isinstance(value, dict):
        names = personal_field_names()
        return {
            key: FILTERED if str(key) in names else scrub_value(item, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [scrub_value(item, depth + 1) for item in value]
    meta = getattr(type(value), "_meta", None)  # a model row, whose repr may show a name
    if meta is not None and getattr(meta, "label", None) in _registry_labels():
        return f"<{type(value).__name__}: {FILTERED}>"
    if isinstance(value, str):
        value = _KEY_DETAIL.sub(rf"\1{FILTERED}\2", value)
        match = _personal_reprs().fullmatch(value)
        if match:
            return f"<{match[1]}: {FILTERED}>"
    return value


def query_keys_only(query: Any) -> Any:
    if isinstance(query, str):
        pairs = [part.split("=", 1)[0] for part in query.split("&") if part]
        return "&".join(f"{key}={FILTERED}" for key in pairs)
    if isinstance(query, list):  # Sentry's [[key, value], ...] form
        return [[pair[0], FILTERED] for pair in query if pair]
    if isinstance(query, dict):
        return dict.fromkeys(query, FILTERED)
    return FILTERED


_DROPPED_HEADERS = {"cookie", "authorization", "x-forwarded-for", "x-real-ip", "forwarded", "referer"}


def _scrub_frames(container: Any) -> None:
    for item in (container or {}).get("values", []) if isinstance(container, dict) else []:
        for frame in (item.get("stacktrace") or {}).get("frames", []):
            if "vars" in frame:
                frame["vars"] = scrub_value(frame["vars"])


def sentry_before_send(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """Sentry's `before_send`: the event without request bodies, cookies, query values, the user's
    e-mail and address, and without the values of personal fields in local variables and `extra`."""
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("data", None)
        request.pop("cookies", None)
        if "query_string" in request:
            request["query_string"] = query_keys_only(request["query_string"])
        if isinstance(request.get("url"), str) and "?" in request["url"]:
            url, query = request["url"].split("?", 1)
            request["url"] = f"{url}?{query_keys_only(query)}"
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {k: v for k, v in headers.items() if k.lower() not in _DROPPED_HEADERS}
        env = request.get("env")
        if isinstance(env, dict):
            env.pop("REMOTE_ADDR", None)
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {key: value for key, value in user.items() if key == "id"}
    for key in ("exception", "threads"):
        _scrub_frames(event.get(key))
    exception = event.get("exception")
    if isinstance(exception, dict):
        for item in exception.get("values", []):
            if isinstance(item.get("value"), str):
                item["value"] = scrub_value(item["value"])
    logentry = event.get("logentry")
    if isinstance(logentry, dict) and "params" in logentry:
        logentry["params"] = scrub_value(logentry["params"])
    if "extra" in event:
        event["extra"] = scrub_value(event["extra"])
    breadcrumbs = event.get("breadcrumbs")
    if isinstance(breadcrumbs, dict):
        for crumb in breadcrumbs.get("values", []):
            if "data" in crumb:
                crumb["data"] = scrub_value(crumb["data"])
    return event


def sentry_init(*, dsn: str, environment: str, **options: Any) -> None:
    """Start Sentry's SDK (settings call this only when SENTRY_DSN is set)."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        # SQL in breadcrumbs carries parameters only with send_default_pii; the bodies are never sent
        max_request_body_size="never",
        before_send=sentry_before_send,
        traces_sample_rate=0.0,
        **options,
    )
