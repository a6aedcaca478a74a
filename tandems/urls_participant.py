"""The participants' pages, reached only through a personal link (no login): see tandems/views_participant.py."""

from django.urls import path

from tandems import views_participant

app_name = "participant"
urlpatterns = [
    path("<str:token>/", views_participant.participant_checkin, name="checkin"),
    path("<str:token>/help/", views_participant.participant_help, name="help"),
]
