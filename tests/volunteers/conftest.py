import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limit(request):
    """The sign-up rate limit counts in the cache; every test starts with a clean count. The cache is a table
    in the database (config/settings.py CACHES): a test without the database has no count to clear."""
    name = next((n for n in ("transactional_db", "db") if n in request.fixturenames), None)
    if name is None:
        yield
        return
    request.getfixturevalue(name)
    cache.clear()
    yield
    cache.clear()
