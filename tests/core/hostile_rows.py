from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.core.permission_rows import _message_to
from tests.factories.core import MembershipFactory
from tests.factories.volunteers import VolunteerFactory
from tests.hostile import HostileRow


def populate(world) -> None:
    world.hostile_volunteer = VolunteerFactory(organisation=world.org)
    # a coordinator of their own with an authenticator app: their login waits for the code
    world.hostile_otp_user = MembershipFactory(organisation=world.fwz, role="coordinator").user
    TOTPDevice.objects.create(user=world.hostile_otp_user, name="authenticator", confirmed=True)
    world.hostile_message = _message_to(world.hostile_volunteer)


ROWS = [
    HostileRow("login", {"username": "text", "password": "text"}, role="anonymous"),
    HostileRow("password_change", {"old_password": "text", "new_password1": "text", "new_password2": "text"}),
    HostileRow("password_reset", {"email": "email"}, role="anonymous"),
    HostileRow("core:twofactor_setup", {"token": "text"}),
    HostileRow(
        "core:message_resend",
        {"next": "text"},
        kwargs=lambda w: {"pk": w.hostile_message.pk},
        note="any address to go back to (only one of ours is followed)",
    ),
    HostileRow("core:twofactor_verify", {"token": "text"}, user=lambda w: w.hostile_otp_user),
    HostileRow(
        "core:privacy_erase",
        {"reason": "text"},
        kwargs=lambda w: {"app_label": "volunteers", "model": "volunteer", "pk": w.hostile_volunteer.pk},
        note="without the confirmation",
    ),
    HostileRow(
        "core:privacy_erase",
        {"confirm": "bool", "reason": "text"},
        kwargs=lambda w: {"app_label": "volunteers", "model": "volunteer", "pk": w.hostile_volunteer.pk},
        note="with any confirmation",
    ),
]
