"""Demo tandems in every state, with check-ins, on top of the demo volunteers and refugees.

Refugees in a tandem get an active (or just introduced) tandem, closed ones an ended tandem, some waiting
ones a proposed tandem or an earlier one that ended or did not start. Volunteers in an open tandem become
active, "active" volunteers without one go back to trained, so the statuses agree with the tandems.
`small`: about 100 tandems; `city`: 5,000 tandems and 60,000 check-ins, written with COPY (`core.demo`).
Idempotent: once the target count of tandems exists, a second run changes nothing.
"""

import datetime
import random
from collections import Counter, defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from core.demo import DemoHistory, copy_insert, copy_rows, count_for
from core.models import EndReason, Organisation, OrganisationKind, User
from refugees.models import Refugee, RefugeeStatus
from tandems.models import (
    OPEN_STATUSES,
    Channel,
    CheckIn,
    CheckInBy,
    CheckInCadence,
    ContactWith,
    ExitConversation,
    HelpRequest,
    HoursLog,
    IntegrationOutcome,
    Met,
    Tandem,
    TandemClosure,
    TandemStatus,
    VolunteerRelease,
)
from tandems.models_survey import SURVEY_SIDES, SURVEY_WAVES, SurveyAnswer, SurveyResponse
from tandems.services import next_checkin_on
from tandems.survey import add_months, survey_items
from volunteers.models import Volunteer, VolunteerStatus

