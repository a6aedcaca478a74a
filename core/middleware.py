from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import urlencode

from core.twofactor import SETUP, VERIFY, pending_step

# what a user may reach while the second factor is still due
OPEN_DURING_VERIFY = {"core:twofactor_verify", "logout", "set_language", "healthz"}
OPEN_DURING_SETUP = {"core:twofactor_setup", "logout", "set_language", "healthz"}


class TwoFactorMiddleware:
    """Holds every page back until a signed-in user has entered their code (or set up an app where the
    security policy requires one). Put after the session, authentication and message middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if not getattr(request, "user", None) or not request.user.is_authenticated:
            return None
        step = pending_step(request)
        if step not in {VERIFY, SETUP}:
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        allowed = OPEN_DURING_VERIFY if step == VERIFY else OPEN_DURING_SETUP
        if name in allowed:
            return None
        target = "core:twofactor_verify" if step == VERIFY else "core:twofactor_setup"
        response = redirect(target)
        if request.method == "GET":
            response["Location"] += "?" + urlencode({"next": request.get_full_path()})
        return response
