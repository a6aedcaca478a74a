from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("trainings/", include("trainings.urls")),
    path("refugees/", include("refugees.urls")),
    path("volunteers/", include("volunteers.urls")),
    path("signup/", include("volunteers.urls_signup")),
    path("tandems/", include("tandems.urls")),
    path("", include("reporting.urls")),  # /dashboard/ and /reports/...
    path("", include("core.urls")),
]

# The error pages need no database (core/faults.py); a 500 caused by the database being away answers 503.
handler400 = "core.faults.bad_request"
handler403 = "core.faults.permission_denied"
handler404 = "core.faults.page_not_found"
handler500 = "core.faults.server_error"
