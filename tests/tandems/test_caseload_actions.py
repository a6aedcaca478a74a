"""The caseload offers the next step on each row: logging a contact."""

from django.urls import reverse

from tests.factories.tandems import ActiveTandemFactory, TandemFactory


def test_caseload_row_links_to_log_a_contact(client, partner, org):
    tandem = ActiveTandemFactory(organisation=org, coordinator=partner)
    proposed = TandemFactory(organisation=org, coordinator=partner)
    client.force_login(partner)
    html = client.get(reverse("tandems:caseload")).text
    url = reverse("tandems:checkin_create", args=[tandem.pk])
    assert f'href="{url}">Kontakt erfassen<span class="visually-hidden">: {tandem}' in html
    # a proposed tandem has no contacts to log yet
    assert reverse("tandems:checkin_create", args=[proposed.pk]) not in html
    assert client.get(url).status_code == 200
