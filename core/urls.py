from django.urls import path

from core import views, views_outbox, views_privacy, views_security

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "privacy/access/<slug:app_label>/<slug:model>/<int:pk>/",
        views_privacy.privacy_access,
        name="privacy_access",
    ),
    path(
        "privacy/erase/<slug:app_label>/<slug:model>/<int:pk>/",
        views_privacy.privacy_erase,
        name="privacy_erase",
    ),
    path(
        "privacy/consent/<int:pk>/withdraw/",
        views_privacy.privacy_consent_withdraw,
        name="privacy_consent_withdraw",
    ),
    path("messages/<int:pk>/resend/", views_outbox.message_resend_view, name="message_resend"),
    path("session/keepalive/", views_security.session_keepalive, name="session_keepalive"),
    path("account/two-factor/", views_security.twofactor_setup, name="twofactor_setup"),
    path("account/two-factor/verify/", views_security.twofactor_verify, name="twofactor_verify"),
    path("account/two-factor/disable/", views_security.twofactor_disable, name="twofactor_disable"),
]
