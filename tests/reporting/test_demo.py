from django.utils import timezone

from reporting import demo
from reporting.models import Expense, FundingPlan
from reporting.selectors import funding_table


def test_demo_funding_is_idempotent_and_covers_two_years(db):
    demo.seed(size="small")
    counts = (FundingPlan.objects.count(), Expense.objects.count())
    demo.seed(size="small")
    assert (FundingPlan.objects.count(), Expense.objects.count()) == counts
    year = timezone.localdate().year
    for each in (year - 1, year):
        table = funding_table(year=each)
        assert table.planned == 184000
        assert 0 < table.spent < table.planned
    assert not Expense.objects.filter(spent_on__gt=timezone.localdate()).exists()
