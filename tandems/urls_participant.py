"""The participants' pages, reached only through a personal link (no login): see tandems/views_participant.py."""

from django.urls import path

from tandems import views_participant, views_survey

app_name = "participant"
urlpatterns = [
    # before "<token>/help/": a survey link's path has two parts too
    path("survey/<str:token>/", views_survey.participant_survey, name="survey"),
    path("<str:token>/", views_participant.participant_checkin, name="checkin"),
    path("<str:token>/help/", views_participant.participant_help, name="help"),
]
