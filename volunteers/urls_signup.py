"""The public pages under /signup/ (no login)."""

from django.urls import path

from volunteers import signup

app_name = "signup"
urlpatterns = [
    path("", signup.signup_form, name="signup_form"),
    path("thanks/", signup.signup_done, name="signup_done"),
    path("privacy/", signup.signup_privacy, name="signup_privacy"),
    path("confirm/<str:token>/", signup.signup_confirm, name="signup_confirm"),
]
