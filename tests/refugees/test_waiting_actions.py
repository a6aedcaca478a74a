"""The waiting list offers the next step on each row: the suggestions for that person."""

from django.urls import reverse

from tests.factories.refugees import WaitingRefugeeFactory


def test_waiting_row_links_to_the_suggestions(client, partner, org):
    refugee = WaitingRefugeeFactory(organisation=org)
    client.force_login(partner)
    html = client.get(reverse("refugees:refugee_waiting_list")).text
    url = reverse("tandems:tandem_suggest") + f"?refugee={refugee.pk}"
    assert f'href="{url}">Vorschläge<span class="visually-hidden">: {refugee.first_name}' in html
    assert client.get(url).status_code == 200
