import datetime

from tandems import services
from tandems.models import CheckIn
from tests.factories.refugees import WaitingRefugeeFactory
from tests.factories.volunteers import ReadyVolunteerFactory

TODAY = datetime.date.today()


def exercise_tandem(world):
    """Proposed, its notes changed, then it does not start and is anonymised."""
    actor = world.users["coordinator"]
    tandem = services.tandem_propose(
        volunteer=ReadyVolunteerFactory(organisation=world.org),
        refugee=WaitingRefugeeFactory(organisation=world.org),
        actor=actor,
    )
    services.tandem_update(tandem=tandem, actor=actor, data={"notes": "Treffen donnerstags"})
    services.tandem_not_started(tandem=tandem, actor=actor, reason="Umzug vor dem ersten Treffen")
    return services.tandem_anonymise(tandem=tandem, actor=actor)


def exercise_checkin(world):
    """A contact logged, corrected, and deleted as logged by mistake."""
    actor = world.users["partner"]
    tandem = services.tandem_propose(
        volunteer=ReadyVolunteerFactory(organisation=world.org),
        refugee=WaitingRefugeeFactory(organisation=world.org),
        actor=actor,
    )
    tandem = services.tandem_introduce(tandem=tandem, actor=actor, introduced_on=TODAY)
    checkin = services.checkin_log(
        tandem=tandem,
        actor=actor,
        data={
            "held_on": TODAY,
            "channel": "phone",
            "contact_with": "both",
            "mood": "green",
            "topics": "Kennenlernen",
        },
    )
    services.checkin_update(checkin=checkin, actor=actor, data={"topics": "Kennenlernen, Wohnungssuche"})
    services.checkin_delete(checkin=CheckIn.objects.get(pk=checkin.pk), actor=actor)
    return checkin


def exercise_hours_log(world):
    """Hours logged by the volunteer (self-service), corrected, and deleted."""
    from tandems import selfservice
    from tests.factories.tandems import ActiveTandemFactory

    tandem = ActiveTandemFactory(organisation=world.org)
    row = selfservice.hours_log_create(
        volunteer=tandem.volunteer,
        data={"tandem": tandem, "spent_on": TODAY, "hours": 2, "note": "Arztbesuch"},
    )
    selfservice.hours_log_update(hours_log=row, data={"hours": 3})
    selfservice.hours_log_delete(volunteer=tandem.volunteer, hours_log_id=row.pk)
    return row


def exercise_exit_conversation(world):
    """An exit conversation recorded at the closure, corrected, then anonymised with its tandem."""
    from core.models import EndReason
    from tests.factories.tandems import ActiveTandemFactory, closure_answers

    actor = world.users["coordinator"]
    tandem = services.tandem_closing_start(tandem=ActiveTandemFactory(organisation=world.org), actor=actor)
    row = services.exit_conversation_record(
        tandem=tandem, actor=actor, side="volunteer", held_on=TODAY, channel="phone", notes="Dankbar"
    )
    services.exit_conversation_update(conversation=row, actor=actor, data={"notes": "Dankbar, möchte weiter"})
    tandem = services.tandem_end(
        tandem=tandem,
        actor=actor,
        ended_on=TODAY,
        end_reason=EndReason.objects.get(code="self-reliant"),
        volunteer_wants_new=False,
        refugee_needs_new=False,
        **closure_answers(),
    )
    services.tandem_anonymise(tandem=tandem, actor=actor)
    row.refresh_from_db()
    assert row.notes == ""
    return row


CASES = {
    "tandems.ExitConversation": exercise_exit_conversation,
    "tandems.Tandem": exercise_tandem,
    "tandems.CheckIn": exercise_checkin,
    "tandems.HoursLog": exercise_hours_log,
}
