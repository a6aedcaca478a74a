"""The list filter's fields are rendered once per field, choices, value and language, then reused
(core.templatetags.lists.filter_field, issue #21): the same HTML as crispy-forms renders, at a fraction of
the CPU."""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.conf import settings
from django.test import RequestFactory
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import translation

from core.models import District
from core.templatetags import lists
from volunteers.filters import VolunteerFilter

LISTS = ["volunteers:volunteer_list", "refugees:refugee_list", "tandems:tandem_list"]


class _Rendered:
    def __init__(self):
        self.names: list[str] = []

    def __call__(self, sender, template, context, **kwargs):
        self.names.append(template.name)

    def __enter__(self):
        template_rendered.connect(self)
        return self

    def __exit__(self, *exc):
        template_rendered.disconnect(self)


def _without_csrf(page: str) -> str:
    return re.sub(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', r"\1", page)


def _form(coordinator, query: dict):
    request = RequestFactory().get("/", query)
    request.user = coordinator
    return VolunteerFilter(query, queryset=None, request=request).form


@pytest.mark.parametrize("name", LISTS)
def test_a_repeated_list_page_renders_no_field_template_and_the_same_html(client, coordinator, name):
    client.force_login(coordinator)
    url = reverse(name)
    first = client.get(url).content.decode()
    with _Rendered() as rendered:
        second = client.get(url).content.decode()
    assert [n for n in rendered.names if n and n.startswith("bootstrap5/")] == []
    assert _without_csrf(second) == _without_csrf(first)


@pytest.mark.parametrize(
    "query", [{}, {"status": "active", "district": "1"}, {"district": "999999"}, {"trained": "yes", "q": "x"}]
)
def test_the_kept_html_is_what_crispy_renders(coordinator, query):
    for language in ("de", "en"):
        with translation.override(language):
            form = _form(coordinator, query)
            form.is_valid()
            for bound in form:
                expected = as_crispy_field(bound)
                assert lists.filter_field(bound) == expected  # rendered (and kept when it has no error)
                assert lists.filter_field(_form(coordinator, query)[bound.name]) == expected  # reused


def test_a_new_district_and_another_language_show_at_once(client, coordinator):
    client.force_login(coordinator)
    url = reverse("volunteers:volunteer_list")
    client.get(url)
    District.objects.create(code="neu", name_de="Neustadt-Test", name_en="New town", latitude=52, longitude=9)
    assert "Neustadt-Test" in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(url).content.decode()
    assert "New town" in page
    assert "City district" in page
