from django.urls import reverse

from core.models import User
from tests.conftest import client_for


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


CASES = {"core.User": exercise_user}
