"""Optional two-factor login (TOTP): set-up, the code after the password, and the admin's policy."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.audit import audit_entries_for
from core.models import SecurityPolicy
from core.twofactor import PENDING_KEY

PASSWORD = "correct horse battery"


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    if offset:
        value = totp(
            device.bin_key, step=device.step, t0=device.t0 - offset * device.step, digits=device.digits
        )
    return f"{value:06d}"


def _login(client, user) -> None:
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def device(coordinator) -> TOTPDevice:
    return TOTPDevice.objects.create(user=coordinator, name="authenticator", confirmed=True)


def test_setup_shows_a_qr_code_and_confirms_with_a_code(client, coordinator, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no waiting after the wrong code below
    client.force_login(coordinator)
    page = client.get(reverse("core:twofactor_setup"))
    assert page.status_code == 200
    assert "<svg" in page.text and "otpauth" not in page.text, "the link is only in the QR code"
    device = TOTPDevice.objects.get(user=coordinator)
    assert not device.confirmed
    wrong = client.post(
        reverse("core:twofactor_setup"), {"token": "000000" if code_for(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    ok = client.post(reverse("core:twofactor_setup"), {"token": code_for(device)})
    assert ok.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert audit_entries_for(coordinator).filter(action="core.twofactor.enabled").exists()
    assert "Zwei-Faktor-Anmeldung ist eingeschaltet" in client.get(reverse("core:twofactor_setup")).text


def test_login_with_a_device_asks_for_the_code_before_anything_else(client, coordinator, device):
    _login(client, coordinator)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("core:twofactor_verify"))
    assert client.get(reverse("core:session_keepalive")).status_code == 302
    verify = client.get(response.url)
    assert verify.status_code == 200
    assert client.post(response.url, {"token": "12"}).status_code == 200, "a malformed code is refused"
    done = client.post(response.url, {"token": code_for(device)})
    assert done.status_code == 302 and done.url == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200
    assert PENDING_KEY not in client.session


def test_a_used_code_cannot_be_replayed(client, coordinator, device):
    _login(client, coordinator)
    token = code_for(device)
    assert client.post(reverse("core:twofactor_verify"), {"token": token}).status_code == 302
    client.post(reverse("logout"))
    _login(client, coordinator)
    response = client.post(reverse("core:twofactor_verify"), {"token": token})
    assert response.status_code == 200, "the same code twice is refused"


def test_wrong_codes_are_throttled(client, coordinator, device):
    _login(client, coordinator)
    good = code_for(device)
    bad = "000000" if good != "000000" else "111111"
    for _attempt in range(3):
        client.post(reverse("core:twofactor_verify"), {"token": bad})
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1, "attempts while throttled are not even checked"
    response = client.post(reverse("core:twofactor_verify"), {"token": good})
    assert response.status_code == 200, "while throttled even the right code waits"
    assert "Zu viele falsche Codes" in response.text


def test_logging_out_is_possible_during_the_second_step(client, coordinator, device):
    _login(client, coordinator)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("core:home")).url.startswith(reverse("login"))


def test_policy_forces_the_set_up_for_a_role(client, coordinator, partner):
    policy = SecurityPolicy.current()
    policy.two_factor_roles = ["coordinator"]
    policy.save()
    _login(client, coordinator)
    response = client.get(reverse("core:home"))
    assert response.url.startswith(reverse("core:twofactor_setup"))
    page = client.get(response.url)
    assert "Ihre Rolle muss die Zwei-Faktor-Anmeldung nutzen" in page.text
    device = TOTPDevice.objects.get(user=coordinator)
    client.post(reverse("core:twofactor_setup") + "?next=/", {"token": code_for(device)})
    assert client.get(reverse("core:home")).status_code == 200
    assert client.post(reverse("core:twofactor_disable")).status_code == 302
    assert TOTPDevice.objects.filter(user=coordinator, confirmed=True).exists(), (
        "required: cannot be switched off"
    )
    other = client.__class__()
    _login(other, partner)
    assert other.get(reverse("core:home")).status_code == 200, "other roles are not asked"


def test_disable_when_not_required(client, coordinator, device):
    client.force_login(coordinator)
    client.session  # noqa: B018  (force_login with a device leaves the code step pending)
    session = client.session
    session.pop(PENDING_KEY, None)
    session.save()
    assert client.post(reverse("core:twofactor_disable")).status_code == 302
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert audit_entries_for(coordinator).filter(action="core.twofactor.disabled").exists()


def test_next_is_kept_but_only_on_this_site(client, coordinator, device):
    _login(client, coordinator)
    url = reverse("core:twofactor_verify") + "?next=https://evil.example/"
    response = client.post(url, {"token": code_for(device)})
    assert response.url == "/"


def test_admin_pages_wait_for_the_code_too(client, admin_user):
    TOTPDevice.objects.create(user=admin_user, name="authenticator", confirmed=True)
    _login(client, admin_user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("core:twofactor_verify"))


def test_time_drift_of_one_step_is_accepted(client, coordinator, device):
    _login(client, coordinator)
    # the default tolerance of one step covers a phone clock 30 s behind
    response = client.post(reverse("core:twofactor_verify"), {"token": code_for(device, offset=1)})
    assert response.status_code == 302
