from django.urls import path

from refugees import views

app_name = "refugees"
urlpatterns = [
    path("", views.refugee_list, name="refugee_list"),
    path("waiting/", views.refugee_waiting_list, name="refugee_waiting_list"),
    path("new/", views.refugee_create, name="refugee_create"),
    path("consent-text/", views.consent_text, name="consent_text"),
    path("<int:pk>/", views.refugee_detail, name="refugee_detail"),
    path("<int:pk>/edit/", views.refugee_edit, name="refugee_edit"),
    path("<int:pk>/intake/", views.refugee_intake, name="refugee_intake"),
    path("<int:pk>/close/", views.refugee_close_view, name="refugee_close"),
    path("<int:pk>/anonymise/", views.refugee_anonymise_view, name="refugee_anonymise"),
    path(
        "<int:pk>/consents/<int:consent_pk>/withdraw/",
        views.refugee_consent_withdraw_view,
        name="refugee_consent_withdraw",
    ),
    path("<int:pk>/channels/", views.refugee_channel_consent, name="refugee_channel_consent"),
    path("<int:pk>/notes/", views.referral_note_add, name="referral_note_add"),
    path("notes/<int:pk>/edit/", views.referral_note_edit, name="referral_note_edit"),
    path("notes/<int:pk>/delete/", views.referral_note_remove, name="referral_note_delete"),
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
]
