"""The closing of a tandem (issue #20): start it, record the exit conversations with each side; the end step
itself is `tandems.views.tandem_end`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.permissions import permission_required, require
from tandems import services
from tandems.forms import ExitConversationForm
from tandems.models import STEP_FROM
from tandems.selectors import tandem_list_visible


def _tandem_for_change(request: HttpRequest, pk: int):
    tandem = get_object_or_404(tandem_list_visible(user=request.user), pk=pk)  # not in scope: 404
    require(user=request.user, perm="tandems.change", organisation=tandem.organisation)  # not allowed: 403
    return tandem


@require_POST
@permission_required("tandems.view")
def tandem_closing_start(request: HttpRequest, pk: int) -> HttpResponse:
    tandem = _tandem_for_change(request, pk)
    try:
        services.tandem_closing_start(tandem=tandem, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(tandem)
    messages.success(request, _("Closing has started. Record the exit conversation with each side."))
    return redirect("tandems:tandem_closing", pk=tandem.pk)


@require_http_methods(["GET", "POST"])
@permission_required("tandems.view")
def tandem_closing(request: HttpRequest, pk: int) -> HttpResponse:
    """The closing page: the exit conversations held so far, the form for the next one, the way to the end."""
    tandem = _tandem_for_change(request, pk)
    form = ExitConversationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.exit_conversation_record(tandem=tandem, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The exit conversation has been recorded."))
            return redirect("tandems:tandem_closing", pk=tandem.pk)
    return render(
        request,
        "tandems/tandem_closing.html",
        {
            "tandem": tandem,
            "form": form,
            "conversations": list(tandem.exit_conversations.select_related("recorded_by")),
            "can_record": tandem.status in STEP_FROM["closing"],
            "can_end": tandem.status in STEP_FROM["end"],
        },
    )
