"""Bulk messages to a filtered volunteer list: the form (German errors, preview, counts), the service with a
real worker (exactly the filtered, consenting volunteers, the text read as text), the scope of partner
coordinators, and the rules of `message_queue` counted in SQL."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse
from django.utils import timezone

import volunteers.services
from core.models import AuditEntry, Consent, ConsentChannel, MessageState, OutboxMessage
from core.outbox import consent_withdrawn, message_reach, message_reachable
from core.placeholders import placeholders_fill, placeholders_unknown
from tests.factories.volunteers import VolunteerFactory
from tests.jobs import queued_jobs, run_jobs
from volunteers.models import BulkMessage, BulkMessageState, Volunteer, VolunteerStatus
from volunteers.services import bulk_message_create, bulk_message_queue_step

URL = reverse("volunteers:bulk_message_create")


def _consent(volunteer, *, purpose="volunteer_register", withdrawn=True):
    return Consent.objects.create(
        content_type=ContentType.objects.get_for_model(volunteer),
        object_id=volunteer.pk,
        purpose=purpose,
        text_version="2026-11",
        channel=ConsentChannel.ONLINE,
        given_at=timezone.now() - datetime.timedelta(days=3),
        withdrawn_at=timezone.now() if withdrawn else None,
    )


def _list(org):
    """Five active volunteers of `org` (two of them left out: no address, consent withdrawn), one paused."""
    active = {"organisation": org, "status": VolunteerStatus.ACTIVE}
    people = {
        "anna": VolunteerFactory(first_name="Anna", last_name="Adler", **active),
        "bernd": VolunteerFactory(first_name="Bernd", last_name="Brandt", **active),
        "cem": VolunteerFactory(first_name="Cem", last_name="Cakir", **active),
        "no_address": VolunteerFactory(first_name="Dora", last_name="Dach", email="", **active),
        "no_consent": VolunteerFactory(first_name="Emil", last_name="Eck", **active),
        "paused": VolunteerFactory(first_name="Frida", last_name="Fuchs", organisation=org, status="paused"),
    }
    _consent(people["no_consent"])
    # a withdrawn e-mail consent next to an active programme consent still stops e-mails
    _consent(people["cem"], withdrawn=False)
    return people


# --- placeholders ------------------------------------------------------------------------------------


def test_placeholders_are_filled_as_text_in_one_pass():
    text = "Hallo {{ vorname }} {{NACHNAME}}, {{ unknown }} {% debug %} {{ 7*7 }}"
    filled = placeholders_fill(text, {"vorname": "{{ nachname }}", "nachname": "<b>Berg</b>"})
    assert filled == "Hallo {{ nachname }} <b>Berg</b>, {{ unknown }} {% debug %} {{ 7*7 }}"
    assert placeholders_unknown(text, {"vorname", "nachname"}) == ["unknown", "7*7"]


# --- the rules of message_queue, counted in SQL -------------------------------------------------------


def test_reach_counts_the_rules_of_message_queue_in_one_query(org, django_assert_num_queries):
    people = _list(org)
    other = VolunteerFactory(organisation=org, first_name="Greta")
    _consent(other, purpose="messages_email")  # e-mail consent withdrawn, no other consent
    both = VolunteerFactory(organisation=org)
    _consent(both, purpose="messages_email")
    _consent(both, purpose="messages_email", withdrawn=False)  # one e-mail consent still given
    rows = Volunteer.objects.filter(organisation=org)
    with django_assert_num_queries(1):
        reach = message_reach(rows)
    assert (reach.total, reach.no_address, reach.no_consent, reach.reached) == (8, 1, 2, 5)
    expected = {v.pk for v in rows if v.email and not consent_withdrawn(v)}
    assert set(message_reachable(rows).values_list("pk", flat=True)) == expected
    assert people["no_consent"].pk not in expected and both.pk in expected


def test_reach_counts_each_person_once_when_the_filter_joins(org):
    from core.models import Language
    from volunteers.models import VolunteerLanguage

    anna = VolunteerFactory(organisation=org)
    for language in Language.objects.all()[:3]:
        VolunteerLanguage.objects.create(volunteer=anna, language=language, level="native")
    joined = Volunteer.objects.filter(organisation=org, languages__level="native")
    assert joined.count() == 3
    assert message_reach(joined).total == 1


# --- the form ----------------------------------------------------------------------------------------


def test_the_page_counts_who_gets_the_message_and_who_is_left_out(client, partner, org):
    _list(org)
    client.force_login(partner)
    response = client.get(URL, {"status": "active"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "5 Ehrenamtliche in der Liste" in text
    assert "3 erhalten die Nachricht" in text
    assert "1 ausgelassen: keine E-Mail-Adresse" in text
    assert "1 ausgelassen: Einwilligung in E-Mails widerrufen" in text
    assert "Status: aktiv" in text


def test_the_preview_fills_the_placeholders_for_one_recipient_and_asks_with_the_count(client, partner, org):
    _list(org)
    client.force_login(partner)
    response = client.post(
        f"{URL}?status=active",
        {
            "subject": "Sommerfest, {{ vorname }}",
            "text": "Liebe*r {{ vorname }} {{ nachname }},\n<b>bis bald</b>",
            "action": "preview",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Vorschau für Anna Adler" in text
    assert "Sommerfest, Anna" in text
    assert "Liebe*r Anna Adler,<br>&lt;b&gt;bis bald&lt;/b&gt;" in text  # shown as text, never as HTML
    assert "An 3 Ehrenamtliche senden? 2 ohne Einwilligung oder Adresse werden ausgelassen." in text
    assert not BulkMessage.objects.exists(), "the preview stores nothing"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"subject": "", "text": "Hallo"}, "Dieses Feld ist zwingend erforderlich."),
        ({"subject": "   ", "text": "Hallo"}, "Dieses Feld ist zwingend erforderlich."),
        ({"subject": "Hallo", "text": "x" * 10_001}, "höchstens 10000 Zeichen"),
        ({"subject": "Hallo {{ anrede }}", "text": "Hallo"}, "Unbekannter Platzhalter: {{ anrede }}"),
        ({"subject": "Hallo", "text": "{% debug %}{{ user.password }}"}, "Unbekannter Platzhalter"),
    ],
)
def test_bad_input_gets_a_german_message_and_changes_nothing(client, partner, org, data, message):
    _list(org)
    client.force_login(partner)
    response = client.post(f"{URL}?status=active", {**data, "action": "send", "expected": "3"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not BulkMessage.objects.exists() and not OutboxMessage.objects.exists()


def test_a_filter_matching_nobody_is_refused_in_german(client, partner, org):
    _list(org)
    client.force_login(partner)
    response = client.post(
        f"{URL}?status=left", {"subject": "Hallo", "text": "Hallo", "action": "send", "expected": "0"}
    )
    assert (
        "Der Filter trifft auf keine Ehrenamtlichen zu: Es wurde nichts versendet."
        in response.content.decode()
    )
    assert not BulkMessage.objects.exists()


def test_sending_after_the_list_changed_asks_again(client, partner, org):
    _list(org)
    client.force_login(partner)
    data = {"subject": "Hallo", "text": "Hallo", "action": "send", "expected": "3"}
    VolunteerFactory(organisation=org, status=VolunteerStatus.ACTIVE)  # joined after the preview
    response = client.post(f"{URL}?status=active", data)
    assert "Die Liste hat sich seit der Vorschau geändert" in response.content.decode()
    assert "An 4 Ehrenamtliche senden?" in response.content.decode()
    assert not BulkMessage.objects.exists()


def test_confirming_stores_the_message_audits_it_and_defers_the_job(client, partner, org):
    _list(org)
    client.force_login(partner)
    response = client.post(
        f"{URL}?status=active&page=2",
        {"subject": "Hallo", "text": "Hallo {{ vorname }}", "action": "send", "expected": "3"},
    )
    bulk = BulkMessage.objects.get()
    assert response.status_code == 302 and response.url == bulk.get_absolute_url()
    assert (bulk.recipient_count, bulk.matched, bulk.no_address, bulk.no_consent) == (3, 5, 1, 1)
    assert bulk.organisation == org and bulk.created_by == partner and bulk.filter_query == "status=active"
    assert bulk.state == BulkMessageState.QUEUEING
    assert not OutboxMessage.objects.exists(), "the request queues no message itself"
    entry = AuditEntry.objects.get(action="volunteers.bulkmessage.created")
    assert entry.actor == partner and entry.organisation == org
    assert entry.changes["filter"] == [None, "status=active"] and entry.changes["recipients"] == [None, 3]
    assert [job["task_name"] for job in queued_jobs()] == ["volunteers.bulk_message_queue"]


def test_the_list_links_to_the_message_with_its_filter(client, partner, org):
    client.force_login(partner)
    response = client.get(reverse("volunteers:volunteer_list"), {"status": "active", "page": "1"})
    assert f'href="{URL}?status=active"' in response.content.decode()
    assert "Nachricht an diese Liste" in response.content.decode()


# --- the service, with a real worker -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_to_exactly_the_filtered_consenting_volunteers(job_queue, org, partner, monkeypatch):
    people = _list(org)
    VolunteerFactory(first_name="Gabi", organisation=org, status=VolunteerStatus.TRAINED)  # not in the filter
    monkeypatch.setattr("volunteers.services.BULK_CHUNK", 2)  # two steps, the second deferred by the first
    bulk = bulk_message_create(
        people=Volunteer.objects.filter(organisation=org, status=VolunteerStatus.ACTIVE),
        subject="Einladung für {{ vorname }}",
        text="Hallo {{ vorname }},\n<b>kommen Sie</b> & {{ nachname }}!",
        filter_query="status=active",
        organisation=org,
        actor=partner,
    )
    run_jobs()
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {people[name].email for name in ("anna", "bernd", "cem")}
    anna = sent[people["anna"].email]
    assert anna.subject == "Einladung für Anna"
    assert anna.body == "Hallo Anna,\n<b>kommen Sie</b> & Adler!\n"  # text, not HTML-escaped
    bulk.refresh_from_db()
    assert bulk.state == BulkMessageState.QUEUED and bulk.queued_up_to == 3 and bulk.dropped == 0
    rows = OutboxMessage.objects.filter(related_id=bulk.pk, related_type__model="bulkmessage")
    assert rows.count() == 3 and set(rows.values_list("state", flat=True)) == {MessageState.SENT}
    assert AuditEntry.objects.filter(action="core.outboxmessage.sent").count() == 3
    assert AuditEntry.objects.filter(action="volunteers.bulkmessage.queued").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_step_runs_once_and_skips_who_withdrew_consent_meanwhile(job_queue, org, partner):
    people = _list(org)
    bulk = bulk_message_create(
        people=Volunteer.objects.filter(organisation=org, status=VolunteerStatus.ACTIVE),
        subject="Hallo",
        text="Hallo",
        filter_query="",
        organisation=org,
        actor=partner,
    )
    _consent(people["bernd"], purpose="messages_email")  # withdrawn after the confirmation
    assert bulk_message_queue_step(bulk_id=bulk.pk, start=0) == "2 queued, 1 left out"
    assert bulk_message_queue_step(bulk_id=bulk.pk, start=0) == "skipped: already queued"
    run_jobs()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people["anna"].email, people["cem"].email])
    bulk.refresh_from_db()
    assert bulk.dropped == 1 and bulk.left_out == 3


@pytest.mark.django_db(transaction=True)
def test_a_partners_bulk_message_never_reaches_another_organisation(job_queue, org, other_org, partner):
    mine = VolunteerFactory(organisation=org, status=VolunteerStatus.ACTIVE)
    theirs = VolunteerFactory(organisation=other_org, status=VolunteerStatus.ACTIVE)
    from django.test import Client

    client = Client()
    client.force_login(partner)
    # the organisation filter of the list names another organisation: not one of the partner's choices
    response = client.get(URL, {"organisation": other_org.pk})
    assert "Der Filter trifft auf keine Ehrenamtlichen zu" in response.content.decode()
    response = client.post(
        f"{URL}?status=active", {"subject": "Hallo", "text": "Hallo", "action": "send", "expected": "1"}
    )
    assert response.status_code == 302
    # even a recipient list that names another organisation's volunteer is cut to the writer's scope
    bulk = BulkMessage.objects.get()
    assert bulk.recipient_ids == [mine.pk]
    BulkMessage.objects.filter(pk=bulk.pk).update(recipient_ids=[mine.pk, theirs.pk], recipient_count=2)
    run_jobs()
    assert [m.to for m in mail.outbox] == [[mine.email]]
    bulk.refresh_from_db()
    assert bulk.dropped == 1


def test_the_progress_page_shows_the_figures_and_polls_while_under_way(
    client, partner, org, other_org_partner
):
    _list(org)
    bulk = bulk_message_create(
        people=Volunteer.objects.filter(organisation=org, status=VolunteerStatus.ACTIVE),
        subject="Hallo",
        text="Hallo",
        filter_query="status=active",
        organisation=org,
        actor=partner,
    )
    client.force_login(partner)
    page = client.get(bulk.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 3s"' in page and "Die Nachrichten werden eingereiht." in page
    assert 'data-figure="total">3<' in page and 'data-figure="left_out">2<' in page
    bulk_message_queue_step(bulk_id=bulk.pk, start=0)
    OutboxMessage.objects.update(state=MessageState.SENT, sent_at=timezone.now())
    fragment = client.get(bulk.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'data-figure="sent">3<' in fragment
    assert "hx-trigger" not in fragment, "polling stops when everything is sent"
    client.force_login(other_org_partner)
    assert client.get(bulk.get_absolute_url()).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_failing_step_leaves_no_send_job_behind_and_its_retry_sends_once(
    job_queue, org, partner, monkeypatch
):
    """The send jobs a step defers commit with its messages: procrastinate's worker would defer them on
    its own connection, outside the step's transaction, and a failed step would leave jobs for messages
    that were rolled back."""
    _list(org)
    bulk = bulk_message_create(
        people=Volunteer.objects.filter(organisation=org, status=VolunteerStatus.ACTIVE),
        subject="Hallo",
        text="Hallo",
        filter_query="",
        organisation=org,
        actor=partner,
    )
    real_audit = volunteers.services.audit_record

    def fail_at_the_end(**kwargs):
        if kwargs["action"] == "volunteers.bulkmessage.queued":
            raise RuntimeError("database gone")
        return real_audit(**kwargs)

    monkeypatch.setattr("volunteers.services.audit_record", fail_at_the_end)
    run_jobs(retries=False)
    assert not OutboxMessage.objects.exists()
    assert [(job["task_name"], job["status"]) for job in queued_jobs()] == [
        ("volunteers.bulk_message_queue", "todo")
    ]
    monkeypatch.setattr("volunteers.services.audit_record", real_audit)
    run_jobs()
    assert len(mail.outbox) == 3 and OutboxMessage.objects.filter(related_id=bulk.pk).count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_message_failing_in_the_batch_is_retried_by_a_job_of_its_own(job_queue, org, partner, settings):
    from tests import mail_backends

    settings.EMAIL_BACKEND = "tests.mail_backends.FailOnceBackend"
    mail_backends.FailOnceBackend.failures_left = 1
    _list(org)
    bulk_message_create(
        people=Volunteer.objects.filter(organisation=org, status=VolunteerStatus.ACTIVE),
        subject="Hallo",
        text="Hallo",
        filter_query="",
        organisation=org,
        actor=partner,
    )
    run_jobs(retries=False)
    assert OutboxMessage.objects.filter(state=MessageState.FAILED).count() == 1
    assert [job["task_name"] for job in queued_jobs() if job["status"] == "todo"] == ["core.outbox_send"]
    run_jobs()
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {MessageState.SENT}
    assert len(mail.outbox) == 3
