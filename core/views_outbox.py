from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.models import OutboxMessage
from core.outbox import message_resend
from core.permissions import organisations_with, require


def outbox_message_list_visible(*, user) -> QuerySet[OutboxMessage]:
    """The messages to the people of the organisations in which the user works with messages."""
    return OutboxMessage.objects.filter(
        organisation__in=organisations_with(user=user, perm="core.messages_view")
    )


@require_POST
def message_resend_view(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(outbox_message_list_visible(user=request.user), pk=pk)  # out of scope: 404
    require(user=request.user, perm="core.messages_resend", organisation=message.organisation)
    row = message_resend(message=message, actor=request.user)
    if row.error:
        messages.warning(request, _("The e-mail could not be prepared: %(error)s") % {"error": row.error})
    else:
        messages.success(request, _("The e-mail is queued and will be sent shortly."))
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("core:home")
