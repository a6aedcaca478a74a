from functools import wraps

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from core.permissions import has_perm


class TenkAdminSite(admin.AdminSite):
    site_header = _("10.000 Freunde – administration")
    site_title = _("10.000 Freunde")
    index_title = _("Users, organisations and reference data")

    def has_permission(self, request):
        return request.user.is_active and has_perm(user=request.user, perm="core.admin")

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def guarded(request, *args, **kwargs):
            # the same answers as everywhere else: anonymous to the login page, other roles 403
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return guarded

    def get_urls(self):
        from django.urls import path

        from core.views import jobs_status

        return [path("jobs/", self.admin_view(jobs_status), name="jobs_status"), *super().get_urls()]

    def login(self, request, extra_context=None):
        # one login page for everybody; a signed-in user without the admin role is refused, not asked again
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.get_full_path())
