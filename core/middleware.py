import datetime
import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import urlencode

from core.twofactor import SETUP, VERIFY, pending_step

# where Django's session keeps an end set with set_expiry()
EXPIRY_KEY = "_session_expiry"

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


def client_address(request: HttpRequest) -> str | None:
    """The address of the client, as the failed-login lockout (AXES_CLIENT_IP_CALLABLE) and the sign-up rate
    limit count it: REMOTE_ADDR, or, behind PROXIES_IN_FRONT reverse proxies that each add the address they saw
    to X-Forwarded-For (nginx: `$proxy_add_x_forwarded_for`), the entry the outermost proxy added. Entries
    further left are whatever the client wrote itself and are never trusted."""
    proxies = settings.PROXIES_IN_FRONT
    if proxies:
        entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
        if len(entries) >= proxies:
            try:
                return str(ipaddress.ip_address(entries[-proxies]))
            except ValueError:
                pass  # not an address: a proxy set up differently than PROXIES_IN_FRONT says
    return request.META.get("REMOTE_ADDR") or None


class SessionRenewalMiddleware:
    """Keeps the idle timeout (SESSION_COOKIE_AGE) without writing the session on every request.

    The session holds its own end (`set_expiry` with a date, stored in the session data that is loaded
    anyway, so checking it costs no query). After each request the end is moved to now + SESSION_COOKIE_AGE
    only when it has fallen behind by more than SESSION_RENEW_SECONDS, so a user writes their session at most
    once a minute instead of on every request; a session changed for another reason always gets the fresh
    end, and the keep-alive forces one. The session ends 30 minutes after the last renewal, i.e. between
    29 and 30 minutes after the last request. Put after SessionMiddleware (and before anything that reads
    the session's end); it replaces SESSION_SAVE_EVERY_REQUEST."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response  # no session (or one just flushed by logout): nothing to keep alive
        now = timezone.now()
        fresh = now + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
        stored = session.get(EXPIRY_KEY)  # loads the session if nothing did (one query, as before)
        if session.session_key is None and not session.modified:
            return response  # a cookie of a session that is gone: never create one for it
        behind = settings.SESSION_RENEW_SECONDS
        if (
            session.modified
            or not isinstance(stored, str)
            or fresh - datetime.datetime.fromisoformat(stored) > datetime.timedelta(seconds=behind)
        ):
            session.set_expiry(fresh)
        return response
