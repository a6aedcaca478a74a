from django.urls import path

from trainings import views

app_name = "trainings"
urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("new/", views.session_create, name="session_create"),
    path("waiting-for-basic/", views.basic_waiting_list, name="basic_waiting_list"),
    path("calendar.ics", views.calendar_feed, name="calendar_feed"),
    path("calendar/link/", views.calendar_token_regenerate, name="calendar_token_regenerate"),
    path("calendar/<str:token>.ics", views.calendar_token_feed, name="calendar_token_feed"),
    path("<int:pk>/", views.session_detail, name="session_detail"),
    path("<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("<int:pk>/registrations/", views.registration_create, name="registration_create"),
    path("<int:pk>/registrations/search/", views.registration_search, name="registration_search"),
    path("<int:pk>/register/", views.session_register, name="session_register"),
    path("<int:pk>/attendance/", views.session_attendance, name="session_attendance"),
    path("<int:pk>/invite/", views.session_invite, name="session_invite"),
    path("registrations/<int:pk>/delete/", views.registration_delete, name="registration_delete"),
    path("registrations/<int:pk>/attendance/", views.registration_attendance, name="registration_attendance"),
]
