from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import PasswordResetView
from django.urls import include, path
from django.views.i18n import set_language

from core.forms import OutboxPasswordResetForm
from core.views import healthz, healthz_jobs

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("healthz/jobs", healthz_jobs, name="healthz_jobs"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # the same view and name as in django.contrib.auth.urls, with the e-mail going through the outbox
    path(
        "accounts/password_reset/",
        PasswordResetView.as_view(form_class=OutboxPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("trainings/", include("trainings.urls")),
    path("refugees/", include("refugees.urls")),
    path("volunteers/", include("volunteers.urls")),
    path("signup/", include("volunteers.urls_signup")),
    path("tandems/", include("tandems.urls")),
    path("t/", include("tandems.urls_participant")),  # participants' personal links, no login
    path("s/", include("tandems.urls_selfservice")),  # a volunteer's self-service link, no login
    path("", include("reporting.urls")),  # /dashboard/ and /reports/...
    path("", include("core.urls")),
]

# The error pages need no database (core/faults.py); a 500 caused by the database being away answers 503.
handler400 = "core.faults.bad_request"
handler403 = "core.faults.permission_denied"
handler404 = "core.faults.page_not_found"
handler500 = "core.faults.server_error"
