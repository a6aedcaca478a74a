"""Session keep-alive and the two-factor login pages."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import TokenForm
from core.twofactor import (
    SETUP,
    VERIFY,
    confirmed_device,
    pending_step,
    qr_code_svg,
    secret_for_display,
    two_factor_device_confirm,
    two_factor_device_start,
    two_factor_disable,
    two_factor_passed,
    two_factor_required,
)


@require_GET
@never_cache
def session_keepalive(request: HttpRequest) -> HttpResponse:
    """The timeout warning's button: always renews the session (other requests renew it at most once a
    minute, core.middleware.SessionRenewalMiddleware)."""
    request.session.modified = True
    return HttpResponse(status=204)


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    # only a path: redirect() would take any other word for a URL name and fail with a 500
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


@require_http_methods(["GET", "POST"])
@never_cache
def twofactor_setup(request: HttpRequest) -> HttpResponse:
    device = confirmed_device(request.user)
    if device is not None and pending_step(request) != VERIFY:
        return render(
            request,
            "registration/twofactor_status.html",
            {"device": device, "required": two_factor_required(request.user)},
        )
    new_device = two_factor_device_start(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not new_device.verify_is_allowed()[0]:
            form.add_error("token", _("Too many wrong codes. Please wait a moment and try again."))
        elif two_factor_device_confirm(
            device=new_device, token=form.cleaned_data["token"], actor=request.user
        ):
            new_device.refresh_from_db()
            two_factor_passed(request, new_device)
            messages.success(
                request, _("Two-factor login is on. From now on you enter a code after your password.")
            )
            return redirect(_next_url(request))
        else:
            form.add_error(
                "token", _("This code is not right. Please check the time on your phone and try again.")
            )
    return render(
        request,
        "registration/twofactor_setup.html",
        {
            "form": form,
            "qr_svg": qr_code_svg(new_device, title=str(_("QR code for your authenticator app"))),
            "secret": secret_for_display(new_device),
            "is_forced": pending_step(request) == SETUP,
            "next": _next_url(request),
        },
    )


@require_POST
def twofactor_disable(request: HttpRequest) -> HttpResponse:
    if two_factor_required(request.user):
        messages.error(request, _("Your role must use two-factor login; it cannot be switched off."))
    else:
        two_factor_disable(user=request.user, actor=request.user)
        messages.success(request, _("Two-factor login is off."))
    return redirect("core:twofactor_setup")


@require_http_methods(["GET", "POST"])
@never_cache
def twofactor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of the login: the code from the app."""
    if pending_step(request) != VERIFY:
        return redirect(_next_url(request))
    device = confirmed_device(request.user)
    if device is None:  # removed by an admin in the meantime
        request.session.pop("tenk_two_factor", None)
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _data = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", _("Too many wrong codes. Please wait a moment and try again."))
        elif device.verify_token(form.cleaned_data["token"]):
            two_factor_passed(request, device)
            return redirect(_next_url(request))
        else:
            form.add_error(
                "token", _("This code is not right. Please check the time on your phone and try again.")
            )
    return render(request, "registration/twofactor_verify.html", {"form": form, "next": _next_url(request)})
