from django.urls import reverse

from core.models import MessageState, OutboxMessage, User
from core.outbox import message_queue, message_resend
from core.services import personal_data_anonymise
from tests.conftest import client_for
from tests.factories.volunteers import VolunteerFactory


def exercise_user(world):
    """Users are kept in the admin: create, change and delete one there."""
    client = client_for(world.users["admin"])
    client.post(
        reverse("admin:core_user_add"),
        {
            "username": "neu",
            "password1": "Sehr-geheim-2026",
            "password2": "Sehr-geheim-2026",
            "usable_password": "true",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    user = User.objects.get(username="neu")
    client.post(
        reverse("admin:core_user_change", args=[user.pk]),
        {
            "username": "neu",
            "first_name": "Nele",
            "last_name": "Neumann",
            "email": "nele@example.org",
            "is_active": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    client.post(reverse("admin:core_user_delete", args=[user.pk]), {"post": "yes"})
    return user


def exercise_outbox_message(world):
    """Queued (created), resent after a failure (changed), anonymised by the retention rule."""
    volunteer = VolunteerFactory(organisation=world.org)
    message = message_queue(
        template="volunteers/email/signup_confirm",
        to=volunteer,
        actor=world.users["coordinator"],
        context={"first_name": volunteer.first_name, "link": "https://example.org/", "days": 7},
    ).message
    OutboxMessage.objects.filter(pk=message.pk).update(state=MessageState.FAILED, error="SMTP down")
    message_resend(message=OutboxMessage.objects.get(pk=message.pk), actor=world.users["coordinator"])
    personal_data_anonymise(obj=message, actor=None)
    assert OutboxMessage.objects.get(pk=message.pk).to_address == ""
    return message


CASES = {"core.User": exercise_user, "core.OutboxMessage": exercise_outbox_message}
