"""Text messages behind one small interface, like Django's e-mail backends; no provider is built in.

`SMS_BACKEND` names a class with `send_messages(messages) -> int`. The default, `ConsoleBackend`, writes
each message to standard output (development); `LocmemBackend` keeps them in `core.sms.outbox` (tests). A
provider's backend is a class of the installation's own, named in the environment.
"""

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


def sms_backend() -> BaseBackend:
    return import_string(settings.SMS_BACKEND)()


def sms_send(*, to: str, body: str) -> int:
    """Send one text message through the configured backend."""
    return sms_backend().send_messages([TextMessage(to=to, body=body)])
