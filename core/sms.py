"""Text messages behind one small interface, like Django's e-mail backends; no provider is built in.

`SMS_BACKEND` names a class with `send_messages(messages) -> int`. The default, `ConsoleBackend`, writes
each message to standard output (development); `LocmemBackend` keeps them in `core.sms.outbox` (tests). A
provider's backend is a class of the installation's own, named in the environment.
"""

import re
import sys
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class TextMessage:
    to: str  # the number as the person gave it
    body: str


class BaseBackend:
    def send_messages(self, messages: list[TextMessage]) -> int:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    def send_messages(self, messages: list[TextMessage]) -> int:
        for message in messages:
            sys.stdout.write(f"SMS to {message.to}:\n{message.body}\n{'-' * 40}\n")
        return len(messages)


outbox: list[TextMessage] = []


class LocmemBackend(BaseBackend):
    def send_messages(self, messages: list[TextMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


# German mobile numbers start with 015, 016 or 017 (+49 15…, 0049 15…); a number with another country
# code is taken as given (the person gave it as the number to text). Landlines get no text message.
_GERMAN_MOBILE = re.compile(r"^(?:\+49|0049|0)(1[5-7]\d{7,10})$")
_FOREIGN = re.compile(r"^(?:\+|00)([1-9]\d{7,14})$")


def mobile_number(phone: str | None) -> str:
    """The number in international form (+49…) when `phone` can take a text message, else ""."""
    digits = re.sub(r"[\s()/.-]", "", phone or "")
    german = _GERMAN_MOBILE.match(digits)
    if german:
        return f"+49{german.group(1)}"
    foreign = _FOREIGN.match(digits)
    if foreign and not foreign.group(1).startswith("49"):
        return f"+{foreign.group(1)}"
    return ""


def sms_backend() -> BaseBackend:
    return import_string(settings.SMS_BACKEND)()


def sms_send(*, to: str, body: str) -> int:
    """Send one text message through the configured backend."""
    return sms_backend().send_messages([TextMessage(to=to, body=body)])
