"""Demo volunteers for `manage.py seed_demo`: every organisation of the programme, every step of the
pipeline, with interviews, clearances, languages, areas of help, consents and a few duplicates.

`small` makes about 200 volunteers, `city` 10,000 (written with COPY, seconds). A second run finds the
rows already there and changes nothing.
"""

import datetime
import random

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from faker import Faker

from core.demo import DemoHistory, backdating, copy_insert, copy_rows, count_for, reserve_ids
from core.models import (
    Consent,
    ConsentChannel,
    District,
    Gender,
    HelpArea,
    Language,
    Organisation,
    OrganisationKind,
    User,
)
from core.outbox import CONSENT_PURPOSE_EMAIL
from core.services import CHANNEL_CONSENT_VERSION
from volunteers.keys import email_key, name_key, phone_key
from volunteers.models import (
    DayTime,
    Interview,
    InterviewOutcome,
    LanguageLevel,
    MigrationBackground,
    PoliceClearance,
    Source,
    StatusChange,
    Volunteer,
    VolunteerLanguage,
    VolunteerStatus,
)
from volunteers.services import CONSENT_PURPOSE, PRIVACY_VERSION

SIZES = {"small": 200, "city": 10_000}
PIPELINE = [
    VolunteerStatus.REGISTERED,
    VolunteerStatus.EMAIL_CONFIRMED,
    VolunteerStatus.INTERVIEW_DONE,
    VolunteerStatus.CLEARED,
    VolunteerStatus.TRAINED,
    VolunteerStatus.ACTIVE,
]
# how many volunteers stand at each step (weights)
STATUS_WEIGHTS = {
    VolunteerStatus.REGISTERED: 6,
    VolunteerStatus.EMAIL_CONFIRMED: 6,
    VolunteerStatus.INTERVIEW_DONE: 6,
    VolunteerStatus.CLEARED: 6,
    VolunteerStatus.TRAINED: 20,
    VolunteerStatus.ACTIVE: 40,
    VolunteerStatus.PAUSED: 8,
    VolunteerStatus.LEFT: 8,
}
OTHER_LANGUAGES = ["en", "ar", "fa", "tr", "fr", "ru", "ku", "es", "prs", "ti", "pl", "uk"]
INTERESTS = ["Kochen", "Fußball", "Musik", "Lesen", "Radfahren", "Garten", "Kunst", "Schach", "Wandern"]


def _steps(status: str) -> list[str]:
    if status in (VolunteerStatus.PAUSED, VolunteerStatus.LEFT):
        return [*PIPELINE, status]
    return PIPELINE[: PIPELINE.index(status) + 1]


def seed(*, size: str, stdout=None) -> int:
    target = count_for(size, small=SIZES["small"], city=SIZES["city"])
    existing = Volunteer.objects.count()
    if existing >= target:
        if stdout:
            stdout.write(f"  volunteers: {existing} already there")
        return 0
    with transaction.atomic():
        made = _make(count=target - existing, offset=existing)
    if stdout:
        stdout.write(f"  volunteers: {made} created")
    return made


