"""Optional two-factor login with an authenticator app (TOTP, django-otp).

After the password, a user with a confirmed device is asked for a code before anything else
(`core.middleware.TwoFactorMiddleware` holds every other page back). When the admin's
`SecurityPolicy` names the user's role, a user without a device has to set one up first. Both are decided
once at login and kept in the session, so ordinary requests cost no extra query."""

from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.audit import audit_record
from core.models import SecurityPolicy, User
from core.permissions import role_of

PENDING_KEY = "tenk_two_factor"
VERIFY = "verify"
SETUP = "setup"
DEVICE_NAME = "authenticator"


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def two_factor_required(user: User) -> bool:
    return role_of(user) in SecurityPolicy.current().two_factor_roles


@receiver(user_logged_in, dispatch_uid="tenk_two_factor_on_login")
def _two_factor_on_login(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    if confirmed_device(user) is not None:
        session[PENDING_KEY] = VERIFY
    elif two_factor_required(user):
        session[PENDING_KEY] = SETUP
    else:
        session.pop(PENDING_KEY, None)


def pending_step(request: HttpRequest) -> str | None:
    return request.session.get(PENDING_KEY) if hasattr(request, "session") else None


def two_factor_passed(request: HttpRequest, device: TOTPDevice) -> None:
    """The second factor is done for this session."""
    from django_otp import login as otp_login

    otp_login(request, device)
    request.session.pop(PENDING_KEY, None)


@transaction.atomic
def two_factor_device_start(*, user: User) -> TOTPDevice:
    """The unconfirmed device (a new secret) the user scans; kept until confirmed or replaced."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def two_factor_device_confirm(*, device: TOTPDevice, token: str, actor: User) -> bool:
    """Confirm a new device with a first code from the app; it replaces any earlier device."""
    row = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not row.verify_token(token):
        return False
    row.confirmed = True
    row.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=row.user).exclude(pk=row.pk).delete()
    audit_record(actor=actor, action="core.twofactor.enabled", obj=row.user)
    return True


@transaction.atomic
def two_factor_disable(*, user: User, actor: User) -> None:
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    if deleted:
        audit_record(actor=actor, action="core.twofactor.disabled", obj=user)


def secret_for_display(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_code_svg(device: TOTPDevice, title: str) -> str:
    """The otpauth:// link as an inline SVG QR code (no script, no external image)."""
    import segno

    return segno.make(device.config_url, error="m").svg_inline(scale=5, title=title, border=2)
