"""A view that fails after reading a refugee's form, for the error report tests."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


class ViewFailed(RuntimeError):
    pass


@login_not_required
def failing_view(request):
    first_name = request.POST.get("first_name")
    health_notes = request.POST.get("health_notes")
    context = {"last_name": request.POST.get("last_name"), "page": 2}
    try:
        # what PostgreSQL says about a unique constraint: it names the value
        raise ValueError(f"DETAIL:  Key (email_key)=({request.POST.get('email')}) already exists.")
    except ValueError as exc:
        raise ViewFailed(
            f"could not save the intake ({len(first_name or '')}, {len(health_notes or '')}, {context['page']}); "
            f"Key (email_key)=({request.POST.get('email')})"
        ) from exc


# the project's own URLs too: the error page links to the start page
urlpatterns = [path("failing/", failing_view), *project_urlpatterns]
