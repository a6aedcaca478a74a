"""Benchmark of the matching engine (not a test): suggestions for one refugee over 10,000 volunteers
(target 150 ms) and the batch proposal of 2,000 waiting refugees by 5,000 free volunteers (target 10 s).

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:57811/tenk .venv/bin/python bench/matching.py

It never touches the database in DATABASE_URL: it creates (once) a database `tenk_bench_matching` on the same
server, migrates it, fills it with its own volunteers and refugees (kept for the next run) and measures there.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = "tenk_bench_matching"
VOLUNTEERS = 10_000
FREE_VOLUNTEERS = 5_000  # the others are paused: loaded and shown as blocked, never paired
WAITING = 2_000


def _point_at_bench_database() -> None:
    url = urlsplit(os.environ["DATABASE_URL"])
    admin = psycopg2.connect(urlunsplit(url._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{BENCH_DB}"')
    admin.close()
    os.environ["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{BENCH_DB}"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def _fill() -> None:
    import datetime

    from django.db import connection, transaction

    from core.models import District, HelpArea, Language, Membership, Organisation, Role, User
    from refugees.models import Refugee, RefugeeStatus
    from volunteers.models import Volunteer, VolunteerLanguage, VolunteerStatus

    if Volunteer.objects.count() >= VOLUNTEERS and Refugee.objects.count() >= WAITING + 1:
        return
    print("filling the benchmark database once ...", flush=True)
    rng = random.Random(2026)
    today = datetime.date.today()
    orgs = list(Organisation.objects.filter(kind__in=["fwz", "partner"]))
    districts = list(District.objects.all())
    languages = list(Language.objects.all())
    german = Language.objects.get(code="de")
    areas = list(HelpArea.objects.all())
    interests = ["kochen", "fußball", "musik", "lesen", "radfahren", "garten", "kunst", "schach", "wandern"]
    with transaction.atomic():
        user, _ = User.objects.get_or_create(username="bench-coordinator")
        Membership.objects.get_or_create(
            user=user,
            defaults={"organisation": Organisation.objects.get(kind="fwz"), "role": Role.COORDINATOR},
        )
        volunteers = [
            Volunteer(
                organisation=rng.choice(orgs),
                first_name=f"V{i}",
                last_name="Bench",
                gender=rng.choice(["female", "male", "diverse", "unspecified"]),
                district=rng.choice(districts),
                available_weekdays=sorted(rng.sample(range(7), rng.randint(1, 4))),
                available_times=rng.sample(["morning", "afternoon", "evening"], rng.randint(1, 2)),
                capacity=rng.choices([1, 2, 3], [80, 15, 5])[0],
                pref_gender=rng.choice(["any", "any", "any", "female", "male"]),
                pref_families=rng.choice(["either", "yes", "no"]),
                pref_age_min=rng.choice([None, 18, 25]),
                pref_age_max=rng.choice([None, 50, 70]),
                interests=rng.sample(interests, rng.randint(0, 3)),
                status=VolunteerStatus.TRAINED if i < FREE_VOLUNTEERS else VolunteerStatus.PAUSED,
                trained_on=today - datetime.timedelta(days=30),
                clearance_valid_until=today + datetime.timedelta(days=rng.choice([-10, 300, 700])),
            )
            for i in range(VOLUNTEERS)
        ]
        Volunteer.objects.bulk_create(volunteers, batch_size=2000)
        spoken, offered = [], []
        through = Volunteer.help_areas.through
        for v in volunteers:
            spoken.append(VolunteerLanguage(volunteer=v, language=german, level="native"))
            for lang in rng.sample([lang for lang in languages if lang.pk != german.pk], rng.randint(0, 2)):
                spoken.append(
                    VolunteerLanguage(
                        volunteer=v, language=lang, level=rng.choice(["fluent", "good", "basic"])
                    )
                )
            offered += [
                through(volunteer_id=v.pk, helparea_id=a.pk) for a in rng.sample(areas, rng.randint(1, 4))
            ]
        VolunteerLanguage.objects.bulk_create(spoken, batch_size=5000)
        through.objects.bulk_create(offered, batch_size=5000)
        refugees = [
            Refugee(
                organisation=rng.choice(orgs),
                first_name=f"R{i}",
                last_name="Bench",
                birth_year=rng.randint(1960, 2006),
                gender=rng.choice(["female", "male"]),
                german_level=rng.choice(["A0", "A1", "A2", "B1", "B2"]),
                district=rng.choice(districts),
                pref_volunteer_gender=rng.choice(["any", "any", "female"]),
                interests=rng.sample(interests, rng.randint(0, 3)),
                children_count=(children := rng.choice([0, 0, 1, 2, 3])),
                youngest_birth_year=today.year - rng.randint(1, 17) if children else None,
                status=RefugeeStatus.WAITING,
                waiting_since=today - datetime.timedelta(days=rng.randint(1, 400)),
            )
            for i in range(WAITING + 1)
        ]
        Refugee.objects.bulk_create(refugees, batch_size=2000)
        r_langs, r_needs = Refugee.languages.through, Refugee.needs.through
        r_langs.objects.bulk_create(
            [
                r_langs(refugee_id=r.pk, language_id=lang.pk)
                for r in refugees
                for lang in rng.sample(languages, rng.randint(1, 2))
            ],
            batch_size=5000,
        )
        r_needs.objects.bulk_create(
            [
                r_needs(refugee_id=r.pk, helparea_id=a.pk)
                for r in refugees
                for a in rng.sample(areas, rng.randint(1, 3))
            ],
            batch_size=5000,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _timed(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    _point_at_bench_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    _fill()

    from django.utils import translation

    from core.models import User
    from refugees.models import Refugee
    from tandems.batch import batch_proposal
    from tandems.matching import suggest_volunteers
    from volunteers.models import Volunteer

    translation.activate("de")
    user = User.objects.get(username="bench-coordinator")
    refugee = Refugee.objects.order_by("pk").first()
    print(
        f"data: {Volunteer.objects.count()} volunteers ({FREE_VOLUNTEERS} free), {Refugee.objects.count()} waiting"
    )
    suggest_volunteers(refugee=refugee, user=user)  # warm up
    median, found = _timed(lambda: suggest_volunteers(refugee=refugee, user=user), 7)
    print(
        f"suggestions for one refugee, hard rules in SQL first ({FREE_VOLUNTEERS} scored): {median * 1000:.0f} ms (target 150 ms)"
    )
    median, found = _timed(lambda: suggest_volunteers(refugee=refugee, user=user, show_blocked=True), 7)
    print(
        f"suggestions with the blocked ones ({VOLUNTEERS} loaded and scored): {median * 1000:.0f} ms (target 150 ms)"
    )
    print(
        f"  best: {found[0].volunteer.name} {found[0].percent} %; {'; '.join(c.text for c in found[0].criteria[:3])}"
    )
    median, result = _timed(lambda: batch_proposal(user=user), 1)
    print(
        f"batch {result.refugee_count} waiting x {result.place_count} free places: {median:.1f} s (target 10 s); "
        f"{len(result.pairs)} pairs, total {result.optimal_total:.1f} against greedy {result.greedy_total:.1f}"
    )


if __name__ == "__main__":
    main()
