"""What the application answers when something fails: /healthz in front of everything, the 503 page while the
database cannot be reached, the error pages (none of them needs the database), and Cache-Control for every
response the application renders (docs/architecture.md, "Faults and limits")."""

import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from core.reversing import reverse_cached
from core.views import healthz

logger = logging.getLogger(__name__)

# how long a client is asked to wait before it tries again while the database is away (a restart)
RETRY_AFTER_SECONDS = 30
PRIVATE = "private, no-store"


class HealthzMiddleware:
    """At the front of MIDDLEWARE (only django-csp comes first, which adds its header and nothing else): answers
    /healthz itself, before the session middleware reads the database (a session cookie would turn "database
    down" into a 500), before SecurityMiddleware redirects plain HTTP to https (so SECURE_REDIRECT_EXEMPT is not
    needed) and before CommonMiddleware checks the Host header: the load balancer probes gunicorn directly, over
    HTTP, by address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == reverse_cached("healthz"):
            return healthz(request)
        return self.get_response(request)


class PrivateCacheMiddleware:
    """Every response the application renders is personal (a signed-in user's page, an export, a signed link)
    or carries a form token: `Cache-Control: private, no-store`, so neither a shared computer's browser nor a
    proxy keeps a copy. A view that sets its own Cache-Control keeps it. Placed after WhiteNoise, which answers
    static files (cached for a long time) without passing them here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = PRIVATE
        return response


def database_unreachable(exc: BaseException | None) -> bool:
    """Whether `exc` (or what caused it) is the database not answering: connecting failed, the connection
    broke, or PostgreSQL gave up the statement."""
    for _ in range(5):
        if exc is None:
            return False
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


class DatabaseUnavailableMiddleware:
    """A view that fails because the database is away answers the 503 page with Retry-After. Failures in the
    session and authentication middleware never reach a view; `server_error` (handler500) answers those."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not database_unreachable(exception):
            return None
        logger.warning("database unavailable for %s %s: %s", request.method, request.path, exception)
        return database_unavailable(request)


def _page(template: str, status: int) -> HttpResponse:
    # rendered without the request: no context processor runs, nothing reads the session, the user or the
    # database; the language is the one LocaleMiddleware chose (German when it never ran)
    return HttpResponse(render_to_string(template), status=status)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    response = _page("503.html", 503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = PRIVATE
    return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page("400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page("403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page("404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. Django calls it while the exception is being handled: when the database is away (also
    from inside the session or authentication middleware), the 503 page instead of the 500 page."""
    if database_unreachable(sys.exception()):
        return database_unavailable(request)
    return _page("500.html", 500)
