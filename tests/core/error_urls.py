"""A view that fails after reading a refugee's form, for the error report tests."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path


class ViewFailed(RuntimeError):
    pass


@login_not_required
def failing_view(request):
    first_name = request.POST.get("first_name")
    health_notes = request.POST.get("health_notes")
    context = {"last_name": request.POST.get("last_name"), "page": 2}
    raise ViewFailed(
        f"could not save the intake ({len(first_name or '')}, {len(health_notes or '')}, {context['page']})"
    )


urlpatterns = [path("failing/", failing_view)]