SIZES = {"small": (100, 700), "city": (5_000, 60_000)}  # tandems, check-ins
MOODS = (["green"] * 15) + (["yellow"] * 4) + ["red"]
CHANNELS = ["phone", "phone", "meeting", "meeting", "email", "messenger", "video"]
WITH = ["both", "both", "volunteer", "refugee"]
TOPICS = [
    "Wohnungssuche besprochen, Unterlagen für das Jobcenter sortiert.",
    "Gemeinsamer Besuch in der Stadtbibliothek, Deutschkurs gesucht.",
    "Kita-Anmeldung vorbereitet; Termin beim Bürgeramt steht.",
    "Treffen klappen regelmäßig, beide sind zufrieden.",
    "Terminabsprachen schwierig, Pate hat wenig Zeit.",
    "Bewerbung für ein Praktikum geschrieben.",
    "Sportverein gefunden, erstes Training besucht.",
    "Missverständnis wegen eines Termins geklärt.",
]
NOT_STARTED = [
    "Familie ist vor dem ersten Treffen umgezogen.",
    "Ehrenamtliche Person hat kurzfristig abgesagt.",
    "Kein gemeinsamer Termin gefunden.",
    "Die Person wünscht doch keine Begleitung.",
]
CLOSING = [
    "Abschlussgespräch mit beiden geführt; Ziel erreicht, man bleibt privat in Kontakt.",
    "Abschlussgespräch telefonisch; Umzug in eine andere Stadt.",
    "Beide sind auseinandergegangen, weil die Zeit fehlte.",
]


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@transaction.atomic
def seed(*, size: str, stdout=None) -> int:
    """Create the missing demo tandems up to the size's target; returns how many were added."""
    target = count_for(size, small=SIZES["small"][0], city=SIZES["city"][0])
    checkin_target = count_for(size, small=SIZES["small"][1], city=SIZES["city"][1])
    existing = Tandem.objects.count()
    if existing >= target:
        return 0
    rng = random.Random(f"tandems-{size}-{existing}")
    today = timezone.localdate()
    cadence = CheckInCadence.objects.filter(is_active=True).first() or CheckInCadence()
    fwz = Organisation.objects.filter(kind=OrganisationKind.FWZ).first()
    users = {u.username: u for u in User.objects.filter(username__in=["coordinator", "partner"])}
    coordinator, partner = users.get("coordinator"), users.get("partner")
    reasons = list(EndReason.objects.filter(is_active=True))
    if not reasons or fwz is None:
        return 0

    # volunteers who can take a tandem, with the places they have left
    open_counts = dict(
        Tandem.objects.filter(status__in=OPEN_STATUSES)
        .values("volunteer")
        .annotate(n=Count("pk"))
        .values_list("volunteer", "n")
    )
    ready = list(
        Volunteer.objects.filter(
            anonymised_at__isnull=True,
            status__in=[VolunteerStatus.TRAINED, VolunteerStatus.ACTIVE],
            trained_on__isnull=False,
        ).values_list("pk", "organisation_id", "capacity", "status")
    )
    if not ready:
        return 0
    free: dict[int, int] = {pk: capacity - open_counts.get(pk, 0) for pk, _org, capacity, _s in ready}
    by_org: dict[int, list[int]] = defaultdict(list)
    for pk, org, _capacity, _status in ready:
        by_org[org].append(pk)
    # prefer volunteers already marked active, so that few statuses need changing
    status_of = {pk: status for pk, _o, _c, status in ready}
    for pks in by_org.values():
        rng.shuffle(pks)
        pks.sort(key=lambda pk: status_of[pk] != VolunteerStatus.ACTIVE)
    any_trained = [pk for pk, *_rest in ready]

    def pick(org_id: int) -> int | None:
        for pool in (by_org.get(org_id, []), by_org.get(fwz.pk, [])):
            for pk in pool:
                if free[pk] > 0:
                    free[pk] -= 1
                    return pk
        return None

    has_tandem = set(Tandem.objects.values_list("refugee_id", flat=True).distinct())
    refugees = list(
        Refugee.objects.filter(
            anonymised_at__isnull=True,
            status__in=[RefugeeStatus.WAITING, RefugeeStatus.IN_TANDEM, RefugeeStatus.CLOSED],
        )
        .exclude(pk__in=has_tandem)
        .order_by("pk")
        .values_list(
            "pk", "organisation_id", "status", "status_changed_at", "intake_on", "waiting_since", "closed_at"
        )
    )
    rows: list[Tandem] = []
    back_to_waiting: list[int] = []
    active_volunteers: set[int] = set()

    def responsible(org_id: int) -> User | None:
        return partner if partner and org_id == getattr(partner_org, "pk", None) else coordinator

    partner_org = Organisation.objects.filter(short_name="gEMiDe").first()
    # the tandem is looked after by whoever is responsible for the referral (the referrer sees that person)
    coordinator_of = dict(
        Refugee.objects.filter(pk__in=[r[0] for r in refugees]).values_list("pk", "coordinator_id")
    )

    def add(**values) -> None:
        coordinator_id = coordinator_of.get(values["refugee_id"])
        if coordinator_id is None:
            fallback = responsible(values["organisation_id"])
            coordinator_id = fallback.pk if fallback is not None else None
        rows.append(Tandem(coordinator_id=coordinator_id, proposed_by=coordinator, **values))

    def historic(pk: int, org: int, before: datetime.date) -> None:
        """An earlier tandem of this person that ended, or never started."""
        volunteer = rng.choice(any_trained)
        proposed = before - _days(rng.randint(60, 500))
        if rng.random() < 0.35:
            add(
                organisation_id=org,
                volunteer_id=volunteer,
                refugee_id=pk,
                status=TandemStatus.NOT_STARTED,
                proposed_on=proposed,
                not_started_reason=rng.choice(NOT_STARTED),
            )
            return
        started = min(before, proposed + _days(rng.randint(7, 30)))
        add(
            organisation_id=org,
            volunteer_id=volunteer,
            refugee_id=pk,
            status=TandemStatus.ENDED,
            proposed_on=proposed,
            introduced_on=proposed + _days(rng.randint(0, 5)) if proposed + _days(5) <= started else proposed,
            started_on=started,
            ended_on=before,
            end_reason_id=rng.choice(reasons).pk,
            closing_notes=rng.choice(CLOSING),
            volunteer_wants_new=rng.random() < 0.6,
            refugee_needs_new=True,
        )

    # everybody marked "in a tandem" gets one, whatever the target; the other kinds up to the target
    refugees.sort(key=lambda r: r[2] != RefugeeStatus.IN_TANDEM)
    for pk, org, status, changed_at, intake_on, waiting_since, closed_at in refugees:
        if status != RefugeeStatus.IN_TANDEM and existing + len(rows) >= target:
            break
        base = intake_on or (changed_at.date() if changed_at else today - _days(200))
        if status == RefugeeStatus.IN_TANDEM:
            volunteer = pick(org)
            if volunteer is None:
                back_to_waiting.append(pk)
                continue
            introduced = min(today, max(base, (changed_at.date() if changed_at else base)))
            proposed = introduced - _days(rng.randint(3, 20))
            just_introduced = (today - introduced).days < 14 and rng.random() < 0.5
            started = None if just_introduced else min(today, introduced + _days(rng.randint(2, 14)))
            if rng.random() < 0.15:
                historic(pk, org, proposed - _days(1))
            add(
                organisation_id=org,
                volunteer_id=volunteer,
                refugee_id=pk,
                status=TandemStatus.INTRODUCED if just_introduced else TandemStatus.ACTIVE,
                proposed_on=proposed,
                introduced_on=introduced,
                started_on=started,
            )
            if started:
                active_volunteers.add(volunteer)
        elif status == RefugeeStatus.CLOSED:
            ended = closed_at.date() if closed_at else today
            started = ended - _days(rng.randint(30, 400))
            proposed = started - _days(rng.randint(5, 25))
            add(
                organisation_id=org,
                volunteer_id=rng.choice(any_trained),
                refugee_id=pk,
                status=TandemStatus.ENDED,
                proposed_on=proposed,
                introduced_on=proposed + _days(2),
                started_on=started,
                ended_on=ended,
                end_reason_id=rng.choice(reasons).pk,
                closing_notes=rng.choice(CLOSING),
                volunteer_wants_new=rng.random() < 0.6,
                refugee_needs_new=False,
            )
        else:  # waiting
            since = waiting_since or base
            roll = rng.random()
            if roll < 0.45:
                historic(pk, org, since)
            if rng.random() < 0.15:
                volunteer = pick(org)
                if volunteer is not None:
                    add(
                        organisation_id=org,
                        volunteer_id=volunteer,
                        refugee_id=pk,
                        status=TandemStatus.PROPOSED,
                        proposed_on=max(since, today - _days(rng.randint(0, 20))),
                    )

    # a city needs more history than one pass gives: earlier tandems of people already in the programme
    if existing + len(rows) < target:
        people = [
            (pk, org, waiting_since or intake_on)
            for pk, org, _s, _c, intake_on, waiting_since, _x in refugees
        ]
        while existing + len(rows) < target and people:
            pk, org, since = rng.choice(people)
            historic(pk, org, (since or today) - _days(rng.randint(30, 300)))

    summary_by_triggers = _summary_triggers(enabled=False)
    copy_insert(Tandem, rows)
    made = len(rows)
    _history(rows, proposer=coordinator, reasons={r.pk: str(r) for r in reasons})

    if back_to_waiting:
        Refugee.objects.filter(pk__in=back_to_waiting).update(
            status=RefugeeStatus.WAITING, waiting_since=today
        )
    # volunteers' statuses follow their tandems
    Volunteer.objects.filter(pk__in=active_volunteers).exclude(status=VolunteerStatus.ACTIVE).update(
        status=VolunteerStatus.ACTIVE
    )
    busy = Tandem.objects.filter(status__in=[TandemStatus.ACTIVE, TandemStatus.INTRODUCED]).values(
        "volunteer"
    )
    Volunteer.objects.filter(status=VolunteerStatus.ACTIVE).exclude(pk__in=busy).update(
        status=VolunteerStatus.TRAINED
    )
    # the FWZ releases a few of its volunteers to the demo partner
    if partner_org is not None:
        released = [pk for pk in by_org.get(fwz.pk, [])[:5] if free.get(pk, 0) > 0]
        VolunteerRelease.objects.bulk_create(
            [VolunteerRelease(volunteer_id=pk, organisation=partner_org) for pk in released],
            ignore_conflicts=True,
        )

    _checkins(rng, today, cadence, checkin_target, coordinator)
    _participants(rng, today, coordinator)
    _surveys(rng, today, coordinator)
    _closures(rng, today, size, coordinator)
    if not summary_by_triggers:
        _summary_fill()
        _summary_triggers(enabled=True)
    if stdout is not None:
        counts = Counter(Tandem.objects.values_list("status", flat=True))
        stdout.write(f"    tandems: {made} new, {dict(counts)}; check-ins: {CheckIn.objects.count()}")
    return made


