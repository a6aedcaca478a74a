from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from core.forms import ChannelConsentForm
from core.home import home_queues
from core.jobs import daily_jobs_status
from core.permissions import has_perm, memberships
from core.services import channel_consent_change


@require_safe
@never_cache
@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer: 200 when the database answers, 503 when it does not. Answered by
    core.faults.HealthzMiddleware before any other middleware (plain HTTP, any Host, no session)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_GET
@never_cache
@login_not_required
def healthz_jobs(request: HttpRequest) -> HttpResponse:
    """For monitoring, apart from the load balancer's cheap /healthz: 503 with the names of the daily jobs
    that have not succeeded for 48 hours, 200 otherwise. Job names only, never personal data."""
    overdue = [status.job.name for status in daily_jobs_status() if status.is_overdue]
    if overdue:
        return HttpResponse(
            "".join(f"overdue: {name}\n" for name in overdue), status=503, content_type="text/plain"
        )
    return HttpResponse("ok\n", content_type="text/plain")


@require_GET
def jobs_status(request: HttpRequest) -> HttpResponse:
    """The admin's page of the daily jobs: last run, its outcome, next run (reached through the admin site,
    which checks the admin role)."""
    return render(
        request,
        "admin/jobs_status.html",
        {"statuses": daily_jobs_status(), "title": _("Scheduled jobs"), **admin.site.each_context(request)},
    )


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Where each role lands after login: for coordinators and partner coordinators, the day's work."""
    if has_perm(user=request.user, perm="core.admin"):
        return redirect("admin:index")
    if has_perm(user=request.user, perm="reporting.view") and not (
        has_perm(user=request.user, perm="volunteers.view")
        or has_perm(user=request.user, perm="refugees.view_own")
    ):
        return redirect("reporting:dashboard")  # steering and evaluators work with the figures only
    found = memberships(request.user)
    # staff land on their work queues, "mine" unless ?scope=all (any other value means mine);
    # referrers keep the links to their referrals (no section is theirs)
    mine = request.GET.get("scope") != "all"
    return render(
        request,
        "core/home.html",
        {
            "membership": found[0] if found else None,
            "queues": home_queues(user=request.user, mine=mine),
            "mine": mine,
        },
    )


@require_GET
@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links to: send them to the static icon (its
    hashed name in production, so resolved per request)."""
    return redirect(static("favicon.svg"))


def locked_out(request: HttpRequest, credentials: dict | None = None, *args, **kwargs) -> HttpResponse:
    """django-axes calls this once an account has too many failed logins."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


def channel_consent_post(request: HttpRequest, person) -> HttpResponse:
    """Record or withdraw a person's consent to be contacted by e-mail or text message (the volunteer's and
    the household's page post here; the caller has checked the person's scope and the permission)."""
    form = ChannelConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That did not work: please choose a channel and whether consent is given."))
        return redirect(person)
    channel_consent_change(
        person=person,
        channel=form.cleaned_data["channel"],
        given=form.cleaned_data["given"] == "yes",
        actor=request.user,
    )
    messages.success(request, _("The consent to the channel has been recorded."))
    return redirect(person)
