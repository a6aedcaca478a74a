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
