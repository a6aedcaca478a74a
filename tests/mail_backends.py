"""E-mail backends for the outbox tests: a mail server that fails, one that fails once, a slow one."""

import smtplib
import threading
import time

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FailingBackend(LocmemBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class FailOnceBackend(LocmemBackend):
    failures_left = 1
    _lock = threading.Lock()

    def send_messages(self, messages):
        with self._lock:
            if FailOnceBackend.failures_left > 0:
                FailOnceBackend.failures_left -= 1
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class SlowBackend(LocmemBackend):
    """Takes long enough for a second worker to reach the same message while the first one sends it."""

    def send_messages(self, messages):
        time.sleep(0.5)
        return super().send_messages(messages)
