from django.urls import path

from volunteers import views

app_name = "volunteers"
urlpatterns = [
    path("", views.volunteer_list, name="volunteer_list"),
    path("new/", views.volunteer_create_view, name="volunteer_create"),
    path("inbox/", views.volunteer_inbox, name="volunteer_inbox"),
    path("duplicates/", views.volunteer_duplicates, name="volunteer_duplicates"),
    path("import/", views.volunteer_import_upload, name="volunteer_import_upload"),
    path("import/map/", views.volunteer_import_map, name="volunteer_import_map"),
    path("import/cancel/", views.volunteer_import_cancel, name="volunteer_import_cancel"),
    path("messages/new/", views.bulk_message_create_view, name="bulk_message_create"),
    path("messages/<int:pk>/", views.bulk_message_detail, name="bulk_message_detail"),
    path("<int:pk>/", views.volunteer_detail, name="volunteer_detail"),
    path("<int:pk>/edit/", views.volunteer_edit, name="volunteer_edit"),
    path(
        "erasure-requests/<int:pk>/decline/",
        views.erasure_request_decline_view,
        name="erasure_request_decline",
    ),
    path("<int:pk>/channels/", views.volunteer_channel_consent, name="volunteer_channel_consent"),
    path("<int:pk>/status/", views.volunteer_status, name="volunteer_status"),
    path("<int:pk>/status/<int:step_pk>/", views.status_change_edit, name="status_change_edit"),
    path("<int:pk>/interviews/new/", views.interview_create, name="interview_create"),
    path("<int:pk>/interviews/<int:interview_pk>/", views.interview_edit, name="interview_edit"),
    path("<int:pk>/clearances/new/", views.clearance_create, name="clearance_create"),
    path("<int:pk>/anonymise/", views.volunteer_anonymise_view, name="volunteer_anonymise"),
    path("<int:pk>/merge/<int:other_pk>/", views.volunteer_merge_view, name="volunteer_merge"),
]