WISHES_VOLUNTEER = ["none", "private", "private", "new_tandem", "new_tandem"]
WISHES_HOUSEHOLD = ["none", "private", "private", "other_volunteer"]
EXIT_NOTES = [
    "Beide blicken gern zurück; die Familie kommt jetzt gut allein zurecht.",
    "Ehrenamtliche Person möchte nach einer Pause ein neues Tandem.",
    "Haushalt wünscht sich eine neue Begleitung für die Ausbildungssuche.",
]
LEVELS = ["A0", "A1", "A2", "B1", "B2"]


def _closures(rng: random.Random, today: datetime.date, size: str, coordinator: User | None) -> None:
    """The structured closure (issue #20): a few active tandems are closing (one exit conversation held),
    and the ended tandems get their wishes, German levels and integration outcomes."""
    outcomes = list(IntegrationOutcome.objects.order_by("sort_order"))
    closing = list(
        Tandem.objects.filter(status=TandemStatus.ACTIVE, started_on__lt=today - _days(60)).order_by("pk")[
            : count_for(size, small=3, city=60)
        ]
    )
    Tandem.objects.filter(pk__in=[t.pk for t in closing]).update(status=TandemStatus.CLOSING)
    CheckIn.objects.filter(tandem__in=closing, held_on__isnull=True).delete()
    rows = [
        TandemClosure(
            tandem=t, started_on=today - _days(rng.randint(3, 20)), german_level_start=rng.choice(LEVELS)
        )
        for t in closing
    ]
    ExitConversation.objects.bulk_create(
        ExitConversation(
            tandem=t,
            side="volunteer",
            held_on=today - _days(rng.randint(0, 2)),
            channel=rng.choice(["meeting", "phone"]),
            notes=rng.choice(EXIT_NOTES),
            recorded_by=coordinator,
        )
        for t in closing
    )
    ended = Tandem.objects.filter(status=TandemStatus.ENDED, closure__isnull=True)
    for tandem_id, ended_on, wants_new in ended.values_list("pk", "ended_on", "volunteer_wants_new"):
        start = rng.randrange(len(LEVELS) - 1)
        rows.append(
            TandemClosure(
                tandem_id=tandem_id,
                started_on=ended_on - _days(rng.randint(7, 30)),
                volunteer_wish="new_tandem" if wants_new else rng.choice(["none", "private"]),
                household_wish=rng.choice(WISHES_HOUSEHOLD),
                cooloff_until=ended_on + _days(28) if wants_new else None,
                german_level_start=LEVELS[start],
                german_level_end=LEVELS[min(len(LEVELS) - 1, start + rng.randint(0, 2))],
            )
        )
    made = copy_insert(TandemClosure, rows)
    through = TandemClosure.outcomes.through
    closing_ids = {t.pk for t in closing}
    ended_rows = [row for row in made if row.tandem_id not in closing_ids]
    links = [
        through(tandemclosure_id=row.pk, integrationoutcome_id=outcome.pk)
        for row in ended_rows
        for outcome in outcomes
        if rng.random() < 0.3
    ]
    copy_insert(through, links)
    reached = {link.tandemclosure_id for link in links}
    TandemClosure.objects.filter(pk__in=[r.pk for r in ended_rows if r.pk not in reached]).update(
        no_outcome=True
    )


