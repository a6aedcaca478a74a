import pytest

from core.demo import count_for, is_city_scale
from core.management.commands.seed_demo import SIZES


def test_every_seed_size_has_a_count():
    assert SIZES == ("small", "city", "city10")
    assert [count_for(size, small=150, city=5000) for size in SIZES] == [150, 5000, 50_000]
    assert [is_city_scale(size) for size in SIZES] == [False, True, True]


def test_an_unknown_size_is_refused():
    with pytest.raises(ValueError, match="unknown demo size"):
        count_for("huge", small=1, city=2)
