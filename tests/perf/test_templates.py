"""Templates are compiled once per process (issue #21): Django's cached loader, which production gets
because no `loaders` are configured (config/settings.py TEMPLATES)."""

from django.conf import settings
from django.template import engines


def test_the_templates_come_through_the_cached_loader():
    assert "loaders" not in settings.TEMPLATES[0]["OPTIONS"]
    loaders = engines["django"].engine.loaders
    assert [name for name, _inner in loaders] == ["django.template.loaders.cached.Loader"]
