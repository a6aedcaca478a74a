"""Typed settings from the environment. Each helper fails loudly on a value it cannot read."""

import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is not None and raw.lower() not in {"true", "false"}:
        raise ImproperlyConfigured(f"{name} must be 'true' or 'false', got {raw!r}")
    return default if raw is None else raw.lower() == "true"


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, default: str | None = None) -> str:
    """The value of NAME, or the content of the file named in NAME_FILE (Docker and systemd secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} cannot be read: {exc}") from None
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"{name} (or {name}_FILE) must be set")
    return value


def env_admins(name: str) -> list[tuple[str, str]]:
    """People as `Name <address>, Other <address>`: Django's ADMINS (who gets the error e-mails).

    Each item needs a name and an address with an @ in angle brackets; a bare address or a stray comma is
    refused rather than silently leaving errors unread."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return []
    people = []
    for item in raw.split(","):
        item = item.strip()
        match = _PERSON.fullmatch(item)
        if match is None or not match["name"].strip():
            raise ImproperlyConfigured(
                f"{name} must read 'Name <address>, Other <address>', cannot read {item!r} in {raw!r}"
            )
        people.append((match["name"].strip(), match["address"]))
    return people


_PERSON = re.compile(r"(?P<name>[^<>@]+)<(?P<address>[^<>@\s]+@[^<>@\s]+)>")
