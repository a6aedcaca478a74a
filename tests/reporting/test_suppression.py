from reporting.suppression import Cell, suppress, suppress_median, suppress_one


def shown(cells: dict) -> dict:
    return {key: str(cell) for key, cell in cells.items()}


def test_counts_of_five_and_more_are_shown():
    cells, total = suppress({"a": 5, "b": 12})
    assert shown(cells) == {"a": "5", "b": "12"}
    assert str(total) == "17"


def test_primary_every_count_below_five_is_hidden_zero_included():
    cells, total = suppress({"a": 3, "b": 0, "c": 20})
    assert shown(cells) == {"a": "<5", "b": "<5", "c": "20"}
    assert str(total) == "23"


def test_secondary_a_single_hidden_cell_takes_the_next_smallest_with_it():
    cells, total = suppress({"a": 30, "b": 2, "c": 9, "d": 12})
    # b = 53 - 30 - 9 - 12 could be worked back; c, the smallest shown cell, is hidden too
    assert shown(cells) == {"a": "30", "b": "<5", "c": "<5", "d": "12"}
    assert str(total) == "53"


def test_secondary_ties_hide_the_first_in_order():
    cells, _total = suppress({"a": 7, "b": 7, "c": 1})
    assert shown(cells) == {"a": "<5", "b": "7", "c": "<5"}


def test_two_hidden_cells_need_no_secondary_suppression():
    cells, _total = suppress({"a": 1, "b": 2, "c": 9, "d": 12})
    assert shown(cells) == {"a": "<5", "b": "<5", "c": "9", "d": "12"}


def test_a_hidden_total_needs_no_secondary_suppression():
    cells, total = suppress({"a": 1, "b": 2})
    assert total.hidden and str(total) == "<5"
    assert all(cell.hidden for cell in cells.values())


def test_a_hidden_total_with_one_cell_hides_it():
    cells, total = suppress({"a": 3})
    assert shown(cells) == {"a": "<5"} and total.hidden


def test_an_explicit_total_is_respected():
    cells, total = suppress({"a": 6, "b": 1}, 7)
    assert shown(cells) == {"a": "<5", "b": "<5"}
    assert str(total) == "7"


def test_no_hidden_cell_hides_nothing_else():
    cells, _total = suppress({"a": 5, "b": 6, "c": 100})
    assert not any(cell.hidden for cell in cells.values())


def test_disabled_for_staff_shows_everything():
    cells, total = suppress({"a": 1, "b": 0}, enabled=False)
    assert shown(cells) == {"a": "1", "b": "0"}
    assert str(total) == "1"


def test_german_number_format():
    assert str(Cell(12345)) == "12.345"
    assert str(Cell(40.0)) == "40,0"
    assert str(Cell(None)) == "–"


def test_single_counts_and_medians():
    assert str(suppress_one(4)) == "<5"
    assert str(suppress_one(5)) == "5"
    assert str(suppress_one(4, enabled=False)) == "4"
    assert str(suppress_median(17.5, 4)) == "<5"
    assert str(suppress_median(17.5, 5)) == "17,5"
    assert str(suppress_median(None, 0)) == "–"
    assert suppress_median(17.5, 4).shown is None
