"""The batch proposal as a job (issue #17, #21): "Vorschlag berechnen" queues it, a real in-process worker
(tests/jobs.py) computes and stores it, and the page shows the stored run without computing again; the
confirmation is a Django form that proposes only the ticked pairs still possible, after saying how many."""

import re

import pytest
from django.urls import reverse

from tandems.models import BatchRun, BatchRunStatus, Tandem
from tests.factories.refugees import WaitingRefugeeFactory
from tests.factories.tandems import TandemFactory
from tests.factories.volunteers import ReadyVolunteerFactory
from tests.jobs import queued_jobs, run_jobs

pytestmark = pytest.mark.django_db(transaction=True)

BATCH = "tandems:tandem_batch"


def _world(org, count: int) -> list:
    refugees = []
    for _ in range(count):
        refugees.append(WaitingRefugeeFactory(organisation=org))
        ReadyVolunteerFactory(organisation=org)
    return refugees


def _computed(client) -> BatchRun:
    client.post(reverse("tandems:tandem_batch_run"))
    run_jobs()
    return BatchRun.objects.get()


def _keys(client) -> list[str]:
    return [p.key for p in client.get(reverse(BATCH)).context["result"].pairs]


def test_the_page_computes_nothing_until_asked(job_queue, client, org, coordinator):
    _world(org, 3)
    client.force_login(coordinator)
    page = client.get(reverse(BATCH))
    assert page.status_code == 200
    assert page.context["result"] is None and 'name="pair"' not in page.text
    assert "Vorschlag berechnen" in page.text
    assert not BatchRun.objects.exists() and not queued_jobs()


def test_compute_queues_one_job_shows_progress_and_then_the_pairs(job_queue, client, org, coordinator):
    _world(org, 3)
    client.force_login(coordinator)
    response = client.post(reverse("tandems:tandem_batch_run"), follow=True)
    assert "Der Vorschlag wird berechnet" in response.text
    client.post(reverse("tandems:tandem_batch_run"))  # a second click while it waits queues nothing more
    assert [job["task_name"] for job in queued_jobs()] == ["tandems.batch_run_compute"]
    run = BatchRun.objects.get()
    assert run.status == BatchRunStatus.QUEUED
    page = client.get(reverse(BATCH))
    assert 'hx-trigger="every 2s"' in page.text and "<progress" in page.text
    polled = client.get(reverse(BATCH), headers={"HX-Request": "true"})
    assert polled.status_code == 200 and 'id="batch-progress"' in polled.text and "<html" not in polled.text

    run_jobs()

    run.refresh_from_db()
    assert (run.status, run.progress) == (BatchRunStatus.DONE, 100)
    assert len(run.result["pairs"]) == 3 and run.started_at and run.finished_at
    polled = client.get(reverse(BATCH), headers={"HX-Request": "true"})
    assert polled.status_code == 204 and polled["HX-Refresh"] == "true"
    page = client.get(reverse(BATCH))
    boxes = re.findall(r'<input[^>]*name="pair"[^>]*>', page.text)
    assert len(boxes) == 3 and not any("checked" in box for box in boxes)
    assert "Veraltet" not in page.text


def test_the_stored_run_is_shown_in_a_fixed_number_of_queries(
    job_queue, client, org, coordinator, django_assert_max_num_queries
):
    client.force_login(coordinator)
    for added, size in ((2, 2), (10, 12)):
        _world(org, added)
        _computed_again(client)
        with django_assert_max_num_queries(14):
            page = client.get(reverse(BATCH))
        assert len(page.context["result"].pairs) == size


def _computed_again(client) -> None:
    client.post(reverse("tandems:tandem_batch_run"))
    run_jobs()


def test_a_run_older_than_the_data_is_marked_out_of_date(job_queue, client, org, coordinator):
    refugees = _world(org, 2)
    client.force_login(coordinator)
    _computed(client)
    assert "Veraltet" not in client.get(reverse(BATCH)).text
    refugees[0].notes = "changed after the run"
    refugees[0].save()
    page = client.get(reverse(BATCH))
    assert "Veraltet" in page.text and "Vorschlag neu berechnen" in page.text
    _computed_again(client)
    assert BatchRun.objects.count() == 1, "the user's earlier run goes"
    assert "Veraltet" not in client.get(reverse(BATCH)).text


def test_confirm_says_the_count_then_proposes_the_ticked_pairs(job_queue, client, org, coordinator):
    _world(org, 3)
    client.force_login(coordinator)
    run = _computed(client)
    keys = _keys(client)
    asked = client.post(reverse(BATCH), {"run": run.pk, "pair": keys[:2]})
    assert asked.status_code == 200 and "2 Tandems vorschlagen?" in asked.text
    assert Tandem.objects.count() == 0, "nothing happens before the confirmation"
    done = client.post(
        reverse(BATCH), {"run": run.pk, "pair": keys[:2], "count": 2, "confirmed": "1"}, follow=True
    )
    assert "2 Tandems wurden vorgeschlagen." in done.text
    assert {f"{t.refugee_id}-{t.volunteer_id}" for t in Tandem.objects.all()} == set(keys[:2])
    assert all(t.match_explanation["mode"] == "batch" for t in Tandem.objects.all())