def _participants(rng: random.Random, today: datetime.date, coordinator: User | None) -> None:
    """The participants' side as it looks after a few weeks: answers by link from volunteers and households
    on some of the demo coordinator's active tandems (one of them red, so the tandem is at risk), one open
    "I need help" first on the start page, and hours the volunteers logged on their self-service page."""
    mine = Tandem.objects.filter(status=TandemStatus.ACTIVE)
    if coordinator is not None:
        mine = mine.filter(coordinator=coordinator)
    tandems = list(mine.order_by("pk").values_list("pk", flat=True)[:12])
    answers, hours = [], []
    for n, pk in enumerate(tandems):
        by = CheckInBy.VOLUNTEER if n % 2 == 0 else CheckInBy.HOUSEHOLD
        mood = "red" if n == 3 else rng.choice(["green", "green", "yellow"])
        answers.append(
            CheckIn(
                tandem_id=pk,
                held_on=today - _days(rng.randint(1, 20)),
                channel=Channel.LINK,
                contact_with=ContactWith.VOLUNTEER if by == CheckInBy.VOLUNTEER else ContactWith.REFUGEE,
                by=by,
                met=Met.STOPPED if n == 3 else Met.YES,
                mood=mood,
                topics="" if by == CheckInBy.HOUSEHOLD else rng.choice(TOPICS),
            )
        )
        if by == CheckInBy.VOLUNTEER:
            for week in range(rng.randint(1, 4)):
                hours.append(
                    HoursLog(
                        tandem_id=pk,
                        spent_on=today - _days(7 * week + rng.randint(0, 6)),
                        hours=rng.choice([1, 1.5, 2, 3]),
                    )
                )
    CheckIn.objects.bulk_create(answers)
    HoursLog.objects.bulk_create(hours)
    if len(tandems) > 5:
        HelpRequest.objects.create(tandem_id=tandems[5], by=CheckInBy.HOUSEHOLD)


