from django.urls import path

from tandems import views, views_closure, views_links

app_name = "tandems"
urlpatterns = [
    path("", views.tandem_list, name="tandem_list"),
    path("suggest/", views.tandem_suggest, name="tandem_suggest"),
    path("propose/", views.tandem_propose_view, name="tandem_propose"),
    path("release/", views.volunteer_release, name="volunteer_release"),
    path("batch/", views.tandem_batch, name="tandem_batch"),
    path("batch/run/", views.tandem_batch_run, name="tandem_batch_run"),
    path("batch/explain/", views.tandem_batch_explain, name="tandem_batch_explain"),
    path("caseload/", views.caseload, name="caseload"),
    path("caseload/handover/", views.caseload_handover, name="caseload_handover"),
    path("<int:pk>/", views.tandem_detail, name="tandem_detail"),
    path("<int:pk>/edit/", views.tandem_edit, name="tandem_edit"),
    path("<int:pk>/introduce/", views.tandem_introduce, name="tandem_introduce"),
    path("<int:pk>/agreement/", views.tandem_agreement, name="tandem_agreement"),
    path("<int:pk>/agreement/send/", views.tandem_agreement_send, name="tandem_agreement_send"),
    path("<int:pk>/start/", views.tandem_start, name="tandem_start"),
    path("<int:pk>/end/", views.tandem_end, name="tandem_end"),
    path("<int:pk>/closing/", views_closure.tandem_closing, name="tandem_closing"),
    path("<int:pk>/closing/start/", views_closure.tandem_closing_start, name="tandem_closing_start"),
    path("<int:pk>/not-started/", views.tandem_not_started, name="tandem_not_started"),
    path("<int:pk>/checkins/new/", views.checkin_create, name="checkin_create"),
    path("<int:pk>/checkins/<int:checkin_pk>/delete/", views.checkin_delete_view, name="checkin_delete"),
    path("<int:pk>/links/revoke/", views_links.participant_links_revoke, name="participant_links_revoke"),
    path(
        "volunteers/<int:pk>/self-service-link/",
        views_links.selfservice_link_send_view,
        name="selfservice_link_send",
    ),
    path(
        "<int:pk>/help/<int:help_pk>/handled/", views_links.help_request_handled, name="help_request_handled"
    ),
]