def _make(*, count: int, offset: int) -> int:
    fake = Faker("de_DE")
    Faker.seed(4711 + offset)
    rnd = random.Random(4711 + offset)
    # the commitment from its own stream, so the rest of the demo stays as it was; about one in five plans
    # only 3 months, so a share of the pairs is mismatched against households that expect a year (issue #20)
    commit_rnd = random.Random(f"commitment-{offset}")
    today = timezone.localdate()
    now = timezone.now()
    fwz = Organisation.objects.get(kind=OrganisationKind.FWZ, short_name="FWZ")
    partners = list(Organisation.objects.filter(kind=OrganisationKind.PARTNER, is_active=True))
    districts = list(District.objects.all())
    languages = {lang.code: lang for lang in Language.objects.filter(code__in=["de", *OTHER_LANGUAGES])}
    help_areas = list(HelpArea.objects.all())
    staff = User.objects.filter(username__in=["coordinator", "partner"]).order_by("username")
    coordinator = (
        next((u for u in staff if u.username == "coordinator"), None) or User.objects.order_by("pk").first()
    )
    partner_user = next((u for u in staff if u.username == "partner"), coordinator)
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    validity = datetime.timedelta(days=settings.CLEARANCE_VALIDITY_DAYS)
    # the choices' values once: `.values` builds its list anew on every call
    backgrounds, day_times = list(MigrationBackground.values), list(DayTime.values)
    sources, levels = list(Source.values), list(LanguageLevel.values)

    plans = []
    volunteers = []
    for i in range(count):
        organisation = fwz if rnd.random() < 0.4 else rnd.choice(partners)
        status = rnd.choices(statuses, weights)[0]
        gender = rnd.choice([Gender.FEMALE, Gender.FEMALE, Gender.MALE, Gender.DIVERSE, Gender.UNSPECIFIED])
        first = fake.first_name_female() if gender == Gender.FEMALE else fake.first_name_male()
        last = fake.last_name()
        steps = _steps(status)
        start = now - datetime.timedelta(days=rnd.randint(len(steps) * 30, 3 * 365))
        dates, at = [], start
        for _step in steps:
            dates.append(at)
            at = min(at + datetime.timedelta(days=rnd.randint(5, 30)), now)
        signed_up = rnd.random() < 0.35
        email = f"{name_key(first, last).replace(' ', '.')}.{offset + i}@beispiel.de"
        phone = f"0511 {rnd.randint(1000000, 9999999)}" if rnd.random() < 0.8 else ""
        birth = fake.date_of_birth(minimum_age=19, maximum_age=78)
        volunteer = Volunteer(
            organisation=organisation,
            first_name=first,
            last_name=last,
            email=email,
            phone=phone,
            address=fake.street_address() + ", Hannover" if rnd.random() < 0.6 else "",
            birth_date=birth,
            gender=gender,
            migration_background=rnd.choice(backgrounds),
            district=rnd.choice(districts),
            available_weekdays=sorted(rnd.sample(range(7), rnd.randint(1, 4))),
            available_times=rnd.sample(day_times, rnd.randint(1, 2)),
            hours_per_month=rnd.choice([4, 6, 8, 10, 12, 16, 20]),
            capacity=rnd.choices([1, 2, 3], [80, 15, 5])[0],
            commitment_months=commit_rnd.choices([None, 3, 6, 12, 24], [20, 20, 20, 30, 10])[0],
            commitment_per_month=commit_rnd.choices([None, 1, 2, 4, 8], [20, 15, 35, 25, 5])[0],
            pref_gender=rnd.choice(["any", "any", "any", "female", "male"]),
            pref_families=rnd.choice(["either", "either", "yes", "no"]),
            interests=rnd.sample(INTERESTS, rnd.randint(0, 3)),
            source=rnd.choice(sources),
            status=status,
            status_changed_at=dates[-1],
            signed_up_at=dates[0] if signed_up else None,
            email_confirmed_at=dates[1] if signed_up and len(dates) > 1 else None,
            trained_on=dates[steps.index(VolunteerStatus.TRAINED)].date()
            if VolunteerStatus.TRAINED in steps
            else None,
            left_on=dates[-1].date() if status == VolunteerStatus.LEFT else None,
            created_at=dates[0],
        )
        volunteer.email_key = email_key(email)
        volunteer.phone_key = phone_key(phone)
        volunteer.name_key = name_key(first, last)
        plans.append((steps, dates))
        volunteers.append(volunteer)

    # about one in a hundred is registered a second time by another partner, phone written differently
    for original in rnd.sample(volunteers, max(2, count // 100)):
        twin = Volunteer(
            **{
                f.attname: getattr(original, f.attname)
                for f in Volunteer._meta.concrete_fields
                if not f.primary_key
            }
        )
        twin.organisation = rnd.choice([o for o in [fwz, *partners] if o.pk != original.organisation_id])
        twin.phone = original.phone.replace("0511 ", "+49 511 ") if original.phone else ""
        twin.status = VolunteerStatus.REGISTERED
        twin.trained_on = twin.signed_up_at = twin.email_confirmed_at = twin.left_on = None
        plans.append(([VolunteerStatus.REGISTERED], [original.created_at]))
        volunteers.append(twin)

    created_at = Volunteer._meta.get_field("created_at")
    status_changed_at = Volunteer._meta.get_field("status_changed_at")
    history = DemoHistory()
    # the ids first, so that every row can be built (and the volunteer complete) before anything is written
    reserve_ids(Volunteer, volunteers)
    with backdating(created_at, status_changed_at):
        steps_rows, interviews, clearances, langs, areas, consents = [], [], [], [], [], []
        content_type = ContentType.objects.get_for_model(Volunteer)
        through = Volunteer.help_areas.through
        for volunteer, (steps, dates) in zip(volunteers, plans, strict=True):
            held_by = partner_user if volunteer.organisation.short_name == "gEMiDe" else coordinator
            for step, at in zip(steps, dates, strict=True):
                steps_rows.append(
                    {
                        "volunteer_id": volunteer.pk,
                        "status": step,
                        "changed_at": at,
                        "changed_by_id": None,
                        "note": "",
                    }
                )
            _history(history, volunteer, steps, dates, held_by)
            if VolunteerStatus.INTERVIEW_DONE in steps:
                interviews.append(
                    Interview(
                        volunteer=volunteer,
                        held_on=dates[steps.index(VolunteerStatus.INTERVIEW_DONE)].date(),
                        held_by=held_by,
                        outcome=rnd.choices(
                            [InterviewOutcome.SUITABLE, InterviewOutcome.SUITABLE_WITH_LIMITS], [85, 15]
                        )[0],
                        motivation=rnd.choice(
                            [
                                "Möchte etwas zurückgeben.",
                                "Hat selbst Migrationserfahrung.",
                                "Sucht eine sinnvolle Aufgabe neben dem Beruf.",
                                "Im Ruhestand, viel Zeit.",
                            ]
                        ),
                        limits=rnd.choice(["", "", "Keine Behördengänge.", "Nur am Wochenende."]),
                    )
                )
            if VolunteerStatus.CLEARED in steps:
                seen = dates[steps.index(VolunteerStatus.CLEARED)].date()
                valid_until = seen + validity
                if rnd.random() < 0.06:  # a few run out soon, for the warning badge
                    valid_until = today + datetime.timedelta(days=rnd.randint(1, 60))
                    seen = valid_until - validity
                clearances.append(
                    PoliceClearance(
                        volunteer=volunteer,
                        issued_on=seen - datetime.timedelta(days=rnd.randint(3, 20)),
                        seen_on=seen,
                        seen_by=held_by,
                        valid_until=valid_until,
                    )
                )
                volunteer.clearance_valid_until = valid_until
            langs.append(
                {
                    "volunteer_id": volunteer.pk,
                    "language_id": languages["de"].pk,
                    "level": LanguageLevel.NATIVE,
                }
            )
            for code in rnd.sample(OTHER_LANGUAGES, rnd.choices([0, 1, 2], [40, 45, 15])[0]):
                if code in languages:
                    level = rnd.choice(levels)
                    langs.append(
                        {"volunteer_id": volunteer.pk, "language_id": languages[code].pk, "level": level}
                    )
            for area in rnd.sample(help_areas, rnd.randint(1, 4)):
                areas.append({"volunteer_id": volunteer.pk, "helparea_id": area.pk})
            consents.append(
                {
                    "content_type_id": content_type.pk,
                    "object_id": volunteer.pk,
                    "purpose": CONSENT_PURPOSE,
                    "text_version": PRIVACY_VERSION,
                    "channel": ConsentChannel.ONLINE if volunteer.signed_up_at else ConsentChannel.PAPER,
                    "given_at": dates[0],
                }
            )
            # most volunteers consented to links by e-mail (docs/participants.md); from the row's id, so the
            # random stream the rest of the demo draws from stays the same
            if volunteer.email and volunteer.pk % 10:
                consents.append(
                    {
                        "content_type_id": content_type.pk,
                        "object_id": volunteer.pk,
                        "purpose": CONSENT_PURPOSE_EMAIL,
                        "text_version": CHANNEL_CONSENT_VERSION,
                        "channel": ConsentChannel.ONLINE if volunteer.signed_up_at else ConsentChannel.PAPER,
                        "given_at": dates[0],
                    }
                )
        # flag the second registrations as the sign-up form and the import would
        by_email: dict[str, Volunteer] = {}
        for volunteer in volunteers:
            first = by_email.setdefault(volunteer.email_key, volunteer)
            if first is not volunteer:
                volunteer.possible_duplicate_of = first
        copy_insert(Volunteer, volunteers)
    copy_rows(StatusChange, steps_rows)
    copy_insert(Interview, interviews)
    copy_insert(PoliceClearance, clearances)
    copy_rows(VolunteerLanguage, langs)
    copy_rows(through, areas)
    copy_rows(Consent, consents)
    history.write()
    return len(volunteers)


def _history(
    history: DemoHistory, volunteer: Volunteer, steps: list[str], dates: list, staff: User | None
) -> None:
    """What the services would have written: the registration (by the person through the sign-up form, or
    by staff), each step of the pipeline, the basic training. Confirming the e-mail is the person's own step."""
    by_form = volunteer.signed_up_at is not None
    history.add(
        volunteer,
        "volunteers.volunteer.created",
        dates[0],
        actor=None if by_form else staff,
        changes={
            "first_name": [None, volunteer.first_name],
            "last_name": [None, volunteer.last_name],
            "email": [None, volunteer.email],
            "organisation": [None, str(volunteer.organisation)],
            "source": [None, volunteer.source],
            "capacity": [None, volunteer.capacity],
        },
    )
    for before, step, at in zip(steps, steps[1:], dates[1:], strict=False):
        if step == VolunteerStatus.TRAINED and volunteer.trained_on is not None:
            history.add(
                volunteer,
                "volunteers.volunteer.trained",
                at,
                actor=staff,
                changes={"trained_on": [None, volunteer.trained_on.isoformat()]},
            )
        actor = None if by_form and step == VolunteerStatus.EMAIL_CONFIRMED else staff
        history.add(
            volunteer,
            "volunteers.volunteer.status_changed",
            at,
            actor=actor,
            changes={"status": [before, step]},
        )