def test_only_the_pairs_still_possible_are_proposed_and_the_page_says_which_are_left_out(
    job_queue, client, org, coordinator
):
    refugees = _world(org, 3)
    client.force_login(coordinator)
    run = _computed(client)
    keys = _keys(client)
    taken = next(key for key in keys if key.startswith(f"{refugees[0].pk}-"))
    TandemFactory(organisation=org, refugee=refugees[0], volunteer=ReadyVolunteerFactory(organisation=org))
    asked = client.post(reverse(BATCH), {"run": run.pk, "pair": keys})
    assert "2 Tandems vorschlagen?" in asked.text
    assert "1 angekreuztes Paar ist nicht mehr möglich" in asked.text
    assert f'value="{taken}"' not in asked.text
    client.post(
        reverse(BATCH), {"run": run.pk, "pair": [k for k in keys if k != taken], "count": 2, "confirmed": "1"}
    )
    assert Tandem.objects.filter(match_explanation__mode="batch").count() == 2


def test_a_count_that_changed_before_the_confirmation_asks_again(job_queue, client, org, coordinator):
    refugees = _world(org, 2)
    client.force_login(coordinator)
    run = _computed(client)
    keys = _keys(client)
    TandemFactory(organisation=org, refugee=refugees[1], volunteer=ReadyVolunteerFactory(organisation=org))
    again = client.post(reverse(BATCH), {"run": run.pk, "pair": keys, "count": 2, "confirmed": "1"})
    assert again.status_code == 200 and "1 Tandem vorschlagen?" in again.text
    assert "Seit der Rückfrage hat sich etwas geändert" in again.text
    assert Tandem.objects.filter(match_explanation__mode="batch").count() == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda post: post.pop("pair"), "Bitte kreuzen Sie mindestens ein Paar an."),
        (
            lambda post: post.update(pair=["999999-999999"]),
            "Ein angekreuztes Paar gehört nicht zu diesem Vorschlag.",
        ),
        (lambda post: post.update(pair=["text"]), "Ein angekreuztes Paar gehört nicht zu diesem Vorschlag."),
        (lambda post: post.update(run=post["run"] + 1), "Der Vorschlag wurde inzwischen neu berechnet."),
        (lambda post: post.update(run="x"), "Die Auswahl konnte nicht gelesen werden."),
    ],
)
def test_bad_input_changes_nothing_and_says_why_in_german(
    job_queue, client, org, coordinator, change, message
):
    _world(org, 2)
    client.force_login(coordinator)
    run = _computed(client)
    post = {"run": run.pk, "pair": _keys(client), "count": 2, "confirmed": "1"}
    change(post)
    response = client.post(reverse(BATCH), post, follow=True)
    assert response.status_code == 200
    assert message in response.text
    assert Tandem.objects.count() == 0


def test_without_a_computed_run_a_confirmation_says_so(job_queue, client, org, coordinator):
    _world(org, 1)
    client.force_login(coordinator)
    response = client.post(reverse(BATCH), {"run": 1, "pair": ["1-1"]}, follow=True)
    assert "Es gibt keinen berechneten Vorschlag" in response.text
    assert Tandem.objects.count() == 0


def test_the_run_says_when_it_covers_only_the_longest_waiting(
    job_queue, client, org, coordinator, monkeypatch
):
    monkeypatch.setattr("tandems.batch.BATCH_MAX_CELLS", 3)
    _world(org, 3)
    client.force_login(coordinator)
    _computed(client)
    page = client.get(reverse(BATCH))
    assert "die am längsten warten (von 3)" in page.text
    assert len(page.context["result"].pairs) == 1


def test_a_partner_sees_their_own_run_not_the_coordinators(job_queue, client, org, coordinator, partner):
    _world(org, 2)
    client.force_login(coordinator)
    _computed(client)
    client.force_login(partner)
    page = client.get(reverse(BATCH))
    assert page.context["run"] is None and 'name="pair"' not in page.text


def test_the_stored_run_links_both_people_and_explains_each_pair_when_opened(
    job_queue, client, org, coordinator
):
    _world(org, 2)
    client.force_login(coordinator)
    _computed(client)
    page = client.get(reverse(BATCH))
    pairs = page.context["result"].pairs
    explain = reverse("tandems:tandem_batch_explain")
    for pair in pairs:
        assert reverse("refugees:refugee_detail", args=[pair.refugee.pk]) in page.text
        assert reverse("volunteers:volunteer_detail", args=[pair.volunteer.pk]) in page.text
        # the explanation is loaded when its row is opened, not computed for every pair on every view
        assert f"{explain}?refugee={pair.refugee.pk}&amp;volunteer={pair.volunteer.pk}" in page.text
    assert page.text.count('hx-trigger="toggle once"') == 2
    assert "Punkte je Kriterium" not in page.text
    opened = client.get(explain, {"refugee": pairs[0].refugee.pk, "volunteer": pairs[0].volunteer.pk})
    assert opened.status_code == 200
    assert "Wartezeit" in opened.text and "gewichtete Durchschnitt" in opened.text


def test_a_long_run_is_shown_a_page_at_a_time(job_queue, client, org, coordinator, monkeypatch):
    monkeypatch.setattr("tandems.batch_runs.BATCH_PAGE_SIZE", 2)
    _world(org, 3)
    client.force_login(coordinator)
    run = _computed(client)
    first = client.get(reverse(BATCH))
    second = client.get(reverse(BATCH), {"page": 2})
    keys = [p.key for p in first.context["result"].pairs] + [p.key for p in second.context["result"].pairs]
    assert len(first.context["result"].pairs) == 2 and len(second.context["result"].pairs) == 1
    assert sorted(keys) == sorted(f"{r}-{v}" for r, v, _score in run.result["pairs"])
    assert "Seite 2 von 2" in second.text and "gelten für diese Seite" in second.text
    assert "3 Paare" in second.text  # the totals are the run's, not the page's
    asked = client.post(reverse(BATCH), {"run": run.pk, "pair": keys[2:]})
    assert "1 Tandem vorschlagen?" in asked.text
