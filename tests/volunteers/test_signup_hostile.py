"""The public sign-up under hostile input past its rate limit (the row in hostile_rows.py reaches the
form only five times an hour: after that every post is answered with the 429 page)."""

from django.test import Client
from django.urls import reverse

from tests.hostile import assert_survives_hostile_input
from volunteers import signup


def test_the_signup_form_itself_survives_hostile_input(db, monkeypatch):
    monkeypatch.setattr(signup, "RATE_LIMIT", 10_000)
    assert_survives_hostile_input(
        client=Client(),
        url=reverse("signup:signup_form"),
        fields={
            "first_name": "text",
            "last_name": "text",
            "email": "email",
            "phone": "text",
            "birth_date": "date",
            "message": "text",
            "consent": "bool",
        },
        fixed={"source": "", "website": ""},
        max_examples=20,
    )