def _surveys(rng: random.Random, today: datetime.date, coordinator: User | None) -> None:
    """Answered relationship surveys (tandems/survey.py) on eight more of the demo coordinator's active
    tandems: every wave each side has reached, mostly good; the first tandem's household answered low, so
    that tandem is at risk by the survey rule alone."""
    mine = Tandem.objects.filter(status=TandemStatus.ACTIVE, started_on__isnull=False)
    if coordinator is not None:
        mine = mine.filter(coordinator=coordinator)
    items = {side: survey_items(side) for side in SURVEY_SIDES}
    rows = list(mine.order_by("pk")[:20])
    for n, tandem in enumerate(rows[12:20] or rows[:8]):
        for side in SURVEY_SIDES:
            reached = [w for w in SURVEY_WAVES if add_months(tandem.started_on, w) <= today]
            for wave in reached:
                low = n == 0 and side == "household" and wave == reached[-1]
                values = [rng.choice([1, 2]) if low else rng.choice([3, 4, 4, 5, 5]) for _ in items[side]]
                if not values:
                    continue
                response = SurveyResponse.objects.create(
                    tandem=tandem,
                    wave=wave,
                    side=side,
                    answered_on=min(add_months(tandem.started_on, wave) + _days(rng.randint(0, 10)), today),
                    score=(Decimal(sum(values)) / len(values)).quantize(Decimal("0.01")),
                    is_latest=wave == reached[-1],
                )
                SurveyAnswer.objects.bulk_create(
                    [
                        SurveyAnswer(response=response, item=i, value=v)
                        for i, v in zip(items[side], values, strict=True)
                    ]
                )


# The check-in summary of each tandem (tandems/migrations/0004_checkin_summary.py) is kept by triggers: one
# call of tandems_checkin_summary() per tandem and statement. For thousands of new tandems and their check-ins
# the seed turns them off in its transaction (transactional DDL: should the seed fail, the rollback turns them
# on again), writes the four columns once per tandem with the same function in one UPDATE (as the migration
# filled them) and turns them on again.
SUMMARY_TRIGGERS = [
    ("tandems_tandem", "tandems_tandem_checkin_summary"),
    ("tandems_checkin", "tandems_checkin_summary_insert"),
    ("tandems_checkin", "tandems_checkin_summary_update"),
    ("tandems_checkin", "tandems_checkin_summary_delete"),
]
SUMMARY_FILL = """
UPDATE tandems_tandem t
   SET last_contact_on = s.last_contact_on, latest_mood = s.latest_mood,
       previous_mood = s.previous_mood, next_due_on = s.next_due_on
  FROM tandems_tandem o CROSS JOIN LATERAL tandems_checkin_summary(o.id) s
 WHERE o.id = t.id
   AND (t.last_contact_on, t.latest_mood, t.previous_mood, t.next_due_on)
       IS DISTINCT FROM (s.last_contact_on, s.latest_mood, s.previous_mood, s.next_due_on)
"""


