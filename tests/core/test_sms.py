"""Text messages go through the backend named in SMS_BACKEND (core/sms.py); no provider is built in."""

from core import sms


def test_the_configured_backend_sends(settings):
    settings.SMS_BACKEND = "core.sms.LocmemBackend"
    sms.outbox.clear()
    assert sms.sms_send(to="0511 123456", body="Wie läuft Ihr Tandem?") == 1
    assert sms.outbox == [sms.TextMessage(to="0511 123456", body="Wie läuft Ihr Tandem?")]


def test_the_console_backend_is_the_default_and_prints(settings, capsys):
    assert settings.SMS_BACKEND == "core.sms.ConsoleBackend"
    sms.sms_send(to="0511 654321", body="Hallo")
    assert "SMS to 0511 654321:\nHallo" in capsys.readouterr().out
