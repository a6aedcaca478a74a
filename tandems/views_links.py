"""Staff actions on the participants' side of a tandem: revoke a person's personal links, mark a request for
help as handled. Both are POSTs on the tandem page; out of scope answers 404, not allowed 403."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.audit import audit_record
from core.links import link_is_open, links_about, links_revoke
from core.models import ParticipantLink
from core.outbox import CHANNEL_SMS, link_channel
from core.permissions import permission_required, require
from tandems.models import HelpRequest, Tandem
from tandems.participants import help_request_handle
from tandems.selectors import tandem_list_visible
from tandems.selfservice import selfservice_link_send
from volunteers.selectors import volunteer_list_visible

SIDES = ("volunteer", "household")


def _tandem_for_change(request: HttpRequest, pk: int) -> Tandem:
    tandem = get_object_or_404(tandem_list_visible(user=request.user), pk=pk)
    require(user=request.user, perm="tandems.change", organisation=tandem.organisation)
    return tandem


def participant_links_of(tandem: Tandem) -> dict[str, dict]:
    """Per side: the person's links about this tandem still open, the last one sent, and the channel a new
    link would go by ("" when none: no consent to a channel with an address for it). All links about the
    tandem are read in one query (newest first) and split by person here: a tandem has a few dozen."""
    now = timezone.now()
    links = list(links_about(tandem).select_related("person_type"))
    result = {}
    for side, person in (("volunteer", tandem.volunteer), ("household", tandem.refugee)):
        rows = [
            link
            for link in links
            if link.person_id == person.pk and link.person_type.model == person._meta.model_name
        ]
        result[side] = {
            "open": sum(1 for link in rows if link_is_open(link, now=now)),
            "last": rows[0] if rows else None,
            "channel": link_channel(person),
        }
    return result


@require_POST
@permission_required("tandems.view")
def participant_links_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    tandem = _tandem_for_change(request, pk)
    side = request.POST.get("side", "")
    if side not in SIDES:
        messages.error(request, _("Please choose whose links to revoke."))
        return redirect(tandem)
    person = tandem.volunteer if side == "volunteer" else tandem.refugee
    rows = links_about(tandem).filter(person_id=person.pk, person_type__model=person._meta.model_name)
    with transaction.atomic():
        count = links_revoke(
            links=ParticipantLink.objects.filter(pk__in=rows.values("pk")), actor=request.user
        )
        if count:
            audit_record(
                actor=request.user,
                action="tandems.participantlinks.revoked",
                obj=tandem,
                changes={"side": [None, side], "links": [None, count]},
            )
    messages.success(
        request,
        ngettext("%(count)d personal link revoked.", "%(count)d personal links revoked.", count)
        % {"count": count}
        if count
        else _("There was no link that still works."),
    )
    return redirect(tandem)


@require_POST
@permission_required("tandems.view")
def help_request_handled(request: HttpRequest, pk: int, help_pk: int) -> HttpResponse:
    tandem = _tandem_for_change(request, pk)
    help_request = get_object_or_404(HelpRequest, pk=help_pk, tandem=tandem)
    help_request_handle(help_request=help_request, actor=request.user)
    messages.success(request, _("The request for help is marked as handled."))
    return redirect(tandem)


@require_POST
@permission_required("volunteers.view")
def selfservice_link_send_view(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Link zur Selbstauskunft senden" on the volunteer page: a new self-service link by e-mail."""
    volunteer = get_object_or_404(volunteer_list_visible(user=request.user), pk=pk)
    require(user=request.user, perm="volunteers.change", organisation=volunteer.organisation)
    channel = selfservice_link_send(volunteer=volunteer, actor=request.user)
    if channel == CHANNEL_SMS:
        messages.success(request, _("The link to the self-service pages is on its way by text message."))
    elif channel:
        messages.success(request, _("The link to the self-service pages is on its way by e-mail."))
    else:
        messages.error(
            request,
            _(
                "No link sent: the person has consented neither to e-mails with an address nor to text "
                "messages with a mobile number (see the person page, “Contact for personal links”)."
            ),
        )
    return redirect(volunteer)
