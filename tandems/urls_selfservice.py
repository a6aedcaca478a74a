"""A volunteer's self-service pages, reached only through their personal link (no login):
see tandems/views_selfservice.py."""

from django.urls import path

from tandems import views_selfservice as views

app_name = "selfservice"
urlpatterns = [
    path("", views.selfservice_request, name="request"),
    path("<str:token>/", views.selfservice_overview, name="overview"),
    path("<str:token>/edit/", views.selfservice_edit, name="edit"),
    path("<str:token>/trainings/", views.selfservice_trainings, name="trainings"),
    path("<str:token>/trainings/register/", views.selfservice_register_view, name="register"),
    path("<str:token>/trainings/cancel/", views.selfservice_cancel_view, name="cancel"),
    path("<str:token>/hours/", views.selfservice_hours, name="hours"),
    path("<str:token>/hours/delete/", views.selfservice_hours_delete, name="hours_delete"),
    path("<str:token>/channels/withdraw/", views.selfservice_channel_withdraw, name="channel_withdraw"),
    path("<str:token>/erasure/", views.selfservice_erasure, name="erasure"),
    path("<str:token>/certificate.pdf", views.selfservice_certificate, name="certificate"),
]