def _summary_triggers(*, enabled: bool) -> bool:
    """Turn the summary's triggers on or off; only the tables' owner may, otherwise they stay on. Whether
    they are on."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT bool_and(pg_has_role(relowner, 'USAGE')) FROM pg_class WHERE relname = ANY(%s)",
            [[table for table, _trigger in SUMMARY_TRIGGERS]],
        )
        if not cursor.fetchone()[0]:
            return True
        # ALTER TABLE waits for no deferred check: they run now (every deferrable constraint of the schema is
        # initially deferred, so ALL DEFERRED afterwards is the state the transaction began with)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, trigger in SUMMARY_TRIGGERS:
            cursor.execute(f"ALTER TABLE {table} {'ENABLE' if enabled else 'DISABLE'} TRIGGER {trigger}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return enabled


def _summary_fill() -> None:
    """What the summary's triggers would have written, for every tandem at once."""
    with connection.cursor() as cursor:
        cursor.execute(SUMMARY_FILL)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _history(rows: list[Tandem], *, proposer: User | None, reasons: dict[int, str]) -> None:
    """What the services would have written for each new tandem: proposed, introduced, started, ended or
    not started, by the coordinator who looks after it. The names are read once, not per tandem."""
    volunteers = {
        pk: f"{first} {last}"
        for pk, first, last in Volunteer.objects.filter(pk__in={t.volunteer_id for t in rows}).values_list(
            "pk", "first_name", "last_name"
        )
    }
    refugees = {
        pk: f"{first} {last}"
        for pk, first, last in Refugee.objects.filter(pk__in={t.refugee_id for t in rows}).values_list(
            "pk", "first_name", "last_name"
        )
    }
    staff = User.objects.in_bulk({t.coordinator_id for t in rows if t.coordinator_id})
    history = DemoHistory()
    for tandem in rows:
        volunteer, refugee = volunteers.get(tandem.volunteer_id, ""), refugees.get(tandem.refugee_id, "")
        actor = staff.get(tandem.coordinator_id)
        name = f"{volunteer} – {refugee}"

        def add(action: str, day: datetime.date, changes: dict, who: User | None = actor) -> None:
            history.add(tandem, action, _at(day), actor=who, changes=changes, name=name)  # noqa: B023

        add(
            "tandems.tandem.created",
            tandem.proposed_on,
            {
                "volunteer": [None, volunteer],
                "refugee": [None, refugee],
                "status": [None, TandemStatus.PROPOSED],
                "coordinator": [None, str(actor) if actor else None],
            },
            who=proposer,
        )
        if tandem.status == TandemStatus.NOT_STARTED:
            add(
                "tandems.tandem.not_started",
                tandem.proposed_on + _days(7),
                {
                    "status": [TandemStatus.PROPOSED, TandemStatus.NOT_STARTED],
                    "not_started_reason": [None, tandem.not_started_reason],
                },
            )
            continue
        if tandem.introduced_on:
            add(
                "tandems.tandem.introduced",
                tandem.introduced_on,
                {
                    "status": [TandemStatus.PROPOSED, TandemStatus.INTRODUCED],
                    "introduced_on": [None, tandem.introduced_on.isoformat()],
                },
            )
        if tandem.started_on:
            add(
                "tandems.tandem.started",
                tandem.started_on,
                {
                    "status": [TandemStatus.INTRODUCED, TandemStatus.ACTIVE],
                    "started_on": [None, tandem.started_on.isoformat()],
                },
            )
        if tandem.ended_on:
            add(
                "tandems.tandem.ended",
                tandem.ended_on,
                {
                    "status": [TandemStatus.ACTIVE, TandemStatus.ENDED],
                    "ended_on": [None, tandem.ended_on.isoformat()],
                    "end_reason": [None, reasons.get(tandem.end_reason_id)],
                },
            )
    history.write()


def _checkins(rng: random.Random, today: datetime.date, cadence: CheckInCadence, target: int, actor) -> None:
    """Check-ins by the cadence (some skipped, so that some are overdue), then extra contacts up to the
    size's target, and one open planned check-in for each active tandem."""
    tandems = list(
        Tandem.objects.filter(
            Q(status=TandemStatus.ACTIVE) | Q(status=TandemStatus.ENDED), checkins__isnull=True
        ).values_list("pk", "status", "started_on", "ended_on")
    )
    if not tandems:
        return
    rows: list[dict] = []  # CheckIn fields, written by copy_rows
    spans: list[tuple[int, datetime.date, datetime.date]] = []
    actor_id = actor.pk if actor is not None else None

    def contact(pk: int, day: datetime.date, planned: datetime.date | None) -> dict:
        mood = rng.choice(MOODS)
        return {
            "tandem_id": pk,
            "planned_on": planned,
            "held_on": day,
            "channel": rng.choice(CHANNELS),
            "contact_with": rng.choice(WITH),
            "mood": mood,
            "topics": rng.choice(TOPICS),
            "follow_up": "Nachfragen, ob der Termin geklappt hat." if mood != "green" else "",
            "recorded_by_id": actor_id,
        }

    for pk, status, started_on, ended_on in tandems:
        last = ended_on or today
        spans.append((pk, started_on, last))
        due = next_checkin_on(started_on=started_on, after=started_on, cadence=cadence)
        slack = rng.random() < 0.12  # this tandem's coordinator falls behind
        while due <= last:
            if not (slack and (last - due).days < 60):
                rows.append(contact(pk, min(last, due + _days(rng.randint(-3, 5))), due))
            due = next_checkin_on(started_on=started_on, after=due, cadence=cadence)
        if status == TandemStatus.ACTIVE:
            rows.append(
                {"tandem_id": pk, "planned_on": due if not slack else today - _days(rng.randint(5, 40))}
            )
    held = sum(1 for r in rows if r.get("held_on"))
    while held < target and spans:
        pk, first, last = rng.choice(spans)
        if (last - first).days > 1:
            rows.append(contact(pk, first + _days(rng.randint(1, (last - first).days)), None))
            held += 1
        else:
            spans.remove((pk, first, last))
    # one statement: the check-in summary's statement trigger touches each tandem once
    copy_rows(CheckIn, rows)
